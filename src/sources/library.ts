// Objects a library chart wrote, as Big Bang 3.x packages have bb-common write their VirtualServices,
// ServiceEntries, NetworkPolicies and AuthorizationPolicies. Two ways in, as Helm renders them:
//  - subchart mode: Helm's `# Source:` is inside the dependency (`<chart>/charts/<lib>/templates/...`) and the
//    library reads the `<lib>:` values of the parent;
//  - template mode: a package template whose only content is `include`s of the library's definitions
//    (`{{ include "bb-common.routes.render" . }}`), reading the package's own values.
// Each such object is marked (origin.generated) with the values key that produced it, found from bb-common's
// naming of what it generates, so findings name `routes.inbound.<name>.gateways` in the values file that sets it.
import { join } from 'node:path';
import { asObject, isObject, type JsonObject } from '../manifest/json.js';
import { templateFileOf } from '../manifest/source.js';
import type { GeneratedOrigin, Manifest, Path } from '../manifest/types.js';
import { loadYaml11 } from '../manifest/yaml11.js';
import { displayPath, type PackageFiles } from './package-files.js';
import type { RenderResult } from './render/index.js';
import { mergeValues } from './render/values.js';

type Field = GeneratedOrigin['fields'][number];

const ROUTE_FIELDS: Record<string, Field[]> = {
  VirtualService: [
    { path: ['spec', 'gateways'], key: ['gateways'] },
    { path: ['spec', 'hosts'], key: ['hosts'] },
    { path: ['spec', 'tls'], key: ['passthrough'] },
  ],
  ServiceEntry: [{ path: ['spec', 'hosts'], key: ['hosts'] }],
  NetworkPolicy: [
    { path: ['spec', 'podSelector'], key: ['selector'] },
    { path: ['spec', 'ingress'], key: ['gateways'] },
  ],
  AuthorizationPolicy: [
    { path: ['spec', 'selector'], key: ['selector'] },
    { path: ['spec', 'rules'], key: ['gateways'] },
  ],
};

/** Destination host and port of a generated route: `service` and `port` (http or tls, any index). */
function routeFields(kind: string, m: Manifest): Field[] {
  const out: Field[] = [];
  const spec = asObject(m.obj.spec);
  for (const section of ['http', 'tls'] as const) {
    const rules = Array.isArray(spec[section]) ? spec[section] : [];
    rules.forEach((r: unknown, i: number) => {
      const routes = asObject(r).route;
      (Array.isArray(routes) ? routes : []).forEach((_: unknown, j: number) => {
        const d: Path = ['spec', section, i, 'route', j, 'destination'];
        out.push({ path: [...d, 'port'], key: ['port'] }, { path: [...d, 'host'], key: ['service'] });
      });
    });
  }
  if (kind === 'NetworkPolicy') out.push({ path: ['spec', 'ingress', 0, 'ports'], key: ['port'] });
  return out.concat(ROUTE_FIELDS[kind] ?? []);
}

const keysOf = (v: unknown): string[] => (isObject(v) ? Object.keys(v) : []);

/** `name` is `k` or `<release>-k` (bb-common may prepend the release name), followed by `rest`. */
function named(name: string, k: string, release: string | undefined, rest = ''): boolean {
  return name === `${k}${rest}` || (release !== undefined && name === `${release}-${k}${rest}`);
}

