// Step 1: sidecar injection label on the package namespace (bigbang/templates/<pkg>/namespace.yaml).
import { blockEnd, childIndent, findKey, TextDoc } from './yaml-text.js';
import type { StepContext, StepReport } from './types.js';

export function namespaceFile(pkg: string): string {
  return `bigbang/templates/${pkg}/namespace.yaml`;
}

export function stepNamespace(ctx: StepContext): StepReport {
  const { ws, pkg, layout } = ctx;
  const title = 'sidecar injection';
  const file = namespaceFile(pkg);
  const before = ws.read(file);
  if (before === null) return { step: 1, title, status: 'skipped', reason: `no ${file}`, files: [] };
  const doc = new TextDoc(before);
  const existing = doc.lines.find((l) => /^\s*["']?istio-injection["']?\s*:/.test(l.text));
  if (existing) return { step: 1, title, status: 'present', reason: `label kept as is: ${existing.text.trim()}`, files: [] };
  if (!/^kind:\s*Namespace\s*$/m.test(before))
    return { step: 1, title, status: 'skipped', reason: `${file} declares no Namespace`, files: [] };
  const meta = findKey(doc, 0, doc.lines.length, 0, 'metadata');
  if (meta < 0) return { step: 1, title, status: 'skipped', reason: `${file} has no metadata`, files: [] };
  const metaEnd = blockEnd(doc, meta);
  const mInd = childIndent(doc, meta, metaEnd) ?? doc.unit;
  const labels = findKey(doc, meta + 1, metaEnd, mInd, 'labels');
  const u = doc.unit;
  if (labels < 0) {
    doc.insert(metaEnd, [
      `${' '.repeat(mInd)}labels:`,
      `${' '.repeat(mInd + u)}{{- if ${layout.enabledExpr} }}`,
      `${' '.repeat(mInd + u)}istio-injection: "enabled"`,
      `${' '.repeat(mInd + u)}{{- end }}`,
    ]);
  } else {
    const lEnd = blockEnd(doc, labels, metaEnd);
    const lInd = childIndent(doc, labels, lEnd) ?? indentAfter(doc, labels, lEnd) ?? mInd + u;
    const pad = ' '.repeat(lInd);
    doc.insert(lEnd, [`${pad}{{- if ${layout.enabledExpr} }}`, `${pad}istio-injection: "enabled"`, `${pad}{{- end }}`]);
  }
  ws.write(file, doc.toString());
  return { step: 1, title, status: 'done', files: [file] };
}

function indentAfter(doc: TextDoc, k: number, end: number): number | undefined {
  for (let i = k + 1; i < end; i++) if (doc.lines[i].text.trim()) return /^ */.exec(doc.lines[i].text)![0].length;
  return undefined;
}
