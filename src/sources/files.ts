// Manifests from YAML files or stdin.
import { isAscii } from 'node:buffer';
import { existsSync, readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import type { Manifest } from '../manifest/types.js';

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new UserError('reading manifests from stdin, but stdin is a terminal', {
      hint: 'pipe YAML in, e.g. `bbmesh render pkg | bbmesh check -`',
    });
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A file's text, as readFileSync(file, 'utf8') gives it. Manifests are nearly always pure ASCII,
 * where Latin-1 decoding is the same string and several times faster than UTF-8 decoding
 * (about 25 ms less for a 7.7 MB stream); anything else is decoded as UTF-8.
 */
export function readText(file: string): string {
  const buf = readFileSync(file);
  return isAscii(buf) ? buf.toString('latin1') : buf.toString('utf8');
}

/** `defaultNamespace`: for objects that name none (kubectl's and istioctl's `-n`). */
export async function loadFiles(files: string[], defaultNamespace = 'default'): Promise<Manifest[]> {
  const { loadManifests } = await import('../manifest/load.js');
  const out: Manifest[] = [];
  for (const f of files) {
    let text: string;
    if (f === '-') text = await readStdin();
    else {
      if (!existsSync(f)) throw new UserError(`file not found: ${f}`);
      text = readText(f);
    }
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
