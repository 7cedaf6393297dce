// Wall time of `bbmesh render examples/podinfo` against its floor, measured side by side:
// a bare Node start plus the two raw `helm template` calls render makes.
import { join } from 'node:path';
import { CLI, HELM, ROOT, median, timeCommand as time } from './util.js';
import type { BenchRow } from './run.js';

const EX = join(ROOT, 'examples', 'podinfo');

export default async function (): Promise<BenchRow[]> {
  const runs = 15;
  const ours: number[] = [];
  const floor: number[] = [];
  const api = ['--kube-version', '1.33.0'];
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
  time(process.execPath, [CLI, 'render', EX]); // warm the disk cache
  for (let i = 0; i < runs; i++) {
    // interleave so both see the same machine load
    ours.push(time(process.execPath, [CLI, 'render', EX]));
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
