// BB005: the passdown (`bigbang.defaults.<pkg>`, merged by Flux into the chart values) and
// the chart templates must agree on the Istio keys: a written key no template reads is a
// silent no-op (e.g. writes `istioGateway.<pkg>.gateways` while the VirtualService reads
// `istio.<pkg>.gateways`), and a key the chart reads but nobody sets renders empty or fails. An unread key
// that routes nothing (`istio.injection`, read by the umbrella's namespace template; `istio.hardened` in a
// chart without hardened templates) has no runtime effect: info. So is a key written twice (last one wins).
import { asObject, isObject, type JsonObject } from '../../../manifest/json.js';
import { join } from 'node:path';
import { loadYaml11 } from '../../../manifest/yaml11.js';
import { chartTemplateFiles } from '../../../sources/package-files.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { duplicateKeys, keyLines } from './bb005-duplicate-keys.js';
import { display, findKeyPath, packageHelmRelease, posAt, type Pos } from './util.js';

/** Roots of the values tree that carry Istio settings. */
const ISTIO_ROOT = /^istio/i;
/** Keys that route traffic: unread, the VirtualService keeps the package default or does not render. */
const ROUTING_KEYS = new Set(['gateways', 'gateway', 'hosts', 'host']);

export interface ValuesRef {
  path: string[];
  file: string;
  pos: Pos;
}

/**
 * `.Values` paths read by a template: `.Values.a.b`, `(get .Values.a $pkg).b` / `(get .Values.a "x")`,
 * `index .Values "a" "b"`, `index .Values.a "b"`, with `$var := "literal"` resolved. A bare
 * `.Values.a` (toYaml, with, get without a key) reads the whole subtree.
 */
