// What every bench needs: medians, timed child processes with their peak memory, the raw Helm floor.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const HELM = process.env.HELM_BIN ?? join(ROOT, '.tools', 'bin', 'helm');
export const CLI = join(ROOT, 'bin', 'bbmesh.js');
const MEASURE = join(ROOT, 'bench', 'measure.mjs');

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface Measured {
  /** Wall seconds. */
  s: number;
  /** Peak resident memory of the process, MB. */
  mb: number;
  code: number;
}

/**
 * Runs `node <script> args` through bench/measure.mjs, which reports the child's own peak RSS at exit
 * (no dependency on GNU time). `ok` lists the exit codes that are not failures (check exits 1 on findings).
 */
export function measureNode(script: string, args: string[], ok: number[] = [0]): Measured {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [MEASURE, script, ...args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  const code = r.status ?? -1;
  if (!ok.includes(code)) throw new Error(`${script} ${args.join(' ')} exited ${code}: ${String(r.stderr).slice(-2000)}`);
  const m = /bbmesh-bench-maxrss (\d+)/.exec(String(r.stderr));
  return { s, mb: m ? Number(m[1]) / 1024 : NaN, code };
}

/** Wall seconds of one command (any binary). */
export function timeCommand(cmd: string, args: string[], ok: number[] = [0]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (!ok.includes(r.status ?? -1)) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** stdout of a command, e.g. a JSON report to count its findings. */
export function stdoutOf(cmd: string, args: string[]): string {
  return spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
}
