// Wall time of `bbmesh render examples/podinfo` against its floor, measured side by side:
// a bare Node start plus the two raw `helm template` calls render makes.
import { spawnSync } from 'node:child_process';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './run.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EX = join(ROOT, 'examples', 'podinfo');
const HELM = process.env.HELM_BIN ?? join(ROOT, '.tools', 'bin', 'helm');

function time(cmd: string, args: string[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e9;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function (): Promise<BenchRow[]> {
  const runs = 15;
  const ours: number[] = [];
  const floor: number[] = [];
  const api = ['--kube-version', '1.31.0'];
  const stage1 = [
    'template',
    'bigbang-podinfo',
    join(EX, 'bigbang'),
    '-n',
    'bigbang',
    '-f',
    join(ROOT, 'src/sources/render/umbrella-defaults.yaml'),
    '-f',
    join(EX, 'bigbang/values.yaml'),
    ...api,
  ];
  const stage2 = ['template', 'podinfo-podinfo', join(EX, 'chart'), '-n', 'podinfo', ...api];
  time(process.execPath, [join(ROOT, 'bin/bbmesh.js'), 'render', EX]); // warm the disk cache
  for (let i = 0; i < runs; i++) {
    // interleave so both see the same machine load
    ours.push(time(process.execPath, [join(ROOT, 'bin/bbmesh.js'), 'render', EX]));
    floor.push(time(process.execPath, ['-e', '0']) + time(HELM, stage1) + time(HELM, stage2));
  }
  const o = median(ours);
  const f = median(floor);
  return [
    {
      name: 'render examples/podinfo (median of 15)',
      value: o,
      unit: 's',
      detail: `${(o / f).toFixed(2)}x floor (floor ${f.toFixed(3)} s = node -e 0 + 2 helm template)`,
      target: '<= 1.2x floor',
      ok: o / f <= 1.2,
    },
  ];
}
