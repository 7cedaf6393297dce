// HelmRepository (`type: default` index over HTTP(S), or `type: oci`) and OCIRepository charts, pulled
// with the real `helm` into the cache. A version is known before pulling wherever possible (an exact
// version, or a range resolved against the repository index), so a cached chart costs no download.
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import yaml from 'js-yaml';
import { cacheKey, type EntryMeta } from './cache.js';
import { DEFAULT_TIMEOUT_MS, once, type FluxContext } from './context.js';
import { chartVersion } from './dependencies.js';
import { SourceError, errorLine, exec, redactUrls, stripCredentials } from './exec.js';
import { highestMatching, isExactVersion, pickChartVersion } from './versions.js';

export interface HelmRepositorySource {
  url: string;
  type?: string;
  /** spec.insecure: an OCI registry over plain HTTP. */
  insecure?: boolean;
  timeoutMs?: number;
}

export interface OciRef {
  tag?: string;
  semver?: string;
  digest?: string;
}

export interface OciRepositorySource {
  url: string;
  ref?: OciRef;
  /** spec.insecure: the registry speaks plain HTTP. */
  insecure?: boolean;
  timeoutMs?: number;
}

export interface FetchedChart {
  /** The untarred chart directory. */
  dir: string;
  /** Directory the chart sits in (the cache entry's content). */
  root: string;
  key: string;
  url: string;
  /** The chart version, or the digest when pulled by digest. */
  revision: string;
}

const trimSlash = (u: string) => u.replace(/\/+$/, '');

function chartIn(content: string): string {
  const dir = readdirSync(content).find((n) => existsSync(join(content, n, 'Chart.yaml')));
  if (!dir) throw new SourceError('the pulled archive holds no chart');
  return join(content, dir);
}

function fromEntry(content: string, key: string, url: string, revision: string): FetchedChart {
  return { dir: chartIn(content), root: content, key, url, revision };
}

/** `helm pull` into a fresh temporary directory; returns it and what helm printed. */
async function pull(ctx: FluxContext, args: string[], timeoutMs: number): Promise<{ tmp: string; out: string }> {
  const tmp = ctx.cache.tempDir();
  const r = await exec(ctx.helm(), ['pull', ...args, '--untar', '--untardir', tmp], { timeoutMs, onCommand: ctx.onCommand });
  if (r.code !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new SourceError(`helm pull ${redactUrls(args[0])} failed: ${errorLine(r.stderr)}`);
  }
  return { tmp, out: `${r.stdout}\n${r.stderr}` };
}

/** Pulls, then files the chart under the key its pulled version (or digest) gives. */
async function pullAndStore(
  ctx: FluxContext,
  args: string[],
  timeoutMs: number,
  identity: (version: string, digest?: string) => { parts: string[]; meta: Omit<EntryMeta, 'created'>; revision: string },
): Promise<FetchedChart> {
  const { tmp, out } = await pull(ctx, args, timeoutMs);
  const pulled = chartIn(tmp);
  const version = chartVersion(pulled) ?? '0.0.0';
  const digest = /Digest:\s*(sha256:[0-9a-f]{64})/.exec(out)?.[1];
  const id = identity(version, digest);
  const key = cacheKey(id.parts);
  try {
    const content = await ctx.cache.put(key, id.meta, async (dir) => renameSync(pulled, join(dir, basename(pulled))));
    return fromEntry(content, key, id.meta.url, id.revision);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Versions of each chart in a repository index, or undefined when the index cannot be read (helm then decides). */
function indexVersions(repoUrl: string, ctx: FluxContext, timeoutMs: number): Promise<Map<string, string[]> | undefined> {
  return once(ctx, `helm-index:${repoUrl}`, async () => {
    const url = `${trimSlash(repoUrl)}/index.yaml`;
    const started = Date.now();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) return undefined;
      const index = yaml.load(await res.text()) as { entries?: Record<string, Array<{ version?: unknown }>> } | undefined;
      const out = new Map<string, string[]>();
      for (const [name, list] of Object.entries(index?.entries ?? {})) {
        if (Array.isArray(list)) out.set(name, list.map((e) => String(e?.version ?? '')).filter(Boolean));
      }
      return out;
    } catch {
      return undefined;
    } finally {
      ctx.onCommand?.(`GET ${redactUrls(url)}`, Date.now() - started);
    }
  });
}

/** Cached chart versions of `url` (+ chart), for --offline ranges. */
function cachedVersions(ctx: FluxContext, kind: 'helm' | 'oci', url: string, chart?: string) {
  return ctx.cache.find((m) => m.kind === kind && m.url === url && (chart === undefined || m.chart === chart));
}

function offlineMiss(what: string, ctx: FluxContext): SourceError {
  return new SourceError(`offline, and ${what} is not in the cache (${ctx.cache.root})`);
}

