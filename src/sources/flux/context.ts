// What every fetch in one resolve run shares: the cache, the tools, the --offline switch and a memo,
// so two HelmReleases on one GitRepository cost one `git ls-remote` and one fetch.
import { SourceCache } from './cache.js';
import type { CommandLog } from './exec.js';

export interface FluxContext {
  cache: SourceCache;
  offline: boolean;
  /** The git binary (default `git` on PATH). */
  git: string;
  /** Resolves the Helm binary lazily: git-only runs never need it. */
  helm: () => string;
  onCommand?: CommandLog;
  memo: Map<string, Promise<unknown>>;
}

/** Runs `fn` once per key within the context; later callers share the first call's promise. */
export function once<T>(ctx: FluxContext, key: string, fn: () => Promise<T>): Promise<T> {
  let p = ctx.memo.get(key) as Promise<T> | undefined;
  if (!p) {
    p = fn();
    ctx.memo.set(key, p);
  }
  return p;
}

/** Default timeout of a network command, when the source object sets none. */
export const DEFAULT_TIMEOUT_MS = 120_000;
