// The bb-common library chart as a Big Bang 3.x package uses it: declared in chart/Chart.yaml (from
// registry1's OCI repository), vendored into chart/charts/ by `helm dependency update`, and rendered by
// one include per concern in chart/templates/bigbang/.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { UserError } from '../core/errors.js';
import { listFiles } from './services.js';
import type { StepReport } from './types.js';
import type { Workspace } from './workspace.js';
import { eolOf, indentUnit } from './yaml-text.js';

export const BB_COMMON = 'bb-common';
export const BB_COMMON_REPOSITORY = 'oci://registry1.dso.mil/bigbang';
export const CHART_YAML = 'chart/Chart.yaml';
/** The command that vendors the library, run in the package directory. */
export const DEPENDENCY_UPDATE = 'helm dependency update chart/';

/** The library's render entry points and the template that calls each, as 3.x packages lay them out. */
export const RENDERS = [
  { include: 'bb-common.routes.render', file: 'chart/templates/bigbang/routes.yaml' },
  { include: 'bb-common.network-policies.render', file: 'chart/templates/bigbang/network-policies.yaml' },
  { include: 'bb-common.istio.render', file: 'chart/templates/bigbang/istio.yaml' },
] as const;

export interface Vendored {
  /** Relative to the package directory. */
  file: string;
  version: string;
}

