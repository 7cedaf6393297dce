// Step 5: passdowns in the `bigbang.defaults.<pkg>` define of bigbang/templates/<pkg>/values.yaml.
import { VALUES_KEY, valuesRef } from './layouts.js';
import { ensure, escapeRe, TextDoc, type Spec } from './yaml-text.js';
import type { StepContext, StepReport } from './types.js';

export function passdownFile(pkg: string): string {
  return `bigbang/templates/${pkg}/values.yaml`;
}

/** Line range [start, end) of the body of `define "<name>"`, end being its `{{ end }}` line. */
export function defineRange(doc: TextDoc, name: string): { start: number; end: number } | undefined {
  const def = new RegExp(`\\{\\{-?\\s*define\\s+"${escapeRe(name)}"\\s*-?\\}\\}\\s*$`);
  const d = doc.lines.findIndex((l) => def.test(l.text));
  if (d < 0) return undefined;
  let depth = 1;
  for (let i = d + 1; i < doc.lines.length; i++) {
    for (const m of doc.lines[i].text.matchAll(/\{\{-?\s*(if|range|with|define|block|end)\b/g)) {
      depth += m[1] === 'end' ? -1 : 1;
      if (depth === 0) return { start: d + 1, end: i };
    }
  }
  return undefined;
}

const DOMAIN: Spec = {
  key: 'domain',
  value: '{{ default .Values.domain .Values.hostname }}',
  comment: ['# hostname is deprecated and replaced with domain. But if hostname exists then use it.'],
};

/** The guide's passdown: Istio on with the umbrella's, each VirtualService on the package's gateway. */
function guideSpecs(ctx: StepContext): Spec[] {
  const { pkg, layout, keys } = ctx;
  const gateway = layout.passdownGateway(valuesRef(pkg));
  return [
    DOMAIN,
    {
      key: VALUES_KEY,
      children: [
        { key: 'enabled', value: `{{ ${layout.enabledExpr} }}` },
        ...keys.map((k): Spec => ({ key: k, children: [{ key: 'gateways', list: [gateway] }] })),
      ],
    },
  ];
}

/**
 * 3.x (bb-common): Istio objects and authorization policies with Istio, network policies with the
 * umbrella's, each route on the package's gateway.
 */
function librarySpecs(ctx: StepContext): Spec[] {
  const { pkg, layout, keys } = ctx;
  const on = `{{ ${layout.enabledExpr} }}`;
  const gateway = layout.passdownGateway(valuesRef(pkg));
  return [
    DOMAIN,
    { key: 'networkPolicies', children: [{ key: 'enabled', value: '{{ .Values.networkPolicies.enabled }}' }] },
    {
      key: VALUES_KEY,
      children: [
        { key: 'enabled', value: on },
        { key: 'authorizationPolicies', children: [{ key: 'enabled', value: on }] },
      ],
    },
    {
      key: 'routes',
      children: [{ key: 'inbound', children: keys.map((k): Spec => ({ key: k, children: [{ key: 'gateways', list: [gateway] }] })) }],
    },
  ];
}

export function stepPassdown(ctx: StepContext): StepReport {
  const { ws, pkg } = ctx;
  const title = 'passdowns';
  const file = passdownFile(pkg);
  const before = ws.read(file);
  if (before === null) return { step: 5, title, status: 'skipped', reason: `no ${file}`, files: [] };
  const doc = new TextDoc(before);
  const r = defineRange(doc, `bigbang.defaults.${pkg}`);
  if (!r) return { step: 5, title, status: 'skipped', reason: `${file} has no define "bigbang.defaults.${pkg}"`, files: [] };
  const specs = ctx.library ? librarySpecs(ctx) : guideSpecs(ctx);
  const edits = { count: 0, conflicts: [] as string[] };
  ensure(doc, r.start, r.end, 0, specs, edits);
  if (edits.conflicts.length) {
    return {
      step: 5,
      title,
      status: 'skipped',
      reason: `${file}: ${edits.conflicts.join(', ')} is not a mapping; edit it by hand`,
      files: [],
    };
  }
  if (!edits.count) return { step: 5, title, status: 'present', files: [] };
  ws.write(file, doc.toString());
  return { step: 5, title, status: 'done', files: [file] };
}
