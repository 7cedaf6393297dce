// Transactional file writer: every edit is staged in memory, then written to temp files next to
// their targets and renamed into place. Any failure leaves every file (and directory) as it was.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createTwoFilesPatch } from 'diff';
import { UserError } from '../core/errors.js';
import { logCommand } from '../sources/render/helm.js';

export interface FileChange {
  /** Path relative to the package directory, with `/`. */
  rel: string;
  /** Absolute target, symlinks resolved. */
  target: string;
  before: string | null;
  after: string;
}

/** The package directory seen through staged edits. */
export class Workspace {
  readonly root: string;
  private readonly staged = new Map<string, string>();
  private readonly original = new Map<string, string | null>();

  constructor(dir: string) {
    this.root = realpathSync(resolve(dir));
  }

  abs(rel: string): string {
    return join(this.root, ...rel.split('/'));
  }

  exists(rel: string): boolean {
    return this.staged.has(rel) || existsSync(this.abs(rel));
  }

  isDir(rel: string): boolean {
    const p = this.abs(rel);
    if ([...this.staged.keys()].some((k) => k.startsWith(rel + '/'))) return true;
    return existsSync(p) && statSync(p).isDirectory();
  }

  read(rel: string): string | null {
    if (this.staged.has(rel)) return this.staged.get(rel)!;
    return this.readOriginal(rel);
  }

  private readOriginal(rel: string): string | null {
    if (!this.original.has(rel)) {
      const p = this.abs(rel);
      this.original.set(rel, existsSync(p) && statSync(p).isFile() ? readFileSync(p, 'utf8') : null);
    }
    return this.original.get(rel)!;
  }

  write(rel: string, content: string): void {
    this.readOriginal(rel);
    this.staged.set(rel, content);
  }

  /** Files whose content would change, in a stable order. */
  changes(): FileChange[] {
    const out: FileChange[] = [];
    for (const [rel, after] of [...this.staged].sort(([a], [b]) => a.localeCompare(b))) {
      const before = this.readOriginal(rel);
      if (before === after) continue;
      out.push({ rel, target: containedTarget(this.root, this.abs(rel)), before, after });
    }
    return out;
  }
}

function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..' + sep) && r !== '..' && !isAbsolute(r));
}

/** The real path a write to `abs` lands on; refuses anything outside `root` once symlinks are resolved. */
export function containedTarget(root: string, abs: string): string {
  let existing = abs;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    // A dangling symlink is not followed: refuse it.
    try {
      if (lstatSync(existing).isSymbolicLink()) throw new UserError(`refusing to write through a dangling symlink: ${existing}`);
    } catch (err) {
      if (err instanceof UserError) throw err;
    }
    rest.unshift(basename(existing));
    existing = dirname(existing);
  }
  const real = join(realpathSync(existing), ...rest);
  if (!inside(root, real)) {
    throw new UserError(`refusing to write outside the package directory: ${abs} resolves to ${real}`, {
      hint: 'replace the symlink with a regular file or directory',
    });
  }
  return real;
}

export function unifiedDiff(changes: FileChange[]): string {
  return changes
    .map((c) =>
      createTwoFilesPatch(c.before === null ? '/dev/null' : `a/${c.rel}`, `b/${c.rel}`, c.before ?? '', c.after, undefined, undefined, {
        context: 3,
      }).replace(/^=+\n/, ''),
    )
    .join('');
}

/** Runs git (timed for --debug); throws when it fails or is missing. */
function git(args: string[], cwd: string): string {
  const started = Date.now();
  let code = 0;
  try {
    return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  } catch (err) {
    code = typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 127;
    throw err;
  } finally {
    logCommand('git', args, Date.now() - started, code);
  }
}

/** Files among `rels` with uncommitted changes (or untracked), when `root` is in a git work tree. */
export function gitDirty(root: string, rels: string[]): string[] {
  if (!rels.length) return [];
  let top: string;
  try {
    const inTree = git(['rev-parse', '--is-inside-work-tree'], root).trim();
    if (inTree !== 'true') return [];
    top = git(['rev-parse', '--show-toplevel'], root).trim();
  } catch {
    return []; // not a work tree, or no git
  }
  const out = git(['status', '--porcelain', '-z', '--untracked-files=all', '--', ...rels], root);
  const dirty = new Set<string>();
  const topReal = realpathSync(top);
  for (const entry of out.split('\0')) {
    if (entry.length < 4) continue;
    const file = entry.slice(3);
    const rel = relative(root, join(topReal, file)).split(sep).join('/');
    if (rels.includes(rel)) dirty.add(rel);
  }
  return [...dirty].sort();
}

export interface CommitHooks {
  /** Test hook: called after the i-th file is renamed into place (throwing aborts the commit). */
  afterRename?: (index: number, change: FileChange) => void;
}

/** Writes all changes or none. */
export function commit(changes: FileChange[], hooks: CommitHooks = {}): void {
  const createdDirs: string[] = [];
  const temps: (string | undefined)[] = [];
  const cleanup = () => {
    for (const t of temps)
      if (t)
        try {
          unlinkSync(t);
        } catch {
          /* already gone */
        }
    for (const d of [...createdDirs].reverse())
      try {
        rmdirSync(d);
      } catch {
        /* not empty or gone */
      }
  };
  try {
    for (const c of changes) {
      const dir = dirname(c.target);
      const missing: string[] = [];
      for (let d = dir; !existsSync(d); d = dirname(d)) missing.unshift(d);
      for (const d of missing) {
        mkdirSync(d);
        createdDirs.push(d);
      }
      const tmp = join(dir, `.${basename(c.target)}.bbmesh-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
      temps.push(tmp);
      writeFileSync(tmp, c.after, { flag: 'wx' });
      if (existsSync(c.target)) chmodSync(tmp, statSync(c.target).mode & 0o7777);
    }
  } catch (err) {
    cleanup();
    throw err;
  }
  const done: FileChange[] = [];
  try {
    changes.forEach((c, i) => {
      renameSync(temps[i]!, c.target);
      temps[i] = undefined;
      done.push(c);
      hooks.afterRename?.(i, c);
    });
  } catch (err) {
    for (const c of done.reverse()) {
      try {
        if (c.before === null) unlinkSync(c.target);
        else {
          const back = `${c.target}.bbmesh-restore-${randomBytes(4).toString('hex')}`;
          writeFileSync(back, c.before);
          chmodSync(back, statSync(c.target).mode & 0o7777);
          renameSync(back, c.target);
        }
      } catch {
        /* best effort: keep restoring the others */
      }
    }
    cleanup();
    throw err;
  }
}
