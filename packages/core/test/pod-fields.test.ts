// #PodTemplate copies each `pod` option named in #PodFields with one `if` per
// field (common.cue says why), so the list a catalog provider reads and the
// fields the built-in template renders are written twice: they must agree.
import { describe, expect, it } from 'vitest';
import { openSession } from '../src/index.js';

describe('#PodTemplate and #PodFields', () => {
  it('renders every pod option #PodFields names, as given, and no other', async () => {
    const session = await openSession({});
    const pkg = await session.ctx.build(
      [
        {
          filename: 'pod-fields.cue',
          text: `package t

import k8s "opm.dev/providers/kubernetes"

names: k8s.#PodFields
tpl: k8s.#PodTemplate & {#in: {
	context: {release: "r", namespace: "n", module: "m", version: "1.0.0", labels: {}, annotations: {}}
	name: "c"
	policies: {}
	component: workload: {securityContext: {}, containers: {}, pod: {for k in k8s.#PodFields {(k): "given \\(k)"}}}
}}
`,
        },
      ],
      { resolver: session.resolver },
    );
    const names = pkg.lookup('names').toJS() as string[];
    const spec = pkg.lookup('tpl', 'spec').toJSChecked() as Record<string, unknown>;
    expect(names.length).toBeGreaterThan(20);
    expect(Object.keys(spec).filter((k) => k !== 'securityContext' && k !== 'containers')).toEqual(names);
    for (const k of names) expect(spec[k]).toBe(`given ${k}`);
  });
});
