// `check` on synthetic Big Bang meshes (load, model, all rules; no rendering) against the
// fastest plain parse of the same stream (js-yaml loadAll), at 1k, 5k and 20k objects.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { checkManifests } from '../dist/analysis/check.js';
import { syntheticMesh } from './synthetic.js';
import type { BenchRow } from './run.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const gc = (globalThis as { gc?: () => void }).gc;

/** Timed after a full GC (npm run bench passes --expose-gc) so one run's garbage is not billed to the next. */
async function timeIt(fn: () => unknown | Promise<unknown>): Promise<number> {
  gc?.();
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

export default async function (): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bbmesh-bench-'));
  const rows: BenchRow[] = [];
  const times = new Map<number, number>();
  try {
    for (const size of [1000, 5000, 20000]) {
      const text = syntheticMesh(size);
      const file = join(dir, `mesh-${size}.yaml`);
      writeFileSync(file, text);
      const ours: number[] = [];
      const floor: number[] = [];
      let findings = 0;
      const runs = size >= 20000 ? 7 : 11;
      for (let i = 0; i < runs; i++) {
        floor.push(await timeIt(() => jsyaml.loadAll(text)));
        ours.push(
          await timeIt(async () => {
            findings = (await checkManifests([file])).findings.length;
          }),
        );
      }
      const o = median(ours);
      const f = median(floor);
      times.set(size, o);
      rows.push({
        name: `check ${size} objects (${(text.length / 1e6).toFixed(1)} MB, ${findings} findings)`,
        value: o,
        unit: 's',
        detail: `${(o / f).toFixed(2)}x floor (js-yaml loadAll ${f.toFixed(3)} s)`,
        target: '<= 1.5x floor',
        ok: o / f <= 1.5,
      });
    }
    const t20 = times.get(20000)!;
    rows.push({ name: 'check 20k objects, absolute', value: t20, unit: 's', target: '< 1 s', ok: t20 < 1 });
    const r1 = times.get(5000)! / times.get(1000)!;
    const r2 = t20 / times.get(5000)!;
    // 5x then 4x the size: per doubling = ratio^(1/log2(growth))
    const perDoubling = Math.max(Math.pow(r1, 1 / Math.log2(5)), Math.pow(r2, 1 / Math.log2(4)));
    rows.push({
      name: 'check time growth per doubling of size',
      value: perDoubling,
      unit: 'x',
      detail: `1k->5k ${r1.toFixed(2)}x, 5k->20k ${r2.toFixed(2)}x`,
      target: '<= 2.2x',
      ok: perDoubling <= 2.2,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
