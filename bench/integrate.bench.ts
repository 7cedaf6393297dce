// `integratePackage` on a temp copy of examples/podinfo: median wall time of a full integration.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { integratePackage } from '../src/integrate/index.js';
import type { BenchRow } from './run.js';
import { ROOT, median } from './util.js';

const PODINFO = join(ROOT, 'examples', 'podinfo');

export default async (): Promise<BenchRow[]> => {
  const base = mkdtempSync(join(tmpdir(), 'bbmesh-bench-'));
  const fresh: number[] = [];
  const again: number[] = [];
  try {
    for (let i = 0; i < 9; i++) {
      const dir = join(base, `p${i}`);
      cpSync(PODINFO, dir, { recursive: true });
      let t = performance.now();
      await integratePackage(dir);
      fresh.push((performance.now() - t) / 1000);
      t = performance.now();
      await integratePackage(dir);
      again.push((performance.now() - t) / 1000);
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  const m1 = median(fresh);
  const m2 = median(again);
  return [
    {
      name: 'integrate examples/podinfo (6 edits, written)',
      value: m1,
      unit: 's',
      detail: `median of ${fresh.length}`,
      target: '< 1 s',
      ok: m1 < 1,
    },
    {
      name: 'integrate examples/podinfo (second run, no-op)',
      value: m2,
      unit: 's',
      detail: `median of ${again.length}`,
      target: '< 1 s',
      ok: m2 < 1,
    },
  ];
};
