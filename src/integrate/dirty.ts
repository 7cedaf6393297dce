// The uncommitted-changes guard: integrate edits only files whose content git can give back.
import { execFileSync } from 'node:child_process';
import { logCommand } from '../sources/render/helm.js';
import { realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { FileChange } from './workspace.js';

/** Runs git (timed for --debug); throws when it fails or is missing. */
function git(cwd: string, args: string[]): string {
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

/**
 * Files among `changes` (those that exist) with uncommitted changes or untracked, when the package is in
 * a git work tree. Symlinks are followed: a change is dirty when the file it writes (its real path) is,
 * as well as when the link itself is.
 */
export function gitDirty(root: string, changes: FileChange[]): string[] {
  const existing = changes.filter((c) => c.before !== null);
  if (!existing.length) return [];
  let top: string;
  try {
    if (git(root, ['rev-parse', '--is-inside-work-tree']).trim() !== 'true') return [];
    top = realpathSync(git(root, ['rev-parse', '--show-toplevel']).trim());
  } catch {
    return []; // not a work tree, or no git
  }
  const toTop = (abs: string) => relative(top, abs).split(sep).join('/');
  // Ask git about real paths only: a path through a symlinked directory makes git stop ("beyond a symbolic link").
  const asked = new Map<string, string[]>();
  for (const c of existing) {
    const paths = new Set([toTop(c.target)]);
    const link = join(root, ...c.rel.split('/'));
    try {
      const parentReal = realpathSync(join(link, '..'));
      if (parentReal === join(link, '..') && link !== c.target) paths.add(toTop(link));
    } catch {
      /* no parent: nothing more to ask */
    }
    for (const p of paths) {
      if (p.startsWith('../')) continue; // outside this work tree: git cannot tell
      asked.set(p, [...(asked.get(p) ?? []), c.rel]);
    }
  }
  if (!asked.size) return [];
  const out = git(top, ['status', '--porcelain', '-z', '--untracked-files=all', '--', ...asked.keys()]);
  const dirty = new Set<string>();
  for (const entry of out.split('\0')) {
    if (entry.length < 4) continue;
    for (const rel of asked.get(entry.slice(3)) ?? []) dirty.add(rel);
  }
  return [...dirty].sort();
}
