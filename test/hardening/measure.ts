// Runs the built CLI in a child process with a capped V8 heap and reports what it cost: wall time,
// CPU time and peak resident memory (read in the child itself, at exit, from getrusage).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../helpers/pkg.js';

export interface Measured {
  code: number;
  stdout: string;
  stderr: string;
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
}

let wrapper: string | undefined;

function wrapperScript(): string {
  if (wrapper) return wrapper;
  const dir = tempDir();
  wrapper = join(dir, 'measure.mjs');
  writeFileSync(
    wrapper,
    [
      "import { writeFileSync } from 'node:fs';",
      'process.on("exit", () => {',
      '  const u = process.resourceUsage();',
      '  const cpuMs = (u.userCPUTime + u.systemCPUTime) / 1000;',
      '  writeFileSync(process.env.BBMESH_TEST_USAGE, JSON.stringify({ cpuMs, maxRssMb: u.maxRSS / 1024 }));',
      '});',
      `const { main } = await import(${JSON.stringify(join(ROOT, 'dist', 'bundle', 'main.js'))});`,
      'await main(process.argv.slice(2));',
    ].join('\n'),
  );
  return wrapper;
}

/**
 * `bbmesh <args>` under `node --max-old-space-size=<heapMb>`; `stdinFrom` is a shell command whose
 * output is piped in (so a 200 MB stream never sits in the test's own memory).
 */
export function measured(args: string[], opts: { heapMb?: number; env?: Record<string, string>; stdinFrom?: string } = {}): Measured {
  const usage = join(tempDir(), 'usage.json');
  const node = [process.execPath, `--max-old-space-size=${opts.heapMb ?? 200}`, wrapperScript(), ...args];
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const started = performance.now();
  const r = opts.stdinFrom
    ? spawnSync('sh', ['-c', `${opts.stdinFrom} | ${node.map(quote).join(' ')}`], {
        encoding: 'utf8',
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: '1', BBMESH_TEST_USAGE: usage, ...opts.env },
      })
    : spawnSync(node[0], node.slice(1), {
        encoding: 'utf8',
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: '1', BBMESH_TEST_USAGE: usage, ...opts.env },
      });
  const wallMs = performance.now() - started;
  let u = { cpuMs: Number.NaN, maxRssMb: Number.NaN };
  try {
    u = JSON.parse(readFileSync(usage, 'utf8'));
  } catch {
    // the child died before its exit handler (out of memory): the assertions on code and memory say so
  }
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, wallMs, ...u };
}
