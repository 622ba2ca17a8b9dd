// The spec's release examples write hyphenated labels bare (`cost-center:
// "ecommerce-bu"`), which CUE reads as a subtraction. opm accepts them in
// release files: a bare `a-b:` at the start of a line (outside strings and
// comments) is read as the quoted label `"a-b":`. Line numbers are kept, and
// each rewrite is reported as a warning so authors can quote the label.

const BARE = /^(\s*)([A-Za-z_$][A-Za-z0-9_$]*(?:-[A-Za-z0-9_$]+)+)(\??)(\s*):(?!=)/;

export function quoteHyphenatedLabels(text: string, filename: string): { text: string; warnings: string[] } {
  const warnings: string[] = [];
  let inMultiline = false;
  const lines = text.split('\n').map((line, i) => {
    // Skip the inside of multi-line strings ("""...""").
    const fences = (line.match(/"""/g) ?? []).length;
    if (inMultiline) {
      if (fences % 2 === 1) inMultiline = false;
      return line;
    }
    if (fences % 2 === 1) inMultiline = true;
    const m = BARE.exec(line);
    if (!m) return line;
    warnings.push(`${filename}:${i + 1}: label ${m[2]} is not a CUE identifier; read as "${m[2]}" (quote it)`);
    return `${m[1]}"${m[2]}"${m[3]}${m[4]}:${line.slice(m[0].length)}`;
  });
  return { text: lines.join('\n'), warnings };
}
