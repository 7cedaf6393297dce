// Shared helpers of the integrate tests: temp copies of packages, file snapshots, renders.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { integratePackage } from '../../src/integrate/index.js';
import { renderPackage } from '../../src/sources/render/index.js';
import type { Manifest } from '../../src/manifest/types.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PODINFO = join(ROOT, 'examples', 'podinfo');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'packages');

const temps: string[] = [];
process.on('exit', () => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A temp copy of a package; the original is never touched. */
export function copyPackage(src: string): string {
  const base = mkdtempSync(join(tmpdir(), 'bbmesh-int-'));
  temps.push(base);
  const dir = join(base, 'pkg');
  cpSync(src, dir, { recursive: true });
  return dir;
}

/** Every file of a directory: relative path -> content. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (n === '.git') continue;
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

export async function render(dir: string, set: string[] = []): Promise<Manifest[]> {
  return (await renderPackage(dir, { set })).manifests;
}

export function find(ms: Manifest[], kind: string): Manifest[] {
  return ms.filter((m) => m.kind === kind);
}

/** Runs the CLI from the sources (no build needed). */
export function bbmesh(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const code = `const m = await import(${JSON.stringify(join(ROOT, 'src/cli/main.ts'))}); await m.main(process.argv.slice(1));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts integrate in this process and resolves once it stops for good at the point labelled `at` (it never resumes). */
export function stopAt(dir: string, at: string): Promise<void> {
  return new Promise<void>((paused) => {
    void integratePackage(dir, {
      hooks: {
        point: (_n, label) => {
          if (label !== at) return undefined;
          paused();
          return new Promise<void>(() => undefined);
        },
      },
    });
  });
}

/** The pid of a process that has exited (a journal's owner that is gone). */
export const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;
