// `bbmesh render`: the package rendered exactly as Big Bang + Flux would, in two stages.
//  1. helm template bigbang-<pkg> <pkg>/bigbang -n bigbang  (umbrella values, bigbang/values.yaml, -f, --set)
//  2. for each HelmRelease of stage 1 whose chart is <pkg>/chart: merge values like Flux
//     (valuesFrom in order, then spec.values) and helm template the chart under Flux's release name.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { checkHelmVersion, findHelm, helmErrorMessage, PROJECT_ROOT, run, type RunResult } from './helm.js';
import { mergeValues, parseSet, isPlainObject, parseKeyPath, setPath, typedScalar, type Values } from './values.js';
import type { Manifest } from '../../manifest/types.js';
import { redactSecret } from './redact.js';

export interface RenderOptions {
  /** Umbrella values files, lowest precedence (the umbrella chart's values.yaml). Default: built-in. */
  umbrellaValues?: string[];
  /** Extra values files for stage 1, after bigbang/values.yaml. */
  values?: string[];
  /** `--set K=V` for stage 1. */
  set?: string[];
  helm?: string;
  /** Package name; default: from bigbang/Chart.yaml (`bigbang-<pkg>`) or the chart's name. */
  packageName?: string;
  kubeVersion?: string;
  /** Advertise the Istio (and Gateway API) group versions in `.Capabilities` (default true; false: a cluster without Istio). */
  istioApis?: boolean;
  /** Print credential Secrets' sensitive values as rendered (default: redacted). */
  showSecrets?: boolean;
}

export interface ReleaseInfo {
  /** The HelmRelease object (namespace/name) in stage 1. */
  helmRelease: { namespace: string; name: string };
  releaseName: string;
  namespace: string;
  chartDir: string;
  /** The merged values passed to the package chart (chart defaults are added by Helm). */
  values: Values;
}

export interface RenderResult {
  packageDir: string;
  packageName: string;
  /** The YAML stream `bbmesh render` prints; every manifest's position refers to it. */
  text: string;
  manifests: Manifest[];
  releases: ReleaseInfo[];
  /** Stage-1 values as merged from the files (umbrella < bigbang/values.yaml < -f < --set). */
  bigbangValues: Values;
}

export const BUILTIN_UMBRELLA = join(PROJECT_ROOT, 'src', 'sources', 'render', 'umbrella-defaults.yaml');
const KUBE_VERSION = '1.31.0';
const API_VERSIONS = [
  'networking.istio.io/v1beta1',
  'networking.istio.io/v1alpha3',
  'networking.istio.io/v1',
  'security.istio.io/v1beta1',
  'security.istio.io/v1',
  'helm.toolkit.fluxcd.io/v2',
  'helm.toolkit.fluxcd.io/v2beta2',
  'helm.toolkit.fluxcd.io/v2beta1',
  'source.toolkit.fluxcd.io/v1',
  'source.toolkit.fluxcd.io/v1beta2',
  'monitoring.coreos.com/v1',
];

const MESH_GROUPS = /^(networking|security|telemetry|extensions)\.istio\.io\/|^gateway\.networking\.k8s\.io\//;

function apiArgs(kubeVersion?: string, istioApis = true): string[] {
  const args = ['--kube-version', kubeVersion ?? KUBE_VERSION];
  for (const a of API_VERSIONS) if (istioApis || !MESH_GROUPS.test(a)) args.push('--api-versions', a);
  return args;
}

/** Flux's default release name: `<targetNamespace>-<name>`, shortened past 53 characters. */
export function fluxReleaseName(hr: { name: string; targetNamespace?: string; releaseName?: string }): string {
  if (hr.releaseName) return hr.releaseName;
  const full = hr.targetNamespace ? `${hr.targetNamespace}-${hr.name}` : hr.name;
  if (full.length <= 53) return full;
  return `${full.slice(0, 40)}-${createHash('sha256').update(full).digest('hex').slice(0, 12)}`;
}