export function valuesRefs(text: string, file: string): ValuesRef[] {
  // `$pkg := "api"` ... `---` ... `$pkg := "ui"`: a variable means its latest assignment before the use.
  const assigns: Array<{ name: string; value: string; at: number }> = [];
  for (const m of text.matchAll(/(\$\w+)\s*:?=\s*"([^"]*)"/g)) assigns.push({ name: m[1], value: m[2], at: m.index });
  const varAt = (name: string, at: number): string | undefined => {
    let v: string | undefined;
    for (const a of assigns) if (a.name === name && a.at < at) v = a.value;
    return v;
  };
  const out: ValuesRef[] = [];
  const covered: Array<[number, number]> = [];
  const add = (path: Array<string | undefined>, index: number, len: number) => {
    covered.push([index, index + len]);
    if (path.some((p) => p === undefined)) return;
    out.push({ path: path as string[], file, pos: posAt(text, index) });
  };
  const seg = (s: string | undefined) => (s ? s.split('.').filter(Boolean) : []);
  for (const m of text.matchAll(/\((?:get|index)\s+\.Values((?:\.\w+)*)\s+((?:(?:\$\w+|"[^"]*")\s*)+)\)((?:\.\w+)*)/g)) {
    const keys = m[2]
      .trim()
      .split(/\s+/)
      .map((a) => (a.startsWith('"') ? a.slice(1, -1) : varAt(a, m.index)));
    add([...seg(m[1]), ...keys, ...seg(m[3])], m.index, m[0].length);
  }
  for (const m of text.matchAll(/\b(?:index)\s+\.Values((?:\.\w+)*)\s+((?:(?:\$\w+|"[^"]*")\s*)+)/g)) {
    if (covered.some(([a, b]) => m.index >= a && m.index < b)) continue;
    add(
      [
        ...seg(m[1]),
        ...m[2]
          .trim()
          .split(/\s+/)
          .map((a) => (a.startsWith('"') ? a.slice(1, -1) : varAt(a, m.index))),
      ],
      m.index,
      m[0].length,
    );
  }
  for (const m of text.matchAll(/\.Values((?:\.\w+)+)/g)) {
    if (covered.some(([a, b]) => m.index >= a && m.index < b)) continue;
    add(seg(m[1]), m.index, m[0].length);
  }
  return out;
}

function leaves(v: unknown, prefix: string[]): string[][] {
  if (isObject(v) && Object.keys(v).length) {
    return Object.entries(v).flatMap(([k, x]) => leaves(x, [...prefix, k]));
  }
  return [prefix];
}

function has(v: unknown, path: string[]): boolean {
  let cur = v;
  for (const k of path) {
    if (!isObject(cur) || !(k in cur)) return false;
    cur = cur[k];
  }
  return true;
}

const isPrefix = (a: string[], b: string[]) => a.length <= b.length && a.every((k, i) => b[i] === k);

export const bb005: Rule = {
  meta: {
    code: 'BB005',
    severity: 'error',
    title: 'Passdown writes an Istio key no template reads, or the chart reads an Istio key nobody sets',
    explanation:
      "`bigbang.defaults.<pkg>` (bigbang/templates/<pkg>/values.yaml) is how Big Bang tells the package chart about Istio: enabled, gateways, hosts. The keys it writes must be the keys the chart's templates read. " +
      'A mismatch (for example the passdown writes `istioGateway.<pkg>.gateways` while the VirtualService reads `istio.<pkg>.gateways`) is silently ignored by Helm, so the chart keeps its own default (`istio-system/main`) or renders nothing. ' +
      'An unread key that routes nothing (`istio.injection`, `istio.hardened` without hardened templates) changes nothing at run time and is info, as is a key written twice in one values document (Helm and Flux keep the last).',
    symptom: 'the VirtualService keeps the package default gateway (404 NR at the ingress gateway), or is not rendered at all',
    hint: 'make the passdown key and the template key the same (the guide uses `istio.<pkg>.gateways`, read by `(get .Values.istio $pkg).gateways`)',
    reads: ['HelmRelease', 'bigbang/templates/<pkg>/values.yaml', 'chart/templates/**', 'chart/values.yaml'],
    needsPackage: true,
  },
  check(ctx: RuleContext): FindingDraft[] {
    if (!ctx.pkg) return [];
    const hr = packageHelmRelease(ctx.model, ctx.pkg.name);
    const rel = ctx.pkg.renders['istio-enabled'].releases[0];
    const files = ctx.pkg.files;
    if (!hr || !rel) return [];
    const chartDir = rel.chartDir;
    const refs: ValuesRef[] = [];
    for (const f of chartTemplateFiles(files, chartDir)) {
      if (!/\.(ya?ml|tpl|txt)$/.test(f)) continue;
      const text = files.text(f);
      if (text) refs.push(...valuesRefs(text, f));
    }
    const out: FindingDraft[] = [];
    const passdownFile = join(ctx.pkg.dir, 'bigbang', 'templates', ctx.pkg.name, 'values.yaml');
    const passdownText = files.text(passdownFile) ?? '';
    const defineLine = Math.max(1, passdownText.split('\n').findIndex((l) => l.includes('define "bigbang.defaults.')) + 1);

    // 1. Keys written under an Istio root that no template reads.
    const written = Object.entries(rel.values)
      .filter(([k]) => ISTIO_ROOT.test(k))
      .flatMap(([k, v]) => leaves(v, [k]));
    const reported = new Set<string>();
    for (const w of written) {
      if (refs.some((r) => isPrefix(r.path, w) || isPrefix(w, r.path))) continue;
      // Report each unread subtree once, at its shallowest key no template reads into.
      let k = 1;
      while (k < w.length && refs.some((r) => isPrefix(w.slice(0, k), r.path))) k++;
      const keyPath = w.slice(0, k);
      const key = keyPath.join('.');
      if (reported.has(key)) continue;
      reported.add(key);
      const found = findKeyPath(passdownText, keyPath, defineLine);
      const inPassdown = found.depth === keyPath.length;
      const pos = found.pos ?? { line: defineLine, column: 1 };
      const readsSameLeaf = refs.filter(
        (r) =>
          r.path.length >= 2 &&
          ISTIO_ROOT.test(r.path[0]) &&
          r.path.slice(1).join('.') === keyPath.slice(1).join('.') &&
          r.path[0] !== keyPath[0],
      );
      const alt = readsSameLeaf[0]
        ? `; the chart reads \`${readsSameLeaf[0].path.join('.')}\` (${display(readsSameLeaf[0].file)}:${readsSameLeaf[0].pos.line})`
        : '';
      const where = inPassdown ? ' (bigbang.defaults.' + ctx.pkg.name + ')' : ' (user overlay or common values)';
      const routes = alt !== '' || written.some((l) => isPrefix(keyPath, l) && l.slice(1).some((k) => ROUTING_KEYS.has(k)));
      out.push({
        object: hr,
        file: { path: display(passdownFile), line: pos.line, column: pos.column },
        message: `the values passed to the chart set \`${key}\`${where}, but no chart template reads it${alt}${routes ? '' : '; it changes nothing in the package'}`,
        ...(routes
          ? {}
          : {
              severity: 'info' as const,
              symptom: 'none: the chart renders the same with or without the key',
              hint: 'nothing breaks; drop the key from the passdown, or read it in a template if it is meant to do something',
            }),
      });
    }

    // 1b. A key written twice in one values document: Helm and Flux keep the last, the first is lost.
    for (const d of duplicateKeys(hr, ctx.model.manifests)) {
      const lines = keyLines(passdownText, d.path.at(-1) ?? '', defineLine);
      const pos = lines.at(-1) ?? { line: defineLine, column: 1 };
      const also = lines.length > 1 ? ` (also at line ${lines[0].line})` : '';
      out.push({
        object: hr,
        file: { path: display(passdownFile), line: pos.line, column: pos.column },
        severity: 'info',
        message: `\`${d.path.join('.')}\` is written twice in ${d.source}${also}: Helm and Flux keep the last one, so the first block is ignored`,
        symptom: 'none if the last block is the one meant: the first block never reaches the chart',
        hint: `merge the two \`${d.path.join('.')}\` blocks into one`,
      });
    }

    // 2. Istio keys the chart reads that neither chart/values.yaml nor the passdown sets.
    let defaults: JsonObject;
    try {
      defaults = asObject(loadYaml11(files.text(join(chartDir, 'values.yaml')) ?? ''));
    } catch {
      defaults = {};
    }
    const seen = new Set<string>();
    for (const r of refs) {
      if (!ISTIO_ROOT.test(r.path[0])) continue;
      // The root must be set; a `<root>.<pkg>` block read by name must be set too.
      const need = r.path.length >= 2 && r.path[1] === ctx.pkg.name ? r.path.slice(0, 2) : r.path.slice(0, 1);
      if (has(defaults, need) || has(rel.values, need)) continue;
      const key = need.join('.');
      if (seen.has(key)) continue;
      seen.add(key);
      const writesOther = written.find(
        (w) => w.length >= 2 && w.slice(1).join('.').startsWith(need.slice(1).join('.')) && w[0] !== need[0],
      );
      out.push({
        object: hr,
        file: { path: display(r.file), line: r.pos.line, column: r.pos.column },
        message: `${display(r.file)} reads \`.Values.${r.path.join('.')}\`, but \`${key}\` is set neither in chart/values.yaml nor by the passdown${writesOther ? ` (the passdown writes \`${writesOther.join('.')}\`)` : ''}`,
      });
    }
    return out;
  },
};
