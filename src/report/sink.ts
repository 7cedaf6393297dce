// Writes a report's chunks to a stream in blocks, waiting when the reader is slower than we are
// (a pipe to `less` or to a CI log), so a large report is never held whole in memory.
import type { Writable } from 'node:stream';

const BLOCK = 64 * 1024;

export async function writeChunks(chunks: Iterable<string>, out: Writable): Promise<void> {
  let buf = '';
  const flush = async () => {
    if (!buf) return;
    const ok = out.write(buf);
    buf = '';
    if (!ok) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  for (const c of chunks) {
    buf += c;
    if (buf.length >= BLOCK) await flush();
  }
  await flush();
}