/** The values key (under the library's values) a bb-common object comes from, with its field map. */
function bbCommonKey(m: Manifest, values: JsonObject, release?: string): { key: string[]; fields: Field[] } {
  const routes = keysOf(asObject(values.routes).inbound).sort((a, b) => b.length - a.length);
  const route = (k: string) => ({ key: ['routes', 'inbound', k], fields: routeFields(m.kind, m) });
  const n = m.name;
  const gwSuffix = /-[a-z0-9-]+-authz-policy$/;
  switch (m.kind) {
    case 'VirtualService': {
      const k = routes.find((r) => named(n, r, release));
      if (k) return route(k);
      break;
    }
    case 'ServiceEntry': {
      const k = routes.find((r) => named(n, r, release, '-internal'));
      if (k) return route(k);
      break;
    }
    case 'NetworkPolicy': {
      const k = routes.find((r) => new RegExp(`^(?:.+-)?allow-ingress-to-${escape(r)}-(?:\\d+|any-port)-from-ns-`).test(n));
      if (k) return route(k);
      const to = asObject(asObject(asObject(values.networkPolicies).ingress).to);
      const local = Object.keys(to).find((key) => {
        const [pod, port] = key.split(':');
        return n.includes(`allow-ingress-to-${pod}-${port ? `tcp-port-${port}` : 'any-port'}-from-`);
      });
      if (local) return { key: ['networkPolicies', 'ingress', 'to', local], fields: [] };
      const dir = /default-(ingress|egress)-/.exec(n)?.[1];
      if (dir) return { key: ['networkPolicies', dir, 'defaults'], fields: [] };
      return { key: ['networkPolicies'], fields: [] };
    }
    case 'AuthorizationPolicy': {
      const k = routes.find((r) => n.startsWith(`${r}-`) && gwSuffix.test(n.slice(r.length)));
      if (k) return route(k);
      return { key: ['istio', 'authorizationPolicies'], fields: [] };
    }
    case 'PeerAuthentication':
      return { key: ['istio', 'mtls'], fields: [] };
    case 'Sidecar':
      return { key: ['istio', 'sidecar'], fields: [] };
  }
  return { key: [], fields: [] };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Template names each subchart defines (`{{ define "bb-common.routes.render" }}`), by subchart. */
function definitionsBySubchart(files: PackageFiles, chartDir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of files.subcharts(chartDir)) {
    for (const f of files.list(join(c.dir, 'templates'))) {
      for (const d of (files.text(f) ?? '').matchAll(/\{\{-?\s*define\s+"([^"]+)"/g)) if (!out.has(d[1])) out.set(d[1], c.name);
    }
  }
  return out;
}

/** The library a package template hands its whole output to: it writes no object itself, only includes the library's templates. */
function includingLibrary(text: string | undefined, defs: Map<string, string>): string | undefined {
  if (!text || /^\s*(apiVersion|kind)\s*:/m.test(text)) return undefined;
  const libs = [...text.matchAll(/\b(?:include|template)\s+"([^"]+)"/g)].map((x) => defs.get(x[1]));
  return libs.length && libs.every((l) => l !== undefined && l === libs[0]) ? libs[0] : undefined;
}

function parseValues(text: string | undefined): JsonObject {
  try {
    return asObject(loadYaml11(text ?? ''));
  } catch {
    return {};
  }
}

/** Marks the library-generated objects of a package render (origin.generated); returns how many. */
export function markLibraryObjects(render: RenderResult, files: PackageFiles): number {
  let marked = 0;
  const defsByChart = new Map<string, Map<string, string>>();
  const passdownFile = join(render.packageDir, 'bigbang', 'templates', render.packageName, 'values.yaml');
  const passdown = files.text(passdownFile);
  const defineLine = passdown ? Math.max(1, passdown.split('\n').findIndex((l) => l.includes('define "bigbang.defaults.')) + 1) : 1;
  for (const m of render.manifests) {
    const chartDir = m.origin.chartDir;
    const tpl = m.origin.template;
    if (m.origin.stage !== 'package' || !chartDir || !tpl) continue;
    let defs = defsByChart.get(chartDir);
    if (!defs) defsByChart.set(chartDir, (defs = definitionsBySubchart(files, chartDir)));
    const parts = tpl.split('/');
    const subchart = parts[1] === 'charts' && parts.length > 3 ? parts[2] : undefined;
    const library = subchart ?? includingLibrary(files.text(templateFileOf(m) ?? ''), defs);
    if (!library || (subchart && !files.subcharts(chartDir).some((c) => c.name === subchart))) continue;
    const chartValuesFile = join(chartDir, 'values.yaml');
    const chartValues = files.text(chartValuesFile);
    const release = render.releases.find((r) => r.releaseName === m.origin.release);
    const merged = mergeValues(parseValues(chartValues), asObject(release?.values));
    const prefix = subchart ? [subchart] : [];
    const libValues = subchart ? asObject(merged[subchart]) : merged;
    const found = library === 'bb-common' ? bbCommonKey(m, libValues, m.origin.release) : { key: [], fields: [] };
    const values: GeneratedOrigin['values'] = [];
    if (passdown) values.push({ file: displayPath(passdownFile), text: passdown, fromLine: defineLine });
    if (chartValues !== undefined) values.push({ file: displayPath(chartValuesFile), text: chartValues });
    m.origin.generated = { library, key: found.key.length ? [...prefix, ...found.key] : [], fields: found.fields, values };
    marked++;
  }
  return marked;
}

/** Written by a library chart, not by the maintainer's own templates. */
export function isLibraryGenerated(m: Manifest): boolean {
  return m.origin.generated !== undefined;
}
