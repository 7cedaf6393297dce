// The chart directory each HelmRelease of a Big Bang render gets, found the way Flux finds it:
// spec.chart.spec (a chart path in a GitRepository, or a chart name + version in a HelmRepository)
// or spec.chartRef (an OCIRepository), fetched through the local cache. Failures are results, not throws:
// one line naming the release and the --chart override that gets past it.
import { existsSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import type { K8sObject } from '../../manifest/types.js';
import { UserError } from '../../core/errors.js';
import { findHelm } from '../render/helm.js';
import { SourceCache, defaultCacheDir } from './cache.js';
import type { FluxContext } from './context.js';
import { withDependencies } from './dependencies.js';
import { SourceError, type CommandLog } from './exec.js';
import { fetchGitSource, type GitRef } from './git.js';
import { fetchOciChart, fetchRepoChart, type OciRef } from './helm.js';
import { defaultConcurrency, mapLimit } from './limit.js';
import { parseDuration } from '../../core/duration.js';

export interface ResolveOptions {
  /** Use only what the cache holds; never touch the network. */
  offline?: boolean;
  /** Cache root (default `$XDG_CACHE_HOME/bbmesh`, else `~/.cache/bbmesh`). */
  cacheDir?: string;
  /** `--chart NAME=DIR` overrides, keyed by HelmRelease name (or `namespace/name`). */
  localCharts?: Record<string, string>;
  /** Helm binary, as for `--helm` (see findHelm). */
  helm?: string;
  /** Every git/helm command (credentials redacted) with its duration in ms, for --debug. */
  onCommand?: CommandLog;
}

export type ChartResolution = { dir: string; source: string } | { error: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
const spec = (o: K8sObject): Obj => (isObj(o.spec) ? o.spec : {});
/** The string fields `keys` of a YAML map (numbers, e.g. an unquoted tag, become strings). */
function strings<K extends string>(v: unknown, keys: readonly K[]): Partial<Record<K, string>> | undefined {
  if (!isObj(v)) return undefined;
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) if (str(v[k])) out[k] = str(v[k]);
  return out;
}

export function createContext(opts: ResolveOptions = {}): FluxContext {
  let helm: string | undefined;
  return {
    cache: new SourceCache(opts.cacheDir ?? defaultCacheDir()),
    offline: !!opts.offline,
    git: 'git',
    helm: () => (helm ??= findHelm(opts.helm)),
    onCommand: opts.onCommand,
    memo: new Map(),
  };
}

function timeoutOf(s: Obj): number | undefined {
  const t = str(s.timeout);
  if (!t) return undefined;
  try {
    return parseDuration(t, 'spec.timeout');
  } catch {
    return undefined;
  }
}

function findSource(sources: ReadonlyArray<K8sObject>, kind: string, name: string, namespace: string): K8sObject {
  const same = sources.filter((s) => s.kind === kind && s.metadata?.name === name);
  const found = same.find((s) => (s.metadata?.namespace ?? '') === namespace) ?? same.find((s) => !s.metadata?.namespace);
  if (!found) throw new SourceError(`${kind} ${namespace ? `${namespace}/` : ''}${name} is not among the rendered sources`);
  return found;
}

/** `./chart` → `chart`; a path that leaves the source is refused. */
function chartPath(p: string): string {
  const n = posix.normalize(p.replace(/\\/g, '/')).replace(/^\/+/, '');
  if (n === '..' || n.startsWith('../')) throw new SourceError(`chart path ${p} leaves the source`);
  return n === '.' ? '' : n.replace(/\/+$/, '');
}

function requireChart(dir: string, where: string): void {
  if (!existsSync(join(dir, 'Chart.yaml'))) throw new SourceError(`no Chart.yaml at ${where}`);
}

async function fromChartSpec(chart: Obj, namespace: string, sources: ReadonlyArray<K8sObject>, ctx: FluxContext): Promise<ChartResolution> {
  const ref = isObj(chart.sourceRef) ? chart.sourceRef : {};
  const kind = str(ref.kind) ?? '';
  if (kind !== 'GitRepository' && kind !== 'HelmRepository') {
    throw new SourceError(
      `charts from a ${kind || 'source without a kind'} are not supported (GitRepository, HelmRepository, OCIRepository are)`,
    );
  }
  const src = findSource(sources, kind, str(ref.name) ?? '', str(ref.namespace) ?? namespace);
  const s = spec(src);
  const url = str(s.url);
  if (!url) throw new SourceError(`${kind} ${src.metadata?.name} has no spec.url`);
  const name = str(chart.chart);
  if (!name) throw new SourceError('spec.chart.spec.chart is empty');
  if (kind === 'GitRepository') {
    const ref: GitRef | undefined = strings(s.ref, ['branch', 'tag', 'semver', 'name', 'commit'] as const);
    const got = await fetchGitSource({ url, ref, ignore: str(s.ignore), timeoutMs: timeoutOf(s) }, ctx);
    const path = chartPath(name);
    const dir = join(got.dir, path);
    requireChart(dir, `${path || '.'} in ${got.url} ${got.revision}`);
    return { dir: await withDependencies(got.dir, dir, got.key, ctx), source: `${got.url} ${got.revision} ${path || '.'}` };
  }
  const got = await fetchRepoChart(
    { url, type: str(s.type), insecure: s.insecure === true, timeoutMs: timeoutOf(s) },
    name,
    str(chart.version),
    ctx,
  );
  return { dir: await withDependencies(got.root, got.dir, got.key, ctx), source: `${got.url} ${got.revision}` };
}

async function fromChartRef(ref: Obj, namespace: string, sources: ReadonlyArray<K8sObject>, ctx: FluxContext): Promise<ChartResolution> {
  const kind = str(ref.kind) ?? '';
  if (kind !== 'OCIRepository')
    throw new SourceError(`spec.chartRef to a ${kind || 'source without a kind'} is not supported (OCIRepository is)`);
  const src = findSource(sources, kind, str(ref.name) ?? '', str(ref.namespace) ?? namespace);
  const s = spec(src);
  const url = str(s.url);
  if (!url) throw new SourceError(`OCIRepository ${src.metadata?.name} has no spec.url`);
  const got = await fetchOciChart(
    {
      url,
      ref: strings(s.ref, ['tag', 'semver', 'digest'] as const) as OciRef | undefined,
      insecure: s.insecure === true,
      timeoutMs: timeoutOf(s),
    },
    ctx,
  );
  return { dir: await withDependencies(got.root, got.dir, got.key, ctx), source: `${got.url} ${got.revision}` };
}

function local(hr: K8sObject, dir: string): ChartResolution {
  const abs = resolve(dir);
  if (existsSync(join(abs, 'Chart.yaml'))) return { dir: abs, source: `local ${abs}` };
  // a package checkout instead of its chart: look where the HelmRelease's chart path points
  const chart = isObj(spec(hr).chart) && isObj((spec(hr).chart as Obj).spec) ? ((spec(hr).chart as Obj).spec as Obj) : {};
  const inner = str(chart.chart);
  if (inner) {
    const p = join(abs, chartPath(inner));
    if (existsSync(join(p, 'Chart.yaml'))) return { dir: p, source: `local ${p}` };
  }
  return { error: `${hr.metadata?.name}: not rendered: --chart ${hr.metadata?.name}=${dir} has no Chart.yaml` };
}

async function resolveIn(
  hr: K8sObject,
  sources: ReadonlyArray<K8sObject>,
  opts: ResolveOptions,
  ctx: FluxContext,
): Promise<ChartResolution> {
  const name = hr.metadata?.name ?? '(unnamed HelmRelease)';
  const namespace = hr.metadata?.namespace ?? '';
  const override = opts.localCharts?.[`${namespace}/${name}`] ?? opts.localCharts?.[name];
  try {
    if (override) return local(hr, override);
    const s = spec(hr);
    if (isObj(s.chartRef)) return await fromChartRef(s.chartRef, namespace, sources, ctx);
    const chart = isObj(s.chart) && isObj(s.chart.spec) ? s.chart.spec : undefined;
    if (!chart) throw new SourceError('the HelmRelease has neither spec.chart.spec nor spec.chartRef');
    return await fromChartSpec(chart, namespace, sources, ctx);
  } catch (e) {
    const reason = e instanceof UserError ? e.format() : e instanceof Error ? e.message : String(e);
    return { error: `${name}: not rendered: ${reason}; pass --chart ${name}=DIR` };
  }
}

/** The chart directory for one HelmRelease, given the source objects rendered with it. */
export function resolveChart(hr: K8sObject, sources: ReadonlyArray<K8sObject>, opts: ResolveOptions = {}): Promise<ChartResolution> {
  return resolveIn(hr, sources, opts, createContext(opts));
}

/**
 * resolveChart for many HelmReleases at once, at most `concurrency` (default: the number of cores) in
 * flight; releases on the same source share one lookup and one fetch. Results are in input order;
 * `onResolved` hears each one as it is ready (renders can start before the last fetch ends).
 */
export function resolveCharts(
  hrs: ReadonlyArray<K8sObject>,
  sources: ReadonlyArray<K8sObject>,
  opts: ResolveOptions & { concurrency?: number; onResolved?: (index: number, r: ChartResolution) => void } = {},
): Promise<ChartResolution[]> {
  const ctx = createContext(opts);
  return mapLimit(hrs, opts.concurrency ?? defaultConcurrency(), async (hr, i) => {
    const r = await resolveIn(hr, sources, opts, ctx);
    opts.onResolved?.(i, r);
    return r;
  });
}

export { mapLimit, defaultConcurrency } from './limit.js';
export { defaultCacheDir } from './cache.js';
export { applyPostRenderers, PostRenderError } from './post-render.js';
export type { CommandLog } from './exec.js';
