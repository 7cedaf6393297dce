// Step 1: sidecar injection label on the package namespace (bigbang/templates/<pkg>/namespace.yaml),
// whether `metadata` and `labels` are written as blocks or as flow mappings.
import { conditionalEntry, flowMap, opensFlowMap } from './flow.js';
import { blockEnd, childIndent, findKey, inlineValue, TextDoc } from './yaml-text.js';
import type { StepContext, StepReport } from './types.js';

export function namespaceFile(pkg: string): string {
  return `bigbang/templates/${pkg}/namespace.yaml`;
}

const LABEL = 'istio-injection: "enabled"';

function offsetOf(doc: TextDoc, line: number): number {
  let off = 0;
  for (let i = 0; i < line; i++) off += doc.lines[i].text.length + doc.lines[i].eol.length;
  return off;
}

/** The offset of the flow mapping that is the inline value of the key on `line`, if it is one. */
function inlineFlow(doc: TextDoc, text: string, line: number): number | undefined {
  const l = doc.lines[line].text;
  const colon = l.indexOf(':');
  const rest = l.slice(colon + 1);
  const lead = rest.length - rest.trimStart().length;
  const at = offsetOf(doc, line) + colon + 1 + lead;
  return opensFlowMap(text, at) ? at : undefined;
}

function splice(text: string, at: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(at);
}

/** Adds the label to the flow mapping `labels: {...}` opening at `open`. */
function intoFlowLabels(text: string, open: number, expr: string): string | undefined {
  const m = flowMap(text, open);
  if (!m) return undefined;
  const ins = conditionalEntry(text, open, m.close, expr, LABEL);
  return splice(text, ins.at, ins.text);
}

export function stepNamespace(ctx: StepContext): StepReport {
  const { ws, pkg, layout } = ctx;
  const title = 'sidecar injection';
  const file = namespaceFile(pkg);
  const skip = (reason: string): StepReport => ({ step: 1, title, status: 'skipped', reason, files: [] });
  const before = ws.read(file);
  if (before === null) return skip(`no ${file}`);
  const existing = /(?:^|[^\w./-])(["']?istio-injection["']?\s*:[^,}\r\n]*)/m.exec(before);
  if (existing) return { step: 1, title, status: 'present', reason: `label kept as is: ${existing[1].trim()}`, files: [] };
  if (!/^kind:\s*Namespace\s*$/m.test(before)) return skip(`${file} declares no Namespace`);
  const doc = new TextDoc(before);
  const meta = findKey(doc, 0, doc.lines.length, 0, 'metadata');
  if (meta < 0) return skip(`${file} has no metadata`);
  const expr = layout.enabledExpr;
  const done = (text: string): StepReport => {
    ws.write(file, text);
    return { step: 1, title, status: 'done', files: [file] };
  };
  const metaFlow = inlineFlow(doc, before, meta);
  if (metaFlow !== undefined) {
    // metadata: {name: x, labels: {...}}
    const m = flowMap(before, metaFlow);
    if (!m) return skip(`${file}: metadata's flow mapping does not close; add ${LABEL} by hand`);
    const labels = m.entries.find((e) => e.key === 'labels');
    if (labels) {
      const out = opensFlowMap(before, labels.valueStart) ? intoFlowLabels(before, labels.valueStart, expr) : undefined;
      return out ? done(out) : skip(`${file}: labels is written in a way bbmesh cannot edit; add ${LABEL} by hand`);
    }
    const ins = conditionalEntry(before, metaFlow, m.close, expr, `labels: {${LABEL}}`);
    return done(splice(before, ins.at, ins.text));
  }
  if (inlineValue(doc.lines[meta].text) !== '') return skip(`${file}: metadata is written inline; add ${LABEL} by hand`);
  const metaEnd = blockEnd(doc, meta);
  const mInd = childIndent(doc, meta, metaEnd) ?? doc.unit;
  const labels = findKey(doc, meta + 1, metaEnd, mInd, 'labels');
  const u = doc.unit;
  const block = (ind: number) => [`${' '.repeat(ind)}{{- if ${expr} }}`, `${' '.repeat(ind)}${LABEL}`, `${' '.repeat(ind)}{{- end }}`];
  if (labels < 0) {
    doc.insert(metaEnd, [`${' '.repeat(mInd)}labels:`, ...block(mInd + u)]);
    return done(doc.toString());
  }
  const inline = inlineValue(doc.lines[labels].text);
  const labelsFlow = inlineFlow(doc, before, labels);
  if (labelsFlow !== undefined) {
    const out = intoFlowLabels(before, labelsFlow, expr);
    return out ? done(out) : skip(`${file}: labels' flow mapping does not close; add ${LABEL} by hand`);
  }
  const lEnd = blockEnd(doc, labels, metaEnd);
  let lInd = childIndent(doc, labels, lEnd) ?? indentAfter(doc, labels, lEnd);
  if (inline !== '') {
    // `labels: {{- include "x.labels" . | nindent 4 }}`: the included lines sit at the nindent.
    const nindent = /^\{\{-?.*\|\s*nindent\s+(\d+)\s*-?\}\}$/.exec(inline);
    if (!nindent) return skip(`${file}: labels is written inline; add ${LABEL} by hand`);
    lInd = Number(nindent[1]);
  }
  doc.insert(lEnd, block(lInd !== undefined && lInd > indentOfLine(doc, labels) ? lInd : mInd + u));
  return done(doc.toString());
}

function indentOfLine(doc: TextDoc, k: number): number {
  return /^ */.exec(doc.lines[k].text)![0].length;
}

function indentAfter(doc: TextDoc, k: number, end: number): number | undefined {
  for (let i = k + 1; i < end; i++) if (doc.lines[i].text.trim()) return /^ */.exec(doc.lines[i].text)![0].length;
  return undefined;
}
