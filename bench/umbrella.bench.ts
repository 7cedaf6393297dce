// Rendering through a Big Bang umbrella against the raw `helm template` calls it makes, side by side:
//  1. one package through the umbrella (test/fixtures/umbrella): stage 1 of the umbrella plus the
//     package's stage 2, against those two helm calls run one after the other (target <= 1.3x);
//  2. a generated 20-package deployment (plus istiod and two gateways, charts given with --chart so no
//     network is involved) on 2 workers, against the sum of its raw renders run one after another
//     (target <= 0.7x).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderPackage } from '../src/sources/render/index.js';
import type { RenderResult } from '../src/sources/render/types.js';
import { renderDeployment } from '../src/sources/umbrella/deployment.js';
import type { BenchRow } from './run.js';
import { HELM, ROOT, median, timeCommand } from './util.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'umbrella');
const KUBE = ['--kube-version', '1.32.0'];
const helm = (args: string[]) => timeCommand(HELM, args);

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** The helm calls a render made, run one after another: stage 1, then each release with its values. */
function rawRenders(tmp: string, chartDir: string, r: RenderResult, stage1Values: string[]): number {
  let total = helm(['template', 'bigbang', chartDir, '-n', 'bigbang', ...stage1Values.flatMap((f) => ['-f', f]), ...KUBE]);
  r.releases.forEach((rel, i) => {
    const vf = join(tmp, `raw-${i}.json`);
    writeFileSync(vf, JSON.stringify(rel.values));
    total += helm(['template', rel.releaseName, rel.chartDir, '-n', rel.namespace, '-f', vf, ...KUBE]);
  });
  return total;
}

/** An umbrella of `n` packages made from the fixture's podinfo folder, each with its own copy of the podinfo chart. */
export function generatedUmbrella(root: string, n: number): { dir: string; charts: Record<string, string> } {
  const chart = join(root, 'bigbang', 'chart');
  const src = join(FIXTURE, 'bigbang', 'chart');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  for (const f of ['Chart.yaml', 'templates/_helpers.tpl']) cpSync(join(src, f), join(chart, f));
  for (const d of ['istiod', 'istio-gateway']) cpSync(join(src, 'templates', d), join(chart, 'templates', d), { recursive: true });
  const values = readFileSync(join(src, 'values.yaml'), 'utf8');
  const podinfo = /^podinfo:\n(?: .*\n|\n)*/m.exec(values)![0];
  const charts: Record<string, string> = {
    istiod: join(FIXTURE, 'packages', 'istiod'),
    'public-ingressgateway': join(FIXTURE, 'packages', 'istio-gateway'),
    'passthrough-ingressgateway': join(FIXTURE, 'packages', 'istio-gateway'),
  };
  const pkgValues: string[] = [];
  for (let i = 1; i <= n; i++) {
    const p = `pkg${String(i).padStart(2, '0')}`;
    mkdirSync(join(chart, 'templates', p));
    for (const f of ['namespace', 'gitrepository', 'helmrelease', 'values']) {
      const t = readFileSync(join(src, 'templates', 'podinfo', `${f}.yaml`), 'utf8');
      writeFileSync(join(chart, 'templates', p, `${f}.yaml`), t.replaceAll('podinfo', p));
    }
    pkgValues.push(podinfo.replaceAll('podinfo', p));
    cpSync(join(FIXTURE, 'packages', 'podinfo'), join(root, 'packages', p), { recursive: true });
    charts[p] = join(root, 'packages', p);
  }
  writeFileSync(
    join(chart, 'values.yaml'),
    values.replace(/^podinfo:\n(?: .*\n|\n)*/m, pkgValues.join('')).replace(/^addons:[\s\S]*$/m, 'addons: {}\n'),
  );
  return { dir: join(root, 'bigbang'), charts };
}

export default async function (): Promise<BenchRow[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'bbmesh-bench-umbrella-'));
  try {
    const rows: BenchRow[] = [];
    // 1. one package through the umbrella
    const pkg = join(tmp, 'podinfo');
    cpSync(join(FIXTURE, 'packages', 'podinfo'), pkg, { recursive: true });
    const opts = { umbrella: { dir: join(FIXTURE, 'bigbang') } };
    const one = await renderPackage(pkg, opts); // warm
    const ours: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < 9; i++) {
      ours.push(await time(() => renderPackage(pkg, opts)));
      floor.push(rawRenders(tmp, join(FIXTURE, 'bigbang', 'chart'), one, []));
    }
    const o = median(ours);
    const f = median(floor);
    rows.push({
      name: 'one package through the umbrella (median of 9)',
      value: o,
      unit: 's',
      detail: `${(o / f).toFixed(2)}x raw (raw ${f.toFixed(3)} s = umbrella + package helm template)`,
      target: '<= 1.3x raw',
      ok: o / f <= 1.3,
    });

    // 2. a 20-package deployment on 2 workers
    const gen = generatedUmbrella(join(tmp, 'gen'), 20);
    const dopts = { umbrella: { dir: gen.dir, charts: gen.charts, offline: true, concurrency: 2, cacheDir: join(tmp, 'cache') } };
    const dep = await renderDeployment(dopts); // warm
    if (dep.notRendered?.length) throw new Error(`bench deployment: ${dep.notRendered.map((x) => x.message).join('; ')}`);
    const dOurs: number[] = [];
    const dRaw: number[] = [];
    for (let i = 0; i < 3; i++) {
      dOurs.push(await time(() => renderDeployment(dopts)));
      dRaw.push(rawRenders(tmp, join(gen.dir, 'chart'), dep, []));
    }
    const d = median(dOurs);
    const r = median(dRaw);
    rows.push({
      name: `deployment of 20 packages, ${dep.releases.length} releases, 2 workers (median of 3)`,
      value: d,
      unit: 's',
      detail: `${(d / r).toFixed(2)}x sequential raw renders (${r.toFixed(3)} s for ${dep.releases.length + 1} helm template)`,
      target: '<= 0.7x sequential',
      ok: d / r <= 0.7,
    });
    return rows;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