function requireDir(dir: string, what: string, hint: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${what} not found: ${dir}`, { hint });
}

function readChartName(chartDir: string): string | undefined {
  const f = join(chartDir, 'Chart.yaml');
  if (!existsSync(f)) return undefined;
  const m = /^name:\s*["']?([^"'\s#]+)/m.exec(readFileSync(f, 'utf8'));
  return m?.[1];
}

export function packageNameOf(packageDir: string, explicit?: string): string {
  if (explicit) return explicit;
  const bb = readChartName(join(packageDir, 'bigbang'));
  if (bb?.startsWith('bigbang-')) return bb.slice('bigbang-'.length);
  return readChartName(join(packageDir, 'chart')) ?? basename(resolve(packageDir));
}

async function loadYamlFile(file: string): Promise<Values> {
  const { loadYaml11, YamlBoundError } = await import('../../manifest/yaml11.js');
  const { readText } = await import('../files.js');
  const text = readText(file, 'values file');
  let v: unknown;
  try {
    v = loadYaml11(text, file);
  } catch (err: any) {
    const mark = err?.mark;
    const bound = err instanceof YamlBoundError; // an alias bomb or 50,000 brackets: not a typo
    throw new UserError(`${bound ? '' : 'malformed YAML: '}${String(err?.reason ?? err?.message).split('\n')[0]}`, {
      file,
      line: mark ? mark.line + 1 : undefined,
      column: mark ? mark.column + 1 : undefined,
      hint: bound ? 'values need neither; is this file generated or hostile?' : 'fix the YAML syntax',
    });
  }
  if (v == null) return {};
  if (!isPlainObject(v)) throw new UserError('a values file must be a YAML mapping', { file, line: 1, column: 1 });
  return v;
}

/** Adds `namespace:` under `metadata:` to a rendered document that lacks it (as Flux applies it). */
export function withNamespace(doc: string, namespace: string): string {
  const m = /^metadata:[ \t]*\r?\n((?:[ \t]*#.*\r?\n)*)([ \t]+)\S/m.exec(doc);
  if (!m) return doc;
  const insertAt = m.index + m[0].length - 1 - m[2].length;
  return `${doc.slice(0, insertAt)}${m[2]}namespace: ${namespace}\n${doc.slice(insertAt)}`;
}

// The CLI may start stage 1 before it has even loaded its flag parser (see `startEarly`): the
// run is used only when the binary and arguments turn out identical.
let early: { key: string; run: Promise<RunResult> } | undefined;

function takeEarlyStart(helm: string, args: string[]): Promise<RunResult> | undefined {
  const key = JSON.stringify([helm, args]);
  const e = early;
  early = undefined;
  return e && e.key === key ? e.run : undefined;
}

/**
 * Starts stage 1 of `bbmesh render <dir>` at once, for the plain form with default options:
 * Helm then runs while the CLI loads and parses its flags. Anything unusual is left to the
 * normal path; a run that ends up unused is harmless (it only reads files).
 */
export function startEarly(packageDir: string): void {
  try {
    const pkgDir = resolve(packageDir);
    const bbDir = join(pkgDir, 'bigbang');
    if (!existsSync(join(bbDir, 'Chart.yaml')) || !existsSync(join(pkgDir, 'chart'))) return;
    const helm = findHelm(undefined);
    const args = [
      'template',
      `bigbang-${packageNameOf(pkgDir)}`,
      bbDir,
      '-n',
      'bigbang',
      '-f',
      BUILTIN_UMBRELLA,
      '-f',
      join(bbDir, 'values.yaml'),
      ...apiArgs(undefined),
    ];
    const r = run(helm, args);
    r.catch(() => undefined);
    early = { key: JSON.stringify([helm, args]), run: r };
  } catch {
    early = undefined;
  }
}

export async function renderPackage(packageDir: string, opts: RenderOptions = {}): Promise<RenderResult> {
  const pkgDir = resolve(packageDir);
  requireDir(pkgDir, 'package directory', 'pass the directory that holds bigbang/ and chart/');
  const bbDir = join(pkgDir, 'bigbang');
  const chartDir = join(pkgDir, 'chart');
  requireDir(bbDir, 'bigbang/ dev chart', "run `bbmesh integrate` to scaffold it, or see Big Bang's flux.md");
  requireDir(chartDir, 'chart/ directory', 'a Big Bang package keeps its Helm chart in chart/');
  const pkg = packageNameOf(pkgDir, opts.packageName);
  const helm = findHelm(opts.helm);

  const umbrella = opts.umbrellaValues?.length ? opts.umbrellaValues.map((f) => resolve(f)) : [BUILTIN_UMBRELLA];
  const files = [...umbrella, join(bbDir, 'values.yaml'), ...(opts.values ?? []).map((f) => resolve(f))];
  const { requireRegularFile } = await import('../files.js');
  for (const f of files) requireRegularFile(f, 'values file'); // never a device or pipe: Helm would read it without end
  const setArgs: string[] = [];
  for (const s of opts.set ?? []) {
    parseSet(s);
    setArgs.push('--set', s);
  }

  // Start Helm first: everything below overlaps with it.
  const stage1Args = [
    'template',
    `bigbang-${pkg}`,
    bbDir,
    '-n',
    'bigbang',
    ...files.flatMap((f) => ['-f', f]),
    ...setArgs,
    ...apiArgs(opts.kubeVersion, opts.istioApis),
  ];
  const stage1 = takeEarlyStart(helm, stage1Args) ?? run(helm, stage1Args);
  const version = checkHelmVersion(helm);
  const { loadManifests, splitDocuments, CLUSTER_SCOPED } = await import('../../manifest/load.js');
  const { loadYaml11 } = await import('../../manifest/yaml11.js');

  let bigbangValues: Values = {};
  for (const f of files) bigbangValues = mergeValues(bigbangValues, await loadYamlFile(f));
  for (const s of opts.set ?? []) bigbangValues = mergeValues(bigbangValues, parseSet(s));

  await version;
  const r1 = await stage1;
  if (r1.code !== 0) throw helmErrorMessage(r1.stderr, bbDir);

  const stage1Text = r1.stdout;
  // Stage 2 needs only the HelmReleases and the values they reference.
  const stage1Manifests = loadManifests(stage1Text, {
    file: 'bigbang (stage 1)',
    stage: 'bigbang',
    defaultNamespace: 'bigbang',
    chartDir: bbDir,
    release: `bigbang-${pkg}`,
    kinds: new Set(['HelmRelease', 'Secret', 'ConfigMap']),
  });
  const chartName = readChartName(chartDir);

  const releases: ReleaseInfo[] = [];
  for (const hr of stage1Manifests.filter((m) => m.kind === 'HelmRelease')) {
    const spec: any = hr.obj.spec ?? {};
    const cs: any = spec.chart?.spec ?? {};
    const ref = cs.sourceRef ?? {};
    let target: string | undefined;
    if (typeof cs.chart === 'string') {
      if (ref.kind === 'GitRepository' || !ref.kind) {
        const candidate = resolve(pkgDir, cs.chart);
        if (candidate === chartDir) target = chartDir;
      } else if (cs.chart === chartName) {
        target = chartDir;
      }
    }
    if (!target) continue;
    let values: Values = {};
    (spec.valuesFrom ?? []).forEach((vf: any, i: number) => {
      const kind = vf.kind ?? 'Secret';
      const key = vf.valuesKey ?? 'values.yaml';
      const src = stage1Manifests.find((m) => m.kind === kind && m.name === vf.name && m.namespace === hr.namespace);
      const where = `HelmRelease ${hr.namespace}/${hr.name} valuesFrom[${i}] (${kind} ${vf.name}, key ${key})`;
      if (!src) {
        if (vf.optional) return;
        throw new UserError(`${kind} ${hr.namespace}/${vf.name} referenced by ${where} is not rendered by the bigbang/ chart`, {
          file: hr.origin.template ? join(bbDir, hr.origin.template.split('/').slice(1).join('/')) : undefined,
          hint: `render the ${kind} in ${hr.origin.template?.split('/').slice(0, -1).join('/') ?? 'bigbang/templates'} (values-secret helper) or mark the entry optional: true`,
        });
      }
      const data: any = src.obj;
      let raw: string | undefined;
      if (data.stringData && key in data.stringData) raw = String(data.stringData[key] ?? '');
      else if (data.data && key in data.data)
        raw = kind === 'Secret' ? Buffer.from(String(data.data[key]), 'base64').toString('utf8') : String(data.data[key]);
      if (raw === undefined) {
        if (vf.optional) return;
        throw new UserError(`key "${key}" is missing from ${kind} ${hr.namespace}/${vf.name}, referenced by ${where}`, {
          hint: 'add the key or set valuesKey to an existing one',
        });
      }
      if (vf.targetPath) {
        const v: Values = {};
        setPath(v, parseKeyPath(vf.targetPath), typedScalar(raw.trim()));
        values = mergeValues(values, v);
        return;
      }
      let parsed: unknown;
      try {
        parsed = loadYaml11(raw);
      } catch (err: any) {
        throw new UserError(
          `malformed values in ${kind} ${hr.namespace}/${vf.name} key ${key}: ${String(err?.reason ?? err?.message).split('\n')[0]}`,
          { hint: `check ${hr.origin.template ?? 'the values template'}` },
        );
      }
      if (parsed == null) return;
      if (!isPlainObject(parsed)) throw new UserError(`${kind} ${hr.namespace}/${vf.name} key ${key} is not a YAML mapping`);
      values = mergeValues(values, parsed);
    });
    if (isPlainObject(spec.values)) values = mergeValues(values, spec.values);
    const releaseName = fluxReleaseName({ name: hr.name, targetNamespace: spec.targetNamespace, releaseName: spec.releaseName });
    releases.push({
      helmRelease: { namespace: hr.namespace, name: hr.name },
      releaseName,
      namespace: spec.targetNamespace ?? hr.namespace,
      chartDir: target,
      values,
    });
  }

  // Stage 2, all releases in parallel.
  const tmp = mkdtempSync(join(tmpdir(), 'bbmesh-'));
  let stage2: string[];
  try {
    stage2 = await Promise.all(
      releases.map(async (rel, i) => {
        const vf = join(tmp, `values-${i}.json`);
        writeFileSync(vf, JSON.stringify(rel.values), { mode: 0o600 });
        const r = await run(helm, [
          'template',
          rel.releaseName,
          rel.chartDir,
          '-n',
          rel.namespace,
          '-f',
          vf,
          ...apiArgs(opts.kubeVersion, opts.istioApis),
        ]);
        if (r.code !== 0) throw helmErrorMessage(r.stderr, rel.chartDir);
        return r.stdout;
      }),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  // One stream: stage 1 then stage 2, each document tagged with its stage and namespace made explicit.
  const parts: string[] = [];
  const tag = (stage: string, rel: string, ns: string) => `# Stage: ${stage} (release ${rel}, namespace ${ns})\n`;
  const addStream = (text: string, stage: string, rel: string, ns: string) => {
    for (const d of splitDocuments(text, '')) {
      let body = d.text.slice(d.start, d.end).replace(/^---[^\n]*\n/, '');
      if (!/\S/.test(body.replace(/^#.*$/gm, ''))) continue;
      body = withNamespaceIfNeeded(body, ns, CLUSTER_SCOPED);
      if (!opts.showSecrets) body = redactSecret(body);
      parts.push(`---\n${tag(stage, rel, ns)}${body.endsWith('\n') ? body : body + '\n'}`);
    }
  };
  addStream(stage1Text, 'bigbang', `bigbang-${pkg}`, 'bigbang');
  releases.forEach((rel, i) => addStream(stage2[i], 'package', rel.releaseName, rel.namespace));
  const text = parts.join('');
  (await import('../../manifest/load.js')).assertWithinBounds(text, 'rendered');

  // Parsed on first use (printing the YAML needs no parse): positions refer to what `render` prints.
  let manifests: Manifest[] | undefined;
  const parse = (): Manifest[] => {
    const out = loadManifests(text, { file: 'rendered', stage: 'bigbang' });
    for (const m of out) {
      const d = m.origin.doc;
      const st = d ? /# Stage: (\w+) \(release (\S+), namespace (\S+)\)/.exec(d.text.slice(d.start, d.start + 200)) : null;
      if (!st) continue;
      m.origin.stage = st[1] === 'package' ? 'package' : 'bigbang';
      m.origin.release = st[2];
      m.origin.chartDir = m.origin.stage === 'package' ? releases.find((r) => r.releaseName === st[2])?.chartDir : bbDir;
    }
    return out;
  };
  return {
    packageDir: pkgDir,
    packageName: pkg,
    text,
    releases,
    bigbangValues,
    get manifests() {
      return (manifests ??= parse());
    },
  };
}

function withNamespaceIfNeeded(body: string, ns: string, clusterScoped: Set<string>): string {
  const kind = /^kind:\s*(\S+)/m.exec(body)?.[1];
  if (!kind || clusterScoped.has(kind)) return body;
  const meta = /^metadata:[ \t]*\r?\n((?:[ \t]+.*\r?\n|[ \t]*\r?\n)*)/m.exec(body);
  if (meta && /^[ \t]+namespace:/m.test(meta[1])) return body;
  return withNamespace(body, ns);
}
