// Step 3: the package's Istio defaults in chart/values.yaml (the "# Big Bang Values" block).
import { ensure, findKey, TextDoc, type Edits, type Spec } from './yaml-text.js';
import { VALUES_KEY } from './layouts.js';
import type { StepContext, StepReport } from './types.js';

export const PACKAGE_VALUES = 'chart/values.yaml';

export function stepPackageValues(ctx: StepContext, domain: string): StepReport {
  const { ws, layout, keys } = ctx;
  const title = 'package defaults';
  const before = ws.read(PACKAGE_VALUES) ?? '';
  const doc = new TextDoc(before);
  const n = doc.lines.length;
  const mark = '# bigbang: Istio service-mesh values (added by bbmesh integrate)';
  const hasDomain = findKey(doc, 0, n, 0, 'domain') >= 0;
  const hasIstio = findKey(doc, 0, n, 0, VALUES_KEY) >= 0;
  const header = ['', '# Big Bang Values', mark];
  const istio: Spec = {
    key: VALUES_KEY,
    children: [
      { key: 'enabled', value: 'false' },
      ...keys.map((k): Spec => ({
        key: k,
        children: [
          { key: 'enabled', value: 'true' },
          { key: 'gateways', list: [layout.packageDefaultGateway] },
          { key: 'hosts', list: [`${ctx.hosts.get(k) ?? k}.{{ .Values.domain }}`] },
        ],
      })),
    ],
  };
  const edits: Edits = { count: 0, conflicts: [] };
  if (hasIstio) {
    // Merge into the chart's own `istio:` block, then add the domain with the Big Bang header.
    edits.lead = [mark];
    ensure(doc, 0, doc.lines.length, 0, [istio], edits);
    edits.lead = undefined;
    if (!hasDomain) ensure(doc, 0, doc.lines.length, 0, [{ key: 'domain', value: domain, comment: header }], edits);
  } else {
    edits.lead = header;
    ensure(doc, 0, doc.lines.length, 0, hasDomain ? [istio] : [{ key: 'domain', value: domain }, istio], edits);
  }
  if (edits.conflicts.length) {
    return {
      step: 3,
      title,
      status: 'skipped',
      reason: `${PACKAGE_VALUES}: ${edits.conflicts.join(', ')} is not a mapping; edit it by hand`,
      files: [],
    };
  }
  if (!edits.count) return { step: 3, title, status: 'present', files: [] };
  ws.write(PACKAGE_VALUES, doc.toString());
  return { step: 3, title, status: 'done', files: [PACKAGE_VALUES] };
}
