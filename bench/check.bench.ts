// `bbmesh check` as a user runs it (the built CLI, a fresh process each time), against its floors,
// interleaved so both see the same machine:
//  - a package directory against the raw `helm template` calls of ONE two-stage render of it (check
//    renders Istio on and off concurrently); the three renders one after another are printed beside it;
//  - generated streams: a clean 20k-object one, and a platform in trouble (three faults per package:
//    >= 10,000 findings at 20k) in text, JSON and SARIF, against a plain js-yaml loadAll of the same
//    file in time and in peak memory; growth from 5k to 20k objects;
//  - `bbmesh --help`.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticMesh } from './synthetic.js';
import { CLI, HELM, ROOT, measureNode, median, stdoutOf, timeCommand, type Measured } from './util.js';
import type { BenchRow } from './run.js';

const FLOOR = join(ROOT, 'bench', 'floor.mjs');
const TWO_HELM = join(ROOT, 'bench', 'two-helm.mjs');
const FINDINGS = [0, 1];

function packageRows(dir: string): BenchRow[] {
  const pkg = join(dir, 'podinfo');
  cpSync(join(ROOT, 'test', 'fixtures', 'check', 'podinfo-integrated'), pkg, { recursive: true });
  const api = ['--kube-version', '1.33.0'];
  const stage1 = ['template', 'bigbang-podinfo', join(pkg, 'bigbang'), '-n', 'bigbang'];
  stage1.push('-f', join(ROOT, 'src/sources/render/umbrella-defaults.yaml'), '-f', join(pkg, 'bigbang/values.yaml'), ...api);
  const stage2 = ['template', 'podinfo-podinfo', join(pkg, 'chart'), '-n', 'podinfo', ...api];
  const ours: number[] = [];
  const one: number[] = [];
  const least: number[] = [];
  measureNode(CLI, ['check', pkg], FINDINGS); // warm the disk cache
  for (let i = 0; i < 11; i++) {
    ours.push(measureNode(CLI, ['check', pkg], FINDINGS).s);
    one.push(timeCommand(HELM, stage1) + timeCommand(HELM, stage2));
    least.push(timeCommand(process.execPath, [TWO_HELM, HELM, JSON.stringify(stage1), JSON.stringify(stage2)]));
  }
  const o = median(ours);
  const f = median(one);
  const l = median(least);
  return [
    {
      name: 'check <package-dir> (test/fixtures/check/podinfo-integrated, median of 11)',
      value: o,
      unit: 's',
      detail: `${(o / f).toFixed(2)}x one two-stage render (${f.toFixed(3)} s of raw helm); three renders one after another: ${(3 * f).toFixed(3)} s`,
      target: '<= 1.5x one render',
      ok: o / f <= 1.5,
    },
    {
      name: 'a Node program that only runs those two Helm calls (the least any Node CLI can do)',
      value: l,
      unit: 's',
      detail: `${(l / f).toFixed(2)}x the raw helm calls; check is ${(o / l).toFixed(2)}x it`,
    },
  ];
}

function streamRows(dir: string): BenchRow[] {
  const rows: BenchRow[] = [];
  const heavy = new Map<number, number>();
  for (const [size, faults] of [
    [5000, true],
    [20000, true],
    [20000, false],
  ] as const) {
    const file = join(dir, `mesh-${size}-${faults ? 'heavy' : 'clean'}.yaml`);
    const text = syntheticMesh(size, { heavy: faults });
    writeFileSync(file, text);
    const findings = (JSON.parse(stdoutOf(process.execPath, [CLI, 'check', file, '-o', 'json'])) as { findings: unknown[] }).findings
      .length;
    const formats = faults ? ['text', 'json', 'sarif'] : ['text'];
    const runs = size >= 20000 ? 5 : 7;
    const floor: Measured[] = [];
    const ours = new Map<string, Measured[]>(formats.map((f) => [f, []]));
    for (let i = 0; i < runs; i++) {
      floor.push(measureNode(FLOOR, [file]));
      for (const f of formats) ours.get(f)!.push(measureNode(CLI, ['check', file, '-o', f], FINDINGS));
    }
    const fs = median(floor.map((m) => m.s));
    const fm = median(floor.map((m) => m.mb));
    for (const f of formats) {
      const s = median(ours.get(f)!.map((m) => m.s));
      const mb = median(ours.get(f)!.map((m) => m.mb));
      if (f === 'text' && faults) heavy.set(size, s);
      const what = `${size} objects, ${(text.length / 1e6).toFixed(1)} MB, ${findings} findings`;
      rows.push({
        name: `check ${what}, -o ${f}: time`,
        value: s,
        unit: 's',
        detail: `${(s / fs).toFixed(2)}x floor (js-yaml loadAll ${fs.toFixed(3)} s)`,
        target: '<= 1.5x floor',
        ok: s / fs <= 1.5,
      });
      rows.push({
        name: `check ${what}, -o ${f}: peak memory`,
        value: mb,
        unit: 'MB',
        detail: `${(mb / fm).toFixed(2)}x floor (${fm.toFixed(0)} MB)`,
        target: '<= 1.5x floor',
        ok: mb / fm <= 1.5,
      });
    }
  }
  const growth = heavy.get(20000)! / heavy.get(5000)!;
  rows.push({
    name: 'check time growth, 5k to 20k objects (three faults per package, -o text)',
    value: growth,
    unit: 'x',
    target: '<= 4.4x',
    ok: growth <= 4.4,
  });
  return rows;
}

function helpRow(): BenchRow {
  const xs: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 11; i++) {
    xs.push(timeCommand(process.execPath, [CLI, '--help']));
    bare.push(timeCommand(process.execPath, ['-e', '0']));
  }
  const s = median(xs);
  const b = median(bare);
  // The target is absolute; `node -e 0` beside it says how much of it is the machine's Node start.
  return {
    name: 'bbmesh --help (median of 11)',
    value: s,
    unit: 's',
    detail: `node -e 0: ${b.toFixed(3)} s (bbmesh's own share ${(s - b).toFixed(3)} s)`,
    target: '< 0.15 s',
    ok: s < 0.15,
  };
}

export default async function (): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bbmesh-bench-'));
  try {
    return [...packageRows(dir), ...streamRows(dir), helpRow()];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
