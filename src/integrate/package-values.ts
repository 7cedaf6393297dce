// Step 3: the package's Istio defaults in chart/values.yaml (the "# Big Bang Values" block).
import { ensureValues, topLevelKeys } from './yaml-doc.js';
import { VALUES_KEY } from './layouts.js';
import type { Edits, Spec } from './yaml-text.js';
import type { StepContext, StepReport } from './types.js';

export const PACKAGE_VALUES = 'chart/values.yaml';

export function stepPackageValues(ctx: StepContext, domain: string): StepReport {
  const { ws, layout, keys } = ctx;
  const title = 'package defaults';
  const before = ws.read(PACKAGE_VALUES) ?? '';
  const top = topLevelKeys(before);
  if (!top) return { step: 3, title, status: 'skipped', reason: `${PACKAGE_VALUES} is not a YAML mapping; edit it by hand`, files: [] };
  const mark = '# bigbang: Istio service-mesh values (added by bbmesh integrate)';
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
  let text: string | undefined = before;
  let error: string | undefined;
  const apply = (specs: Spec[]) => {
    if (text === undefined) return;
    const r = ensureValues(text, specs, edits);
    if ('error' in r) {
      error = r.error;
      text = undefined;
    } else text = r.text;
  };
  if (top.has(VALUES_KEY)) {
    // Merge into the chart's own `istio:` block, then add the domain with the Big Bang header.
    edits.lead = [mark];
    apply([istio]);
    edits.lead = undefined;
    if (!top.has('domain')) apply([{ key: 'domain', value: domain, comment: header }]);
  } else {
    edits.lead = header;
    apply(top.has('domain') ? [istio] : [{ key: 'domain', value: domain }, istio]);
  }
  if (error) return { step: 3, title, status: 'skipped', reason: `${PACKAGE_VALUES} ${error}; edit it by hand`, files: [] };
  if (edits.conflicts.length) {
    return {
      step: 3,
      title,
      status: 'skipped',
      reason: `${PACKAGE_VALUES}: ${edits.conflicts.join(', ')} is not a mapping; edit it by hand`,
      files: [],
    };
  }
  if (!edits.count || text === undefined) return { step: 3, title, status: 'present', files: [] };
  ws.write(PACKAGE_VALUES, text);
  return { step: 3, title, status: 'done', files: [PACKAGE_VALUES] };
}
