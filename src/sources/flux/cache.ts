// A content-addressed store of fetched sources: one entry per (source URL, resolved revision, ...),
// written into a temporary directory and renamed into place, so a killed run never leaves half an entry.
//
// Layout under the root ($XDG_CACHE_HOME/bbmesh, or ~/.cache/bbmesh):
//   sources/<key>/meta.json   what the entry is (kind, URL without credentials, revision)
//   sources/<key>/content/    the files: a Git tree after Flux's exclusions, or an untarred chart
//   refs/<hash of URL>.json   the last `git ls-remote` answer, for --offline resolution of branches and tags
//   tmp/                      entries and files being written (same filesystem, so rename is atomic)
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface EntryMeta {
  kind: 'git' | 'helm' | 'oci' | 'built';
  /** Source URL without credentials. */
  url: string;
  /** Flux-style revision, e.g. `1.2.0-bb.1@sha1:<commit>` or a chart version. */
  revision: string;
  chart?: string;
  version?: string;
  tag?: string;
  created: string;
}

const TEMP_MAX_AGE_MS = 3_600_000;

export function defaultCacheDir(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'bbmesh');
}

/** A stable key for the parts that identify an entry. */
export function cacheKey(parts: ReadonlyArray<string>): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 40);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class SourceCache {
  readonly root: string;
  private pruned = false;

  constructor(root: string = defaultCacheDir()) {
    this.root = root;
  }

  entryDir(key: string): string {
    return join(this.root, 'sources', key);
  }

  /** The entry's content directory when the entry is complete, else undefined. */
  get(key: string): string | undefined {
    const dir = this.entryDir(key);
    return existsSync(join(dir, 'meta.json')) ? join(dir, 'content') : undefined;
  }

  meta(key: string): EntryMeta | undefined {
    try {
      const m: unknown = JSON.parse(readFileSync(join(this.entryDir(key), 'meta.json'), 'utf8'));
      return isObject(m) && typeof m.url === 'string' ? (m as unknown as EntryMeta) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Complete entries whose metadata passes `filter`, newest first. */
  find(filter: (m: EntryMeta) => boolean): Array<{ key: string; meta: EntryMeta; content: string }> {
    let keys: string[];
    try {
      keys = readdirSync(join(this.root, 'sources'));
    } catch {
      return [];
    }
    const found: Array<{ key: string; meta: EntryMeta; content: string }> = [];
    for (const key of keys) {
      const meta = this.meta(key);
      if (meta && filter(meta)) found.push({ key, meta, content: join(this.entryDir(key), 'content') });
    }
    return found.sort((a, b) => b.meta.created.localeCompare(a.meta.created));
  }

  /** A fresh private directory under tmp/ (removed by `put`, or by a later run's pruning after a kill). */
  tempDir(): string {
    this.pruneTemp();
    const dir = join(this.root, 'tmp', `${process.pid}-${randomBytes(6).toString('hex')}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /**
   * Creates the entry `key` unless it exists: `fill` writes the content into the directory it is
   * given; the whole entry then appears at once. When another process wins the race, its entry is kept.
   */
  async put(key: string, meta: Omit<EntryMeta, 'created'>, fill: (content: string) => Promise<void>): Promise<string> {
    const existing = this.get(key);
    if (existing) return existing;
    const tmp = this.tempDir();
    try {
      const content = join(tmp, 'content');
      mkdirSync(content);
      await fill(content);
      writeFileSync(join(tmp, 'meta.json'), `${JSON.stringify({ ...meta, created: new Date().toISOString() }, null, 2)}\n`);
      mkdirSync(join(this.root, 'sources'), { recursive: true });
      try {
        renameSync(tmp, this.entryDir(key));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || !this.get(key)) throw e;
        rmSync(tmp, { recursive: true, force: true });
      }
      return join(this.entryDir(key), 'content');
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
  }

  /** Small JSON records (e.g. the refs of a Git URL), replaced atomically. */
  readRecord(name: string): unknown {
    try {
      return JSON.parse(readFileSync(join(this.root, 'refs', `${cacheKey([name])}.json`), 'utf8'));
    } catch {
      return undefined;
    }
  }

  writeRecord(name: string, value: unknown): void {
    try {
      const dir = join(this.root, 'refs');
      mkdirSync(dir, { recursive: true });
      const tmp = this.tempDir();
      writeFileSync(join(tmp, 'record.json'), `${JSON.stringify(value, null, 2)}\n`);
      renameSync(join(tmp, 'record.json'), join(dir, `${cacheKey([name])}.json`));
      rmSync(tmp, { recursive: true, force: true });
    } catch {
      // a record only helps --offline later; failing to write it must not fail this run
    }
  }

  /** Removes what killed runs left in tmp/ (older than an hour, so live writers are untouched). */
  private pruneTemp(): void {
    if (this.pruned) return;
    this.pruned = true;
    const dir = join(this.root, 'tmp');
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    const now = Date.now();
    for (const n of names) {
      try {
        if (now - statSync(join(dir, n)).mtimeMs > TEMP_MAX_AGE_MS) rmSync(join(dir, n), { recursive: true, force: true });
      } catch {
        // gone already
      }
    }
  }
}
