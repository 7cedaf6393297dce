// `bbmesh trace` throughput on the 20k-object synthetic mesh of the check benchmark: the model is
// built once (as the CLI does), then random `https://pkgN.bigbang.dev/` URLs are traced.
// Source positions are resolved lazily (only when printed), so the second row measures that too.
import { loadManifests } from '../src/manifest/load.js';
import { buildModel } from '../src/model/build.js';
import { withPlatform } from '../src/sources/platform.js';
import { traceRequest } from '../src/analysis/trace/index.js';
import type { BenchRow } from './run.js';
import { syntheticMesh } from './synthetic.js';

export default async function (): Promise<BenchRow[]> {
  const objects = 20000;
  const packages = Math.floor(objects / 5);
  const manifests = withPlatform(
    loadManifests(syntheticMesh(objects), { file: 'synthetic.yaml', stage: 'input', defaultNamespace: 'default' }),
    { layout: 'bb2', domain: 'bigbang.dev' },
  );
  const model = buildModel(manifests);
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const urls = Array.from({ length: packages }, () => `https://pkg${Math.floor(rand() * packages)}.bigbang.dev/`);
  // Warm-up builds the lazy per-model indexes (counted separately).
  const t0 = performance.now();
  traceRequest(model, { url: urls[0] });
  const firstMs = performance.now() - t0;
  // One pass over every package fills the per-workload memo tables (also lazy).
  const t00 = performance.now();
  for (let i = 0; i < packages; i++) traceRequest(model, { url: `https://pkg${i}.bigbang.dev/` });
  const warmMs = performance.now() - t00;
  const n = 100000;
  let ok = 0;
  const t1 = performance.now();
  for (let i = 0; i < n; i++) if (traceRequest(model, { url: urls[i % urls.length] }).verdict.ok) ok++;
  const perSec = n / ((performance.now() - t1) / 1000);
  // With every hop's file:line resolved (what the text output prints), on fresh URLs.
  const m = 2000;
  const t2 = performance.now();
  for (let i = 0; i < m; i++) for (const h of traceRequest(model, { url: `https://pkg${i % packages}.bigbang.dev/` }).hops) void h.source;
  const locatedPerSec = m / ((performance.now() - t2) / 1000);
  return [
    {
      name: `trace, ${objects}-object mesh (${ok}/${n} ok)`,
      value: perSec,
      unit: 'traces/s',
      detail: `first trace (lazy indexes) ${firstMs.toFixed(0)} ms; first pass over ${packages} hosts ${warmMs.toFixed(0)} ms`,
      target: '>= 20000/s',
      ok: perSec >= 20000,
    },
    {
      name: 'trace + file:line of every hop (cold documents)',
      value: locatedPerSec,
      unit: 'traces/s',
      detail: 'informational: positions re-parse each document once',
    },
  ];
}
