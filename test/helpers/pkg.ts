// Test helpers: temp copies of packages (never touch the originals) and running the CLI.
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXAMPLE = join(ROOT, 'examples', 'podinfo');

const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A temp copy of a package directory, removed after the test file. */
export function tempCopy(src = EXAMPLE): string {
  const dir = mkdtempSync(join(tmpdir(), 'bbmesh-test-'));
  made.push(dir);
  const dest = join(dir, 'pkg');
  cpSync(src, dest, { recursive: true });
  return dest;
}

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bbmesh-test-'));
  made.push(dir);
  return dir;
}

/** Replaces text in a file of a package copy; fails loudly when the text is not there. */
export function edit(file: string, from: string | RegExp, to: string): void {
  const s = readFileSync(file, 'utf8');
  const out = s.replace(from, to);
  if (out === s) throw new Error(`edit: ${String(from)} not found in ${file}`);
  writeFileSync(file, out);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (tests run after `npm run build`, which `npm test` does). */
export function cli(args: string[], opts: { input?: string; env?: Record<string, string>; cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'bbmesh.js'), ...args], {
    input: opts.input,
    encoding: 'utf8',
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
