// The journal of an integrate transaction and its recovery. A transaction lives in
// `<package>/.bbmesh/tx-<pid>-<hex>/`: `new/<i>` (the new bytes), `old/<i>` (a copy of the bytes each
// edited file had), then `journal.json` (written last, atomically) naming every target with the
// hashes of its two states. Until the journal exists no file of the package has been touched; once it
// exists, every target holds its old or its new bytes, so it can always be completed or rolled back.
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';

export const TX_ROOT = '.bbmesh';
export const JOURNAL = 'journal.json';
/** What the journal is renamed to once every file is in place: the transaction is over. */
export const COMMITTED = 'committed.json';

export interface JournalEntry {
  /** Path as the user names it (relative to the package directory). */
  path: string;
  /** Real path written, relative to the package directory. */
  target: string;
  /** sha256 of the bytes before; null when the transaction creates the file. */
  before: string | null;
  after: string;
  /** Staged new bytes and the copy of the old ones, relative to the transaction directory. */
  staged: string;
  backup: string | null;
}

export interface Journal {
  kind: 'bbmesh-integrate-journal';
  version: 1;
  id: string;
  pid: number;
  started: string;
  entries: JournalEntry[];
  /** Directories the commit creates (relative to the package directory), parents first. */
  dirs: string[];
}

export type RecoveryOutcome = 'rolled-back' | 'completed' | 'discarded' | 'in-progress' | 'conflict';

export interface RecoveredTransaction {
  /** `tx-<pid>-<hex>`. */
  id: string;
  outcome: RecoveryOutcome;
  /** Files restored (rolled-back), found written (completed), or in conflict. */
  files: string[];
  /** One line for the user. */
  message: string;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes a file and flushes it to the disk before returning. */
export function writeDurable(file: string, bytes: Buffer | string, mode?: number): void {
  const fd = openSync(file, 'wx', mode ?? 0o666);
  try {
    const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a directory entry (a rename or create in it); not every file system supports it. */
export function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* best effort */
  }
}

function hashOf(file: string): string | null {
  try {
    return sha256(readFileSync(file));
  } catch {
    return null; // missing (or unreadable: treated as a conflict unless the entry expects it missing)
  }
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readJournal(txDir: string, name = JOURNAL): Journal | undefined {
  const file = join(txDir, name);
  if (!existsSync(file)) return undefined;
  let j: Journal | undefined;
  try {
    j = JSON.parse(readFileSync(file, 'utf8')) as Journal;
  } catch {
    j = undefined;
  }
  if (j?.kind !== 'bbmesh-integrate-journal' || !Array.isArray(j.entries) || !Array.isArray(j.dirs)) {
    throw new UserError(`${file} is not a bbmesh integrate journal bbmesh can read`, {
      hint: `compare the package's files with the copies in ${join(txDir, 'old')}, then remove ${txDir}`,
    });
  }
  return j;
}

/** Removes a transaction directory, then `.bbmesh/` when nothing else is in it. */
export function removeTxDir(root: string, txDir: string): void {
  rmSync(txDir, { recursive: true, force: true });
  try {
    rmdirSync(join(root, TX_ROOT));
  } catch {
    /* other transactions, or already gone */
  }
}

/**
 * Puts every target of a journal back to its old bytes (`rollback`), or leaves the new ones when all
 * are already written (`auto` then reports "completed"). Targets in neither state are left alone.
 */
export function settle(root: string, txDir: string, j: Journal, mode: 'auto' | 'rollback'): RecoveredTransaction {
  const state = j.entries.map((e) => {
    const abs = join(root, ...e.target.split('/'));
    const h = hashOf(abs);
    return { e, abs, now: h === e.after ? 'after' : h === e.before ? 'before' : 'other' };
  });
  const id = j.id;
  const conflicts = state.filter((s) => s.now === 'other').map((s) => s.e.path);
  if (conflicts.length) {
    return {
      id,
      outcome: 'conflict',
      files: conflicts,
      message:
        `an interrupted bbmesh integrate (${TX_ROOT}/${id}) cannot be rolled back: ${conflicts.join(', ')} changed since ` +
        `(neither the bytes before nor after it); the old bytes are in ${TX_ROOT}/${id}/old/, remove ${TX_ROOT}/${id} when done`,
    };
  }
  if (mode === 'auto' && state.every((s) => s.now === 'after')) {
    removeTxDir(root, txDir);
    return {
      id,
      outcome: 'completed',
      files: j.entries.map((e) => e.path),
      message: `an interrupted bbmesh integrate (${TX_ROOT}/${id}) had written all ${j.entries.length} file(s): completed it`,
    };
  }
  const restored: string[] = [];
  for (const s of state) {
    if (s.now !== 'after') continue;
    if (s.e.backup === null) unlinkSync(s.abs);
    else renameSync(join(txDir, s.e.backup), s.abs);
    restored.push(s.e.path);
  }
  for (const d of [...j.dirs].reverse()) {
    try {
      rmdirSync(join(root, ...d.split('/')));
    } catch {
      /* not empty, or never made */
    }
  }
  removeTxDir(root, txDir);
  return {
    id,
    outcome: 'rolled-back',
    files: restored,
    message: restored.length
      ? `an interrupted bbmesh integrate (${TX_ROOT}/${id}) was rolled back: ${restored.join(', ')} restored to the bytes before it`
      : `an interrupted bbmesh integrate (${TX_ROOT}/${id}) was rolled back: it had not changed any file yet`,
  };
}

/** Settles one transaction directory found on disk (see `recoverTransactions`). */
export function recoverOne(root: string, name: string, mode: 'auto' | 'rollback' = 'auto', force = false): RecoveredTransaction {
  const txDir = join(root, TX_ROOT, name);
  const pid = Number(/^tx-(\d+)-/.exec(name)?.[1] ?? NaN);
  if (!force && Number.isInteger(pid) && pidAlive(pid)) {
    return {
      id: name,
      outcome: 'in-progress',
      files: [],
      message: `another bbmesh integrate (pid ${pid}) is writing this package (${TX_ROOT}/${name}); wait for it to end`,
    };
  }
  const committed = readJournal(txDir, COMMITTED);
  if (committed) {
    removeTxDir(root, txDir);
    return {
      id: name,
      outcome: 'completed',
      files: committed.entries.map((e) => e.path),
      message:
        `an interrupted bbmesh integrate (${TX_ROOT}/${name}) had written all ${committed.entries.length} file(s): ` +
        'removed its staging files',
    };
  }
  const j = readJournal(txDir);
  if (!j) {
    removeTxDir(root, txDir);
    return {
      id: name,
      outcome: 'discarded',
      files: [],
      message: `removed the staging files of an interrupted bbmesh integrate (${TX_ROOT}/${name}); it had not changed any file`,
    };
  }
  return settle(root, txDir, { ...j, id: name }, mode);
}

/** Names of the transaction directories of a package, oldest first. */
export function transactionDirs(root: string): string[] {
  const base = join(root, TX_ROOT);
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((n) => /^tx-\d+-[0-9a-f]+$/.test(n))
    .sort();
}
