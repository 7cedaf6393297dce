// The transactional writer: stage every new file under `<package>/.bbmesh/tx-<id>/` (never next to
// its target, where Helm would render it), write the journal, then rename each file into place and
// remove the journal. A failure, SIGINT or SIGTERM during the commit rolls back before anything else;
// a kill (SIGKILL, power loss) is settled by the next bbmesh command (`recoverTransactions`).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { UserError } from '../core/errors.js';
import {
  COMMITTED,
  JOURNAL,
  recoverOne,
  removeTxDir,
  sha256,
  syncDir,
  TX_ROOT,
  writeDurable,
  type Journal,
  type JournalEntry,
} from './journal.js';
import type { FileChange } from './workspace.js';

export interface CommitHooks {
  /**
   * Test hook: called after every write and rename of the transaction, numbered from 0 in order
   * (`label` says which); returning a promise pauses the commit there, throwing aborts it.
   */
  point?: (n: number, label: string) => void | Promise<void>;
  /** Test hook: called after the i-th file is renamed into place (throwing aborts the commit). */
  afterRename?: (index: number, change: FileChange) => void;
}

export class Interrupted extends UserError {
  constructor(signal: string) {
    super(`interrupted by ${signal}: integrate rolled back, no file of the package changed`);
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

const FS_CODES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EXDEV: 'it is on another file system than the package directory',
  ENOTDIR: 'a path component is not a directory',
  EEXIST: 'it already exists',
  EISDIR: 'it is a directory',
};

/** A file-system fault of the user's machine (exit 2, with the path and the reason); anything else as is. */
function fsFault(err: unknown, root: string): unknown {
  const e = err as NodeJS.ErrnoException;
  const reason = e?.code ? FS_CODES[e.code] : undefined;
  if (!reason) return err;
  const where = e.path ? relative(root, e.path) || '.' : root;
  return new UserError(`cannot write ${where}: ${reason} (${e.code}); nothing of the package changed`, {
    hint: 'fix the permissions or free space of the package directory and run integrate again',
  });
}

/** One transaction on one package directory. */
export class Transaction {
  readonly id: string;
  readonly dir: string;
  private point = 0;
  private interrupted: string | undefined;
  private readonly handlers = new Map<string, () => void>();
  private done = false;

  private constructor(
    readonly root: string,
    private readonly hooks: CommitHooks,
  ) {
    this.id = `tx-${process.pid}-${randomBytes(4).toString('hex')}`;
    this.dir = join(root, TX_ROOT, this.id);
  }

  /** Creates the transaction directory and takes over SIGINT/SIGTERM until `end`. */
  static async begin(root: string, hooks: CommitHooks = {}): Promise<Transaction> {
    const tx = new Transaction(root, hooks);
    for (const sig of SIGNALS) {
      const h = () => tx.onSignal(sig);
      tx.handlers.set(sig, h);
      process.on(sig, h);
    }
    try {
      mkdirSync(join(root, TX_ROOT), { recursive: true });
      mkdirSync(tx.dir);
      await tx.step('transaction directory');
    } catch (err) {
      tx.abort();
      throw fsFault(err, root);
    }
    return tx;
  }

  /** After each write or rename: the test hook, then a turn of the event loop so that a signal is seen. */
  async step(label: string): Promise<void> {
    this.check();
    await this.hooks.point?.(this.point++, label);
    await new Promise((r) => setImmediate(r));
    this.check();
  }

  private check(): void {
    if (this.interrupted) throw new Interrupted(this.interrupted);
  }

  private onSignal(sig: string): void {
    if (this.done) return;
    this.interrupted = sig;
    this.abort();
    process.stderr.write(`bbmesh: ${new Interrupted(sig).message}\n`);
    // Die of the signal as if it had not been caught, unless someone else listens for it.
    if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
  }

  private release(): void {
    for (const [sig, h] of this.handlers) process.removeListener(sig, h);
    this.handlers.clear();
  }

  /** Rolls back whatever was done and removes the transaction directory. */
  abort(): void {
    if (this.done) return;
    this.done = true;
    this.release();
    if (existsSync(this.dir)) recoverOne(this.root, this.id, 'rollback', true);
  }

  /** Ends a transaction that committed (or that is given up): nothing of it stays. */
  end(): void {
    if (this.done) return;
    this.abort();
  }

  /** Writes all changes or none. */
  async commit(changes: FileChange[]): Promise<void> {
    try {
      await this.write(changes);
    } catch (err) {
      this.abort();
      throw fsFault(err, this.root);
    }
  }

  private async write(changes: FileChange[]): Promise<void> {
    const rel = (abs: string) => relative(this.root, abs).split(sep).join('/');
    const seen = new Map<string, string>();
    for (const c of changes) {
      const other = seen.get(c.target);
      if (other) throw new UserError(`${other} and ${c.rel} are the same file (a symlink): integrate cannot edit it twice`);
      seen.set(c.target, c.rel);
    }
    const entries: JournalEntry[] = [];
    mkdirSync(join(this.dir, 'new'));
    mkdirSync(join(this.dir, 'old'));
    for (const [i, c] of changes.entries()) {
      const mode = c.before !== null ? statSync(c.target).mode & 0o7777 : undefined;
      const staged = `new/${i}`;
      writeDurable(join(this.dir, staged), c.after, mode);
      if (mode !== undefined) chmodSync(join(this.dir, staged), mode);
      await this.step(`stage ${c.rel}`);
      let backup: string | null = null;
      if (c.before !== null) {
        backup = `old/${i}`;
        writeDurable(join(this.dir, backup), c.before, mode);
        chmodSync(join(this.dir, backup), mode!);
        await this.step(`back up ${c.rel}`);
      }
      entries.push({ path: c.rel, target: rel(c.target), before: c.before && sha256(c.before), after: sha256(c.after), staged, backup });
    }
    const dirs: string[] = [];
    for (const c of changes) {
      const missing: string[] = [];
      for (let d = dirname(c.target); !existsSync(d) && !dirs.includes(rel(d)); d = dirname(d)) missing.unshift(rel(d));
      dirs.push(...missing);
    }
    const journal: Journal = {
      kind: 'bbmesh-integrate-journal',
      version: 1,
      id: this.id,
      pid: process.pid,
      started: new Date().toISOString(),
      entries,
      dirs,
    };
    writeDurable(join(this.dir, `${JOURNAL}.tmp`), JSON.stringify(journal, null, 2) + '\n');
    await this.step('journal written');
    renameSync(join(this.dir, `${JOURNAL}.tmp`), join(this.dir, JOURNAL));
    syncDir(this.dir);
    await this.step('journal in place');
    for (const d of dirs) {
      mkdirSync(join(this.root, ...d.split('/')));
      await this.step(`create ${d}/`);
    }
    for (const [i, c] of changes.entries()) {
      renameSync(join(this.dir, entries[i].staged), c.target);
      syncDir(dirname(c.target));
      this.hooks.afterRename?.(i, c);
      await this.step(`rename ${c.rel}`);
    }
    // Committed: the journal becomes a record that it was (a kill from here on leaves the new tree).
    renameSync(join(this.dir, JOURNAL), join(this.dir, COMMITTED));
    syncDir(this.dir);
    this.done = true;
    this.release();
    await this.hooks.point?.(this.point++, 'journal removed');
    removeTxDir(this.root, this.dir);
  }
}
