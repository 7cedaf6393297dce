// The package directory seen through staged edits. Files are read as bytes and decoded as UTF-8 when
// they are valid UTF-8, else as Latin-1 (one character per byte), and encoded back the same way, so a
// byte outside an edited block is written back as it was, whatever the file's encoding.
import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { UserError } from '../core/errors.js';

export type TextEncoding = 'utf8' | 'latin1';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** A UTF-8 byte order mark, kept out of `text` and written back. */
  bom: boolean;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeText(bytes: Buffer): DecodedText {
  try {
    const text = UTF8.decode(bytes);
    if (text.startsWith('\uFEFF')) return { text: text.slice(1), encoding: 'utf8', bom: true };
    return { text, encoding: 'utf8', bom: false };
  } catch {
    return { text: bytes.toString('latin1'), encoding: 'latin1', bom: false };
  }
}

export function encodeText(text: string, like: { encoding: TextEncoding; bom: boolean }, file = 'a file'): Buffer {
  if (like.encoding === 'latin1') {
    // eslint-disable-next-line no-control-regex
    if (/[^\u0000-\u00ff]/.test(text)) {
      throw new UserError(`cannot write ${file}: it is Latin-1 encoded and the edit holds characters Latin-1 cannot encode`, {
        hint: 'convert the file to UTF-8 first',
      });
    }
    return Buffer.from(text, 'latin1');
  }
  const body = Buffer.from(text, 'utf8');
  return like.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

export interface FileChange {
  /** Path relative to the package directory, with `/`. */
  rel: string;
  /** Absolute target, symlinks resolved. */
  target: string;
  before: Buffer | null;
  after: Buffer;
  /** Decoded texts, for the diff. */
  beforeText: string | null;
  afterText: string;
}

interface Original {
  bytes: Buffer | null;
  decoded: DecodedText | null;
}

export class Workspace {
  readonly root: string;
  private readonly staged = new Map<string, string>();
  private readonly original = new Map<string, Original>();

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
    const staged = this.staged.get(rel);
    if (staged !== undefined) return staged;
    return this.load(rel).decoded?.text ?? null;
  }

  private load(rel: string): Original {
    let o = this.original.get(rel);
    if (!o) {
      const p = this.abs(rel);
      const bytes = existsSync(p) && statSync(p).isFile() ? readFileSync(p) : null;
      o = { bytes, decoded: bytes ? decodeText(bytes) : null };
      this.original.set(rel, o);
    }
    return o;
  }

  write(rel: string, content: string): void {
    this.load(rel);
    this.staged.set(rel, content);
  }

  /** Files whose bytes would change, in a stable order. */
  changes(): FileChange[] {
    const out: FileChange[] = [];
    for (const [rel, text] of [...this.staged].sort(([a], [b]) => a.localeCompare(b))) {
      const o = this.load(rel);
      const after = encodeText(text, o.decoded ?? { encoding: 'utf8', bom: false }, rel);
      if (o.bytes && o.bytes.equals(after)) continue;
      out.push({
        rel,
        target: containedTarget(this.root, this.abs(rel)),
        before: o.bytes,
        after,
        beforeText: o.decoded?.text ?? null,
        afterText: text,
      });
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
    let dangling = false;
    try {
      dangling = lstatSync(existing).isSymbolicLink();
    } catch {
      /* does not exist at all */
    }
    if (dangling) throw new UserError(`refusing to write through a dangling symlink: ${existing}`);
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
      createTwoFilesPatch(
        c.before === null ? '/dev/null' : `a/${c.rel}`,
        `b/${c.rel}`,
        c.beforeText ?? '',
        c.afterText,
        undefined,
        undefined,
        { context: 3 },
      ).replace(/^=+\n/, ''),
    )
    .join('');
}
