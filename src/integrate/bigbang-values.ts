// Step 4: Big Bang defaults in bigbang/values.yaml: Istio on for integration testing and
// `<pkg>.ingress.gateway: ""`.
import { ensure, findKey, TextDoc, type Spec } from './yaml-text.js';
import type { StepContext, StepReport } from './types.js';

export const BIGBANG_VALUES = 'bigbang/values.yaml';

export function stepBigbangValues(ctx: StepContext): StepReport {
  const { ws, layout, pkg } = ctx;
  const title = 'Big Bang defaults';
  const before = ws.read(BIGBANG_VALUES);
  if (before === null) return { step: 4, title, status: 'skipped', reason: `no ${BIGBANG_VALUES}`, files: [] };
  const doc = new TextDoc(before);
  let commented = false;
  const specs: Spec[] = layout.enableKeys.map((k) => {
    const missing = findKey(doc, 0, doc.lines.length, 0, k) < 0;
    const comment = missing && !commented ? ['', '# bigbang: Istio on for integration testing (bbmesh integrate)'] : undefined;
    if (comment) commented = true;
    return { key: k, comment, children: [{ key: 'enabled', value: 'true', set: true }] };
  });
  specs.push({ key: pkg, children: [{ key: 'ingress', children: [{ key: 'gateway', value: '""' }] }] });
  const edits = { count: 0, conflicts: [] as string[] };
  ensure(doc, 0, doc.lines.length, 0, specs, edits);
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
  ws.write(BIGBANG_VALUES, doc.toString());
  return { step: 4, title, status: 'done', files: [BIGBANG_VALUES] };
}
