// Which package of the umbrella a package directory is: `--package`, else the chart's name, else the
// repository URL the umbrella's `<pkg>.git.repo` (or `addons.<pkg>.git.repo`) names. The key is what
// `--package` takes (`kiali`, `argocd`), also the HelmRelease name (kebab-case for camelCase keys).
import { execFileSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { UserError } from '../../core/errors.js';
import { asObject, asString, isObject } from '../../manifest/json.js';
import { readChartName } from '../render/index.js';
import type { Values } from '../render/values.js';

export interface PackageEntry {
  key: string;
  /** Path in the values: ['kiali'] or ['addons', 'argocd']. */
  path: string[];
  values: Record<string, unknown>;
}

export interface FoundPackage extends PackageEntry {
  foundBy: string;
}

/** Every package the values know: a top-level or `addons.` map with an `enabled` key. */
export function packageEntries(values: Values): PackageEntry[] {
  const out: PackageEntry[] = [];
  for (const [key, v] of Object.entries(values)) {
    if (key !== 'addons' && isObject(v) && 'enabled' in v && (isObject(v.git) || isObject(v.helmRepo)))
      out.push({ key, path: [key], values: v });
  }
  for (const [key, v] of Object.entries(asObject(values.addons))) {
    if (isObject(v) && 'enabled' in v) out.push({ key, path: ['addons', key], values: v });
  }
  return out;
}

export const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A repository URL reduced to host/path (no scheme, user, `.git` or trailing slash), for comparing. */
export function normalizeRepoUrl(url: string): string {
  let u = url.trim().toLowerCase();
  const scp = /^[\w.-]+@([^:/]+):(.+)$/.exec(u);
  if (scp) u = `${scp[1]}/${scp[2]}`;
  u = u.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^[^/@]*@/, '');
  return u.replace(/\/+$/, '').replace(/\.git$/, '');
}

function originUrl(dir: string): string | undefined {
  try {
    const out = execFileSync('git', ['-C', dir, 'config', '--get', 'remote.origin.url'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}

function byName(entries: PackageEntry[], name: string): PackageEntry | undefined {
  for (const n of [name, camel(name)]) {
    const e = entries.find((x) => x.path.length === 1 && x.key === n) ?? entries.find((x) => x.key === n);
    if (e) return e;
  }
  return undefined;
}

/** The package `pkgDir` is in `values`; undefined when nothing tells (the caller then tries HelmRelease names). */
export function findPackage(pkgDir: string, values: Values, explicit?: string): FoundPackage | undefined {
  const entries = packageEntries(values);
  if (explicit) {
    const key = explicit.replace(/^addons\./, '');
    const e = byName(entries, key);
    if (!e) {
      throw new UserError(`package "${explicit}" is not in the umbrella's values (neither ${key} nor addons.${key})`, {
        hint: `pass --package with a package key of the umbrella's values.yaml, e.g. ${entries
          .slice(0, 4)
          .map((x) => x.key)
          .join(', ')}`,
      });
    }
    return { ...e, foundBy: '--package' };
  }
  const chartName = readChartName(join(pkgDir, 'chart'));
  const named = chartName ? byName(entries, chartName) : undefined;
  if (named) return { ...named, foundBy: `chart name ${chartName}` };
  const origin = originUrl(pkgDir);
  const repoOf = (e: PackageEntry) => asString(asObject(e.values.git).repo);
  if (origin) {
    const want = normalizeRepoUrl(origin);
    const e = entries.find((x) => repoOf(x) && normalizeRepoUrl(repoOf(x)!) === want);
    if (e) return { ...e, foundBy: `repository URL ${repoOf(e)}` };
  }
  // The repository's last path segment (…/packages/kiali.git) names the package directory or chart.
  const names = new Set([chartName, basename(pkgDir)].filter((n): n is string => !!n).map((n) => n.toLowerCase()));
  const e = entries.find((x) => {
    const repo = repoOf(x);
    return repo ? names.has(basename(normalizeRepoUrl(repo))) : false;
  });
  return e ? { ...e, foundBy: `repository URL ${repoOf(e)}` } : undefined;
}
