// Manifests from YAML files or stdin, read within the input size limit: a device (`-f /dev/zero`),
// a pipe that never ends or a 200 MB file stop at the limit with exit 2, not at the end of memory.
import { isAscii } from 'node:buffer';
import { closeSync, openSync, readSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { UserError, fileError } from '../core/errors.js';
import { limitAmount, overLimit } from '../core/limits.js';
import type { Manifest } from '../manifest/types.js';

const CHUNK = 1024 * 1024;

/** Bytes as text: Latin-1 for pure ASCII (the same string, several times faster to decode), UTF-8 otherwise. */
function decode(buf: Buffer): string {
  return isAscii(buf) ? buf.toString('latin1') : buf.toString('utf8');
}

/** A byte-order mark, or ASCII text with every other byte zero. */
function utf16(buf: Buffer): boolean {
  if (buf.length < 2) return false;
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) return true;
  return (buf[0] === 0) !== (buf[1] === 0);
}

/** The exit-2 error for a NUL byte at `offset` of `buf` (YAML and JSON allow none): with its line and column. */
function nulError(name: string, buf: Buffer, offset: number): UserError {
  let line = 1;
  let start = 0;
  for (let i = buf.indexOf(10); i !== -1 && i < offset; i = buf.indexOf(10, i + 1)) {
    line++;
    start = i + 1;
  }
  return new UserError('a NUL byte: YAML does not allow one', {
    file: name,
    line,
    column: buf.subarray(start, offset).toString('utf8').length + 1,
    hint: utf16(buf) ? 'is the file UTF-16? save it as UTF-8' : 'binary data belongs base64-encoded in a Secret or ConfigMap `binaryData`',
  });
}

/**
 * Collects chunks up to the input limit. A stream (stdin, a device, a pipe) also stops at its first
 * NUL byte, so `/dev/zero` ends at once; a regular file is whole already, and the loader reports a
 * NUL byte with its document.
 */
class BoundedBuffer {
  private readonly chunks: Buffer[] = [];
  private total = 0;
  private readonly max = limitAmount('input');
  constructor(
    private readonly name: string,
    private readonly stream: boolean,
  ) {}

  add(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.total += chunk.length;
    if (this.total > this.max) throw overLimit('input', { file: this.name }, `more than ${this.max.toLocaleString('en-US')} bytes`);
    if (this.stream && chunk.includes(0)) {
      const all = Buffer.concat(this.chunks);
      throw nulError(this.name, all, all.indexOf(0));
    }
  }

  text(): string {
    return decode(this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.total));
  }
}

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new UserError('reading manifests from stdin, but stdin is a terminal', {
      hint: 'pipe YAML in, e.g. `bbmesh render pkg | bbmesh check -`',
    });
  const buf = new BoundedBuffer('<stdin>', true);
  try {
    for await (const c of process.stdin) buf.add(c as Buffer);
  } finally {
    process.stdin.destroy();
  }
  return buf.text();
}

function statOf(file: string, what: string): Stats {
  try {
    return statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw fileError(err, `read ${what}`, file);
    let target: string | undefined;
    try {
      target = readlinkSync(file);
    } catch {
      // not a link: simply missing
    }
    throw new UserError(
      target === undefined ? `${what} not found: ${file}` : `${what} ${file} is a dangling symbolic link (to ${target})`,
      {
        hint: target === undefined ? 'check the path' : 'fix or remove the link',
      },
    );
  }
}

function notAFile(file: string, what: string): UserError {
  return new UserError(`${what} ${file} is a directory`, {
    hint: what === 'file' ? 'give a YAML file (a package directory is the argument, without -f)' : 'give a file',
  });
}

/**
 * A file bbmesh may read or hand to Helm: it exists, it is a regular file (not a directory, device
 * or pipe, which Helm would read without end) and it is within the input size limit.
 */
export function requireRegularFile(file: string, what = 'file'): Stats {
  const st = statOf(file, what);
  if (st.isDirectory()) throw notAFile(file, what);
  if (!st.isFile())
    throw new UserError(`${what} ${file} is not a regular file (a device, pipe or socket)`, { hint: 'save the content to a file first' });
  const max = limitAmount('input');
  if (st.size > max) throw overLimit('input', { file }, `${st.size.toLocaleString('en-US')} bytes`);
  return st;
}

/**
 * A file's text, as readFileSync(file, 'utf8') gives it, within the input size limit: a regular
 * file is refused by its size before it is read; anything else (a device, a pipe) is read in
 * chunks until the limit. A NUL byte ends the read with its line and column.
 */
export function readText(file: string, what = 'file'): string {
  const st = statOf(file, what);
  if (st.isDirectory()) throw notAFile(file, what);
  const max = limitAmount('input');
  if (st.isFile() && st.size > max) throw overLimit('input', { file }, `${st.size.toLocaleString('en-US')} bytes`);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw fileError(err, `read ${what}`, file);
  }
  const buf = new BoundedBuffer(file, !st.isFile());
  // A regular file in one read (its size plus one byte, to see it did not grow), then small reads
  // to see the end; anything else by chunks.
  let size = st.isFile() ? Math.min(st.size, max) + 1 : CHUNK;
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(size);
      if (st.isFile()) size = 64 * 1024;
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (err) {
        throw fileError(err, `read ${what}`, file);
      }
      if (n === 0) break;
      buf.add(n === chunk.length ? chunk : chunk.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return buf.text();
}

/** `defaultNamespace`: for objects that name none (kubectl's and istioctl's `-n`). */
export async function loadFiles(files: string[], defaultNamespace = 'default'): Promise<Manifest[]> {
  const { loadManifests } = await import('../manifest/load.js');
  const out: Manifest[] = [];
  for (const f of files) {
    const text = f === '-' ? await readStdin() : readText(f);
    const name = f === '-' ? '<stdin>' : f;
    const loaded = loadManifests(text, { file: name, stage: 'input', defaultNamespace });
    if (!loaded.length) {
      throw new UserError(`no Kubernetes objects in ${name}`, {
        hint:
          f === '-'
            ? 'did the command before the pipe fail? e.g. `bbmesh render pkg | bbmesh check -`'
            : 'give rendered manifests, e.g. the output of `bbmesh render`',
      });
    }
    // No push(...loaded): spreading tens of thousands of arguments is slow (and overflows the stack on huge inputs).
    for (let i = 0; i < loaded.length; i++) out.push(loaded[i]);
  }
  return out;
}
