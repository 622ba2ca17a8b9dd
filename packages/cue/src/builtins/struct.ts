// Package struct: validators on the number of fields of a struct.
import { BuiltinError, type BuiltinPackage } from './types.js';
import { fn, int, struct } from './common.js';

export const structPackage: BuiltinPackage = {
  path: 'struct',
  funcs: {
    // The struct the evaluator passes holds regular fields only, which is what CUE counts.
    MinFields: fn(
      ['struct', 'int'],
      ([s, n]) => {
        const count = struct(s).size;
        const m = int(n);
        if (count >= m) return true;
        // An open struct may still get more fields: incomplete rather than a failure (CUE's behaviour).
        throw new BuiltinError(`len(fields) < MinFields(${m}) (${count} < ${m})`, { validation: true, incompleteIfOpen: true });
      },
      { validator: true },
    ),
    MaxFields: fn(
      ['struct', 'int'],
      ([s, n]) => {
        const count = struct(s).size;
        const m = int(n);
        if (count <= m) return true;
        throw new BuiltinError(`len(fields) > MaxFields(${m}) (${count} > ${m})`, { validation: true });
      },
      { validator: true },
    ),
  },
};