/** bb-common in chart/charts/: `bb-common-<version>.tgz` archives (as helm writes them) and an unpacked `bb-common/`. */
export function vendoredLibrary(ws: Workspace): Vendored[] {
  const dir = ws.abs('chart/charts');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: Vendored[] = [];
  for (const n of names.sort()) {
    const m = /^bb-common-(.+)\.tgz$/.exec(n);
    if (m && semver.valid(m[1])) out.push({ file: `chart/charts/${n}`, version: m[1] });
    if (n === BB_COMMON && statSync(join(dir, n)).isDirectory()) {
      const v = /^version:\s*["']?([^"'\s#]+)/m.exec(ws.read('chart/charts/bb-common/Chart.yaml') ?? '')?.[1];
      if (v) out.push({ file: 'chart/charts/bb-common/', version: v });
    }
  }
  return out;
}

export function newest(vs: Vendored[]): Vendored | undefined {
  return [...vs].sort((a, b) => semver.rcompare(semver.coerce(a.version) ?? '0.0.0', semver.coerce(b.version) ?? '0.0.0'))[0];
}

/** Whether a vendored copy satisfies the declared version (a version or a range, as Chart.yaml allows). */
export function satisfies(v: Vendored, declared: string | undefined): boolean {
  if (!declared) return true;
  return semver.valid(declared) ? semver.eq(v.version, declared) : semver.satisfies(v.version, declared);
}

export function checkVersionFlag(v: string): void {
  if (!semver.validRange(v))
    throw new UserError(`--bb-common-version ${v} is not a version`, { hint: 'pass a bb-common release such as 0.12.0' });
}

/** The library directory a `file://` repository names (resolved from chart/, as helm does), if it holds a chart. */
export function localLibrary(ws: Workspace, repository: string | undefined): string | undefined {
  if (!repository?.startsWith('file://')) return undefined;
  let p: string;
  try {
    p = repository.startsWith('file:///') ? fileURLToPath(repository) : repository.slice('file://'.length);
  } catch {
    return undefined;
  }
  const dir = isAbsolute(p) ? p : resolve(ws.abs('chart'), p);
  return existsSync(join(dir, 'Chart.yaml')) ? dir : undefined;
}

function keyOf(p: Pair): string | undefined {
  return isScalar(p.key) ? String(p.key.value) : undefined;
}

function get(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  return map.items.filter((p) => keyOf(p as Pair) === key).pop() as Pair<Node, Node | null> | undefined;
}

function scalar(map: YAMLMap, key: string): string | undefined {
  const v = get(map, key)?.value;
  return isScalar(v) && v.value !== null ? String(v.value) : undefined;
}

export interface Declared {
  version?: string;
  repository?: string;
}

/** The bb-common entry of chart/Chart.yaml's dependencies, if it has one. */
export function declaredLibrary(text: string): Declared | undefined {
  const doc = parseDocument(text, { uniqueKeys: false });
  const deps = isMap(doc.contents) ? get(doc.contents, 'dependencies')?.value : undefined;
  if (!isSeq(deps)) return undefined;
  for (const item of deps.items) {
    if (isMap(item) && scalar(item, 'name') === BB_COMMON)
      return { version: scalar(item, 'version'), repository: scalar(item, 'repository') };
  }
  return undefined;
}

const quoted = (s: string) => JSON.stringify(s);

/** chart/Chart.yaml with the bb-common dependency (or its version set), or why it cannot be edited. */
export function withDependency(
  text: string,
  version: string,
  repository: string,
  setVersion: boolean,
): { text: string } | { error: string } {
  const src = text.replace(/\r(?!\n)/g, '\n');
  const eol = eolOf(text);
  const unit = indentUnit(src.split('\n'));
  const doc = parseDocument(src, { uniqueKeys: false });
  if (doc.errors.length) return { error: `does not parse as YAML (${doc.errors[0].message.split('\n')[0]})` };
  const root = doc.contents;
  if (!isMap(root) || root.flow) return { error: 'is not a block mapping' };
  if (scalar(root, 'apiVersion') === 'v1') return { error: 'is an apiVersion v1 chart (dependencies live in requirements.yaml)' };
  const splice = (at: number, del: number, ins: string) => ({ text: text.slice(0, at) + ins + text.slice(at + del) });
  const lineStart = (pos: number) => src.lastIndexOf('\n', pos - 1) + 1;
  const lineEnd = (pos: number) => {
    const i = src.indexOf('\n', pos);
    return i < 0 ? src.length : i + 1;
  };
  const entry = (dash: number, keys: number) =>
    [
      `${' '.repeat(dash)}- name: ${BB_COMMON}`,
      `${' '.repeat(keys)}version: ${quoted(version)}`,
      `${' '.repeat(keys)}repository: ${repository}`,
    ]
      .map((l) => l + eol)
      .join('');
  const pair = get(root, 'dependencies');
  const deps = pair?.value;
  if (!pair) {
    const tail = text.length && !/[\r\n]$/.test(text) ? eol : '';
    return splice(text.length, 0, `${tail}dependencies:${eol}${entry(unit, unit + 2)}`);
  }
  if (isSeq(deps)) {
    const existing = deps.items.find((i) => isMap(i) && scalar(i, 'name') === BB_COMMON);
    if (isMap(existing)) {
      const v = get(existing, 'version')?.value;
      if (!setVersion || !isScalar(v) || !v.range || String(v.value) === version) return { text };
      const raw = src.slice(v.range[0], v.range[1]);
      const q = /^['"]/.test(raw) ? raw[0] : '"';
      return splice(v.range[0], v.range[1] - v.range[0], `${q}${version}${q}`);
    }
    if (deps.flow && deps.items.length) {
      const last = deps.items[deps.items.length - 1] as Node;
      return splice(last.range![1], 0, `, {name: ${BB_COMMON}, version: ${quoted(version)}, repository: ${repository}}`);
    }
    if (!deps.flow && deps.items.length) {
      const dash = deps.range![0] - lineStart(deps.range![0]);
      const first = deps.items[0] as Node;
      const keys = first.range![0] - lineStart(first.range![0]);
      const last = deps.items[deps.items.length - 1] as Node;
      return splice(lineEnd(last.range![1] - 1), 0, entry(dash, keys));
    }
  }
  const value = deps as Node | null;
  const empty = value === null || (isScalar(value) && value.value === null) || (isSeq(value) && value.flow && !value.items.length);
  if (!empty) return { error: 'has dependencies bbmesh cannot edit' };
  // `dependencies:`, `dependencies: ~`, `dependencies: []`: the entry becomes a block under the key.
  const key = pair.key as Node;
  const col = key.range![0] - lineStart(key.range![0]);
  const end = value?.range && value.range[1] > value.range[0] ? value.range : undefined;
  const at = lineEnd((end ?? key.range!)[1]);
  const lead = at === text.length && !/[\r\n]$/.test(text) ? eol : '';
  let out = text.slice(0, at) + lead + entry(col + unit, col + unit + 2) + text.slice(at);
  if (end) {
    let from = end[0];
    while (from > 0 && /[ \t]/.test(src[from - 1])) from--;
    out = out.slice(0, from) + out.slice(end[1]);
  }
  return { text: out };
}

/** Step 2 of the 3.x integration: the dependency in chart/Chart.yaml and the render includes. */
export function stepLibrary(ws: Workspace, version: string, repository: string, setVersion: boolean): StepReport {
  const title = 'bb-common library';
  const before = ws.read(CHART_YAML) ?? '';
  const r = withDependency(before, version, repository, setVersion);
  if ('error' in r) return { step: 2, title, status: 'skipped', reason: `${CHART_YAML} ${r.error}; add bb-common by hand`, files: [] };
  const check = parseDocument(r.text.replace(/\r(?!\n)/g, '\n'));
  if (check.errors.length || declaredLibrary(r.text)?.version === undefined)
    return { step: 2, title, status: 'skipped', reason: `${CHART_YAML} could not be edited safely; add bb-common by hand`, files: [] };
  const files: string[] = [];
  if (r.text !== before) {
    ws.write(CHART_YAML, r.text);
    files.push(CHART_YAML);
  }
  const templates = listFiles(ws, 'chart/templates').filter((f) => /\.(ya?ml|tpl)$/.test(f));
  for (const { include, file } of RENDERS) {
    const call = new RegExp(`include\\s+"${include.replace(/\./g, '\\.')}"`);
    if (templates.some((f) => call.test(ws.read(f) ?? ''))) continue;
    const text = `{{- include "${include}" . }}\n`;
    const free = ws.exists(file) && ws.read(file) !== text ? file.replace(/\/([^/]+)$/, '/bb-common-$1') : file;
    if (ws.read(free) === text) continue;
    ws.write(free, text);
    files.push(free);
  }
  return files.length ? { step: 2, title, status: 'done', files } : { step: 2, title, status: 'present', files: [] };
}
