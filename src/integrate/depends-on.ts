// Step 6: the package's HelmRelease waits for Istio: `dependsOn` with the guide's outer/inner
// conditionals, merged with the dependencies already there.
import { blockEnd, childIndent, escapeRe, findKey, indentOf, inlineValue, isContent, TextDoc } from './yaml-text.js';
import type { StepContext, StepReport } from './types.js';

export function helmReleaseFile(pkg: string): string {
  return `bigbang/templates/${pkg}/helmrelease.yaml`;
}

/** `if` condition with EXPR or-ed in front: `or EXPR <rest>`. */
export function orCondition(cond: string, expr: string): string {
  const c = cond.trim();
  if (/^or\s/.test(c)) return `or ${expr} ${c.slice(2).trim()}`;
  if (/^[$.\w]+$/.test(c) || /^\(.*\)$/.test(c)) return `or ${expr} ${c}`;
  return `or ${expr} (${c})`;
}

export function stepDependsOn(ctx: StepContext): StepReport {
  const { ws, pkg, layout } = ctx;
  const title = 'ordering';
  const file = helmReleaseFile(pkg);
  const before = ws.read(file);
  if (before === null) return { step: 6, title, status: 'skipped', reason: `no ${file}`, files: [] };
  const doc = new TextDoc(before);
  const spec = findKey(doc, 0, doc.lines.length, 0, 'spec');
  if (spec < 0) return { step: 6, title, status: 'skipped', reason: `${file} has no spec`, files: [] };
  if (inlineValue(doc.lines[spec].text) !== '')
    return {
      step: 6,
      title,
      status: 'skipped',
      reason: `${file}: spec is written inline; add ${layout.istioHelmRelease} by hand`,
      files: [],
    };
  const specEnd = blockEnd(doc, spec);
  const sInd = childIndent(doc, spec, specEnd) ?? doc.unit;
  const u = doc.unit;
  const expr = layout.enabledExpr;
  const item = (ind: number) => {
    const pad = ' '.repeat(ind);
    return [
      `${pad}{{- if ${expr} }}`,
      `${pad}- name: ${layout.istioHelmRelease}`,
      `${pad}  namespace: {{ .Release.Namespace }}`,
      `${pad}{{- end }}`,
    ];
  };
  const d = findKey(doc, spec + 1, specEnd, sInd, 'dependsOn');
  if (d < 0) {
    if (/dependsOn/.test(before)) {
      return {
        step: 6,
        title,
        status: 'skipped',
        reason: `${file} builds dependsOn in a way bbmesh cannot edit; add ${layout.istioHelmRelease} by hand`,
        files: [],
      };
    }
    const pad = ' '.repeat(sInd);
    doc.insert(spec + 1, [`${pad}{{- if ${expr} }}`, `${pad}dependsOn:`, ...item(sInd + u), `${pad}{{- end }}`]);
    ws.write(file, doc.toString());
    return { step: 6, title, status: 'done', files: [file] };
  }
  if (inlineValue(doc.lines[d].text) !== '') {
    return {
      step: 6,
      title,
      status: 'skipped',
      reason: `${file}: dependsOn is written inline; add ${layout.istioHelmRelease} by hand`,
      files: [],
    };
  }
  const dEnd = blockEnd(doc, d, specEnd);
  const dep = new RegExp(`^\\s*(-\\s+)?name:\\s*["']?${escapeRe(layout.istioHelmRelease)}["']?\\s*$`);
  for (let i = d + 1; i < dEnd; i++) {
    if (dep.test(doc.lines[i].text))
      return { step: 6, title, status: 'present', reason: `dependsOn already lists ${layout.istioHelmRelease}`, files: [] };
  }
  // Outer conditional: the `if` line right above `dependsOn:`.
  let o = d - 1;
  while (o > spec && !isContent(doc.lines[o].text)) o--;
  const outer = /^( *\{\{-?\s*if\s+)(.*?)(\s*-?\}\}\s*)$/.exec(doc.lines[o].text);
  let changedOuter = false;
  if (outer && o > spec && !outer[2].includes(expr)) {
    doc.lines[o].text = `${outer[1]}${orCondition(outer[2], expr)}${outer[3]}`;
    changedOuter = true;
  }
  let iInd = childIndent(doc, d, dEnd);
  if (iInd === undefined) {
    for (let i = d + 1; i < dEnd; i++)
      if (doc.lines[i].text.trim()) {
        iInd = indentOf(doc.lines[i].text);
        break;
      }
  }
  doc.insert(dEnd, item(iInd ?? indentOf(doc.lines[d].text) + u));
  ws.write(file, doc.toString());
  return {
    step: 6,
    title,
    status: 'done',
    reason: changedOuter ? 'merged into the existing dependsOn and its condition' : 'merged into the existing dependsOn',
    files: [file],
  };
}
