// `verify --snapshot` on a 200-package dump, and `verify --all` over the same 200 packages served by the
// loopback fake API server (20 ms per answer) with the loopback ingress for step 12. Each package has a
// namespace, HelmRelease, GitRepository, Deployment, 2 pods, Service and VirtualService; plus the Big Bang
// platform objects and the TLS secret.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { verifyAllCluster, verifySnapshot } from '../dist/analysis/verify/index.js';
import type { K8sObject } from '../src/manifest/index.js';
import type { BenchRow } from './run.js';
import { makeCerts } from '../test/live/helpers/certs.js';
import { clusterObjects } from '../test/live/helpers/cluster.js';
import { startFakeApi } from '../test/live/helpers/fakeapi.js';
import { startIngress } from '../test/live/helpers/ingress.js';
import { packageObjects } from '../test/live/helpers/packages.js';

const PACKAGES = 200;
const RUNS = 7;
const TARGET_S = 2;
const ALL_RUNS = 3;
const ALL_TARGET_S = 5;
const MAX_IN_FLIGHT = 16;

export default async (): Promise<BenchRow[]> => {
  const certs = makeCerts();
  const platform = clusterObjects({ cert: certs.valid });
  const items = [...platform];
  for (let i = 0; i < PACKAGES; i++) items.push(...packageObjects(`pkg${String(i).padStart(3, '0')}`));
  const dir = mkdtempSync(join(tmpdir(), 'bbmesh-bench-verify-'));
  const file = join(dir, 'cluster.yaml');
  writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items }, { lineWidth: 0 }));
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = await verifySnapshot(file, { packageName: 'pkg100' });
    times.push((performance.now() - t0) / 1000);
    if (r.steps.find((st: { step: number; status: string }) => st.step === 5)?.status !== 'pass')
      throw new Error('bench snapshot did not verify');
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  return [
    {
      name: `verify --snapshot, ${PACKAGES} packages (${items.length} objects)`,
      value: median,
      unit: 's',
      detail: `median of ${RUNS}, min ${times[0].toFixed(3)} s`,
      target: `< ${TARGET_S} s`,
      ok: median < TARGET_S,
    },
    await verifyAllRow(items, certs),
  ];
};

/** verify --all against the fake API: every package's steps 5 and 7-12 and the check rules. */
async function verifyAllRow(items: K8sObject[], certs: ReturnType<typeof makeCerts>): Promise<BenchRow> {
  const api = await startFakeApi(certs, items, { lifetimeMs: 300_000 });
  const ing = await startIngress(certs.valid, { host: (h) => h.endsWith('.bigbang.dev') });
  try {
    const times: number[] = [];
    let peak = 0;
    let calls = 0;
    for (let i = 0; i < ALL_RUNS; i++) {
      api.requests.length = 0;
      const t0 = performance.now();
      const r = await verifyAllCluster({
        kubeconfig: api.kubeconfig,
        address: { host: '127.0.0.1', httpsPort: ing.httpsPort },
        caPem: certs.ca.cert,
        maxInFlight: MAX_IN_FLIGHT,
      });
      times.push((performance.now() - t0) / 1000);
      if (r.packages.length !== PACKAGES + 1 || !r.ok)
        throw new Error(`bench --all did not verify: ${r.summary.ok}/${r.packages.length} ok`);
      peak = Math.max(peak, api.maxInFlight, r.apiCalls?.peakInFlight ?? 0);
      calls = api.requests.length;
    }
    const cold = times[0];
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    return {
      name: `verify --all, ${PACKAGES + 1} packages on the fake API`,
      value: median,
      unit: 's',
      detail: `median of ${ALL_RUNS} (first, cold: ${cold.toFixed(2)} s), ${calls} API calls (20 ms each), at most ${peak} in flight`,
      target: `< ${ALL_TARGET_S} s, <= ${MAX_IN_FLIGHT} in flight`,
      ok: median < ALL_TARGET_S && peak <= MAX_IN_FLIGHT,
    };
  } finally {
    await api.close();
    await ing.close();
  }
}
