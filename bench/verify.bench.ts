// `verify --snapshot` on a 200-package dump: each package has a namespace, HelmRelease, GitRepository,
// Deployment, 2 pods, Service and VirtualService; plus the Big Bang platform objects and the TLS secret.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { verifySnapshot } from '../dist/analysis/verify/index.js';
import type { K8sObject } from '../src/manifest/index.js';
import type { BenchRow } from './run.js';
import { makeCerts } from '../test/live/helpers/certs.js';
import { clusterObjects, gitRepository, helmRelease, pod } from '../test/live/helpers/cluster.js';

const PACKAGES = 200;
const RUNS = 7;
const TARGET_S = 2;

function packageObjects(name: string): K8sObject[] {
  const ns = name;
  const app = `${name}-${name}`;
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'istio-injection': 'enabled' } }, status: { phase: 'Active' } },
    helmRelease(name, ns),
    gitRepository(name),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app, namespace: ns, labels: { app } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app } },
        template: {
          metadata: { labels: { app } },
          spec: { containers: [{ name, image: `${name}:1`, ports: [{ name: 'http', containerPort: 8080 }] }] },
        },
      },
      status: { replicas: 2, readyReplicas: 2, availableReplicas: 2, conditions: [{ type: 'Available', status: 'True' }] },
    },
    pod(`${app}-7d9c8b6f4-aaaaa`, ns, { app }, { app: name, owner: { kind: 'ReplicaSet', name: `${app}-7d9c8b6f4` } }),
    pod(`${app}-7d9c8b6f4-bbbbb`, ns, { app }, { app: name, owner: { kind: 'ReplicaSet', name: `${app}-7d9c8b6f4` } }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app, namespace: ns },
      spec: { type: 'ClusterIP', selector: { app }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
    },
    {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: app, namespace: ns },
      spec: {
        gateways: ['istio-system/public'],
        hosts: [`${name}.bigbang.dev`],
        http: [{ route: [{ destination: { host: `${app}.${ns}.svc.cluster.local`, port: { number: 8080 } } }] }],
      },
    },
  ];
}

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
    if (r.steps.find((s) => s.step === 5)?.status !== 'pass') throw new Error('bench snapshot did not verify');
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
  ];
};