/** A chart from a HelmRepository: `chart` is its name in the repository, `version` an exact version or a range. */
export async function fetchRepoChart(
  repo: HelmRepositorySource,
  chart: string,
  version: string | undefined,
  ctx: FluxContext,
): Promise<FetchedChart> {
  if (repo.type === 'oci' || repo.url.startsWith('oci://')) {
    const ref = isExactVersion(version) ? { tag: version } : { semver: version || '*' };
    return fetchOciChart({ url: `${trimSlash(repo.url)}/${chart}`, ref, insecure: repo.insecure, timeoutMs: repo.timeoutMs }, ctx);
  }
  const url = trimSlash(stripCredentials(repo.url));
  const timeout = repo.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let exact = isExactVersion(version) ? version : undefined;
  if (!exact && ctx.offline) {
    const cached = cachedVersions(ctx, 'helm', url, chart);
    exact = pickChartVersion(
      cached.map((e) => e.meta.version ?? ''),
      version,
    );
    if (!exact) throw offlineMiss(`${chart} ${version || '(latest)'} from ${url}`, ctx);
  } else if (!exact) {
    const index = await indexVersions(repo.url, ctx, timeout);
    if (index) {
      const versions = index.get(chart);
      if (!versions) throw new SourceError(`chart ${chart} is not in the index of ${url}`);
      exact = pickChartVersion(versions, version);
      if (!exact) throw new SourceError(`no version of ${chart} in ${url} matches "${version}"`);
    }
  }
  const identity = (v: string) => ({
    parts: ['helm', url, chart, v],
    meta: { kind: 'helm' as const, url, chart, version: v, revision: v },
    revision: `${chart}@${v}`,
  });
  const wanted = exact ?? version;
  const args = [chart, '--repo', repo.url, ...(wanted ? ['--version', wanted] : [])];
  if (!exact) return pullAndStore(ctx, args, timeout, identity);
  const id = identity(exact);
  const key = cacheKey(id.parts);
  return once(ctx, `helm-chart:${key}`, async () => {
    const hit = ctx.cache.get(key);
    if (hit) return fromEntry(hit, key, url, id.revision);
    if (ctx.offline) throw offlineMiss(`${chart} ${exact} from ${url}`, ctx);
    return pullAndStore(ctx, args, timeout, identity);
  });
}

/** A chart from an OCIRepository (or an OCI HelmRepository). spec.ref precedence: digest > semver > tag (default `latest`). */
export async function fetchOciChart(repo: OciRepositorySource, ctx: FluxContext): Promise<FetchedChart> {
  const url = trimSlash(stripCredentials(repo.url));
  const timeout = repo.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const ref = repo.ref ?? {};
  const plain = repo.insecure ? ['--plain-http'] : [];
  const identity = (version: string, digest?: string, tag?: string) => {
    const revision = ref.digest ?? (digest ? `${version}@${digest}` : version);
    return { parts: ['oci', url, ref.digest ?? version], meta: { kind: 'oci' as const, url, version, tag, revision }, revision };
  };
  const exactKey = ref.digest ?? (!ref.semver && isExactVersion(ref.tag) ? ref.tag : undefined);
  if (exactKey) {
    const id = identity(exactKey);
    const key = cacheKey(id.parts);
    return once(ctx, `oci-chart:${key}`, async () => {
      const hit = ctx.cache.get(key);
      if (hit) return fromEntry(hit, key, url, ctx.cache.meta(key)?.revision ?? id.revision);
      if (ctx.offline) throw offlineMiss(`${url} ${exactKey}`, ctx);
      const args = [...(ref.digest ? [`${trimSlash(repo.url)}@${ref.digest}`] : [trimSlash(repo.url), '--version', exactKey]), ...plain];
      return pullAndStore(ctx, args, timeout, (v, d) => ({ ...identity(v, d), parts: id.parts }));
    });
  }
  // a range, or a tag that may move: helm resolves it; offline, the best cached match stands in. With no ref at
  // all Flux would pull the tag `latest`, which Helm cannot name: helm's own default, the highest version, stands in.
  const wanted = ref.semver ?? ref.tag;
  if (ctx.offline) {
    const cached = cachedVersions(ctx, 'oci', url);
    const versions = cached.map((e) => e.meta.version ?? '');
    const pick =
      ref.tag && !ref.semver ? cached.find((e) => e.meta.tag === ref.tag)?.meta.version : highestMatching(versions, ref.semver ?? '');
    const entry = cached.find((e) => e.meta.version === pick);
    if (!entry) throw offlineMiss(`${url} ${wanted ?? '(latest)'}`, ctx);
    return fromEntry(entry.content, entry.key, url, entry.meta.revision);
  }
  const args = [trimSlash(repo.url), ...(wanted ? ['--version', wanted] : []), ...plain];
  return pullAndStore(ctx, args, timeout, (v, d) => identity(v, d, ref.semver ? undefined : ref.tag));
}
