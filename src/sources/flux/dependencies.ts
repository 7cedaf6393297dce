// Charts whose Chart.yaml declares dependencies that are not vendored under charts/ get them the way
// source-controller builds a chart: `helm dependency build`, in a copy kept in the cache, so the fetched
// source entry itself stays exactly what the remote served.
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import yaml from 'js-yaml';
import { cacheKey } from './cache.js';
import { type FluxContext, DEFAULT_TIMEOUT_MS } from './context.js';
import { SourceError, errorLine, exec } from './exec.js';

export interface Dependency {
  name: string;
  repository: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readYaml(file: string): unknown {
  try {
    return yaml.load(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The chart's version from its Chart.yaml. */
export function chartVersion(chartDir: string): string | undefined {
  const c = readYaml(join(chartDir, 'Chart.yaml'));
  return isObject(c) && c.version !== undefined ? String(c.version) : undefined;
}

function declared(chartDir: string): Dependency[] {
  const chart = readYaml(join(chartDir, 'Chart.yaml'));
  let deps = isObject(chart) ? chart.dependencies : undefined;
  // apiVersion v1 charts list them in requirements.yaml
  if (!Array.isArray(deps)) {
    const req = readYaml(join(chartDir, 'requirements.yaml'));
    deps = isObject(req) ? req.dependencies : undefined;
  }
  if (!Array.isArray(deps)) return [];
  return deps.filter(isObject).map((d) => ({ name: String(d.name ?? ''), repository: String(d.repository ?? '') }));
}

/** Declared dependencies with neither `charts/<name>/` nor `charts/<name>-<version>.tgz` present. */
export function missingDependencies(chartDir: string): Dependency[] {
  const charts = join(chartDir, 'charts');
  const vendored = existsSync(charts) ? readdirSync(charts) : [];
  return declared(chartDir).filter(
    (d) =>
      d.name &&
      !existsSync(join(charts, d.name, 'Chart.yaml')) &&
      !vendored.some((f) => f.startsWith(`${d.name}-`) && /\.tgz$/.test(f) && /^\d/.test(f.slice(d.name.length + 1))),
  );
}

async function helmDeps(ctx: FluxContext, verb: 'build' | 'update', chartDir: string) {
  return exec(ctx.helm(), ['dependency', verb, chartDir], { timeoutMs: DEFAULT_TIMEOUT_MS, onCommand: ctx.onCommand });
}

/**
 * The chart directory to render: `chartDir` itself when its dependencies are all vendored, else the same
 * chart inside a cached copy of `root` (the whole source, so `file://../x` dependencies resolve) after
 * `helm dependency build`.
 */
export async function withDependencies(root: string, chartDir: string, sourceKey: string, ctx: FluxContext): Promise<string> {
  const missing = missingDependencies(chartDir);
  if (missing.length === 0) return chartDir;
  const rel = relative(root, chartDir);
  const key = cacheKey(['built', sourceKey, rel]);
  const hit = ctx.cache.get(key);
  if (hit) return join(hit, rel);
  const remote = missing.filter((d) => !d.repository.startsWith('file://'));
  if (ctx.offline && remote.length > 0) {
    const names = remote.map((d) => d.name).join(', ');
    throw new SourceError(`the chart needs dependencies that are not in charts/ (${names}), and --offline forbids fetching them`);
  }
  const meta = ctx.cache.meta(sourceKey);
  const built = await ctx.cache.put(key, { kind: 'built', url: meta?.url ?? '', revision: meta?.revision ?? '' }, async (content) => {
    cpSync(root, content, { recursive: true });
    let r = await helmDeps(ctx, 'build', join(content, rel));
    // a Chart.lock that no longer matches Chart.yaml: resolve again, as source-controller ignores the lock
    if (r.code !== 0 && /out of sync/i.test(r.stderr)) r = await helmDeps(ctx, 'update', join(content, rel));
    if (r.code !== 0) throw new SourceError(`helm dependency build failed: ${errorLine(r.stderr)}`);
  });
  return join(built, rel);
}
