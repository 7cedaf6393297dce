// Step 4: Big Bang defaults in bigbang/values.yaml: Istio on for integration testing and
// `<pkg>.ingress.gateway: ""`. The domain is the umbrella's: it is never written here.
import { ensureValues, topLevelKeys } from './yaml-doc.js';
import type { Edits, Spec } from './yaml-text.js';
import type { StepContext, StepReport } from './types.js';

export const BIGBANG_VALUES = 'bigbang/values.yaml';

export function stepBigbangValues(ctx: StepContext): StepReport {
  const { ws, layout, pkg } = ctx;
  const title = 'Big Bang defaults';
  const before = ws.read(BIGBANG_VALUES);
  if (before === null) return { step: 4, title, status: 'skipped', reason: `no ${BIGBANG_VALUES}`, files: [] };
  const top = topLevelKeys(before);
  if (!top) return { step: 4, title, status: 'skipped', reason: `${BIGBANG_VALUES} is not a YAML mapping; edit it by hand`, files: [] };
  let commented = false;
  // Big Bang 3.x deploys with network policies on; bb-common's routes then admit the gateway.
  const keys = ctx.library ? [...layout.enableKeys, 'networkPolicies'] : layout.enableKeys;
  const specs: Spec[] = keys.map((k) => {
    const what = ctx.library
      ? 'Istio and network policies on for integration testing, as Big Bang 3.x deploys'
      : 'Istio on for integration testing';
    const comment = !top.has(k) && !commented ? ['', `# bigbang: ${what} (bbmesh integrate)`] : undefined;
    if (comment) commented = true;
    return { key: k, comment, children: [{ key: 'enabled', value: 'true', set: true }] };
  });
  specs.push({ key: pkg, children: [{ key: 'ingress', children: [{ key: 'gateway', value: '""' }] }] });
  const edits: Edits = { count: 0, conflicts: [] };
  const r = ensureValues(before, specs, edits);
  if ('error' in r) return { step: 4, title, status: 'skipped', reason: `${BIGBANG_VALUES} ${r.error}; edit it by hand`, files: [] };
  if (edits.conflicts.length) {
    return {
      step: 4,
      title,
      status: 'skipped',
      reason: `${BIGBANG_VALUES}: ${edits.conflicts.join(', ')} is not a mapping; edit it by hand`,
      files: [],
    };
  }
  if (!edits.count) return { step: 4, title, status: 'present', files: [] };
  ws.write(BIGBANG_VALUES, r.text);
  return { step: 4, title, status: 'done', files: [BIGBANG_VALUES] };
}
