// integrate on upstream-shaped charts without their Big Bang parts (test/fixtures/upstream/*): it learns
// the Services from a render with the chart's defaults, calls the chart's helpers the way the chart does,
// takes the package and namespace from the flags, and leaves the domain to the umbrella.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { integratePackage } from '../../src/integrate/index.js';
import { UserError } from '../../src/core/errors.js';
import { copyPackage, find, render, ROOT, snapshot } from './helpers.js';

const UPSTREAM = join(ROOT, 'test', 'fixtures', 'upstream');
const spec = (m: { obj: Record<string, unknown> }) => m.obj.spec as Record<string, any>;

test('upstream podinfo, no flags: the redis Service is off by default, so the podinfo Service is chosen', async () => {
  const dir = copyPackage(join(UPSTREAM, 'podinfo'));
  const r = await integratePackage(dir);
  assert.equal(r.written, true);
  assert.equal(r.packageName, 'podinfo');
  assert.equal(r.namespace, 'podinfo');
  assert.match(r.notes.join('\n'), /package name "podinfo" taken from chart\/Chart\.yaml/);
  const vsText = readFileSync(join(dir, 'chart/templates/bigbang/virtualservice.yaml'), 'utf8');
  assert.match(vsText, /number: \{\{ \.Values\.service\.externalPort \}\}/, 'the port keeps its values path');
  assert.match(vsText, /\{\{- include "podinfo\.labels" \. \| nindent 4 \}\}/);
  assert.doesNotMatch(readFileSync(join(dir, 'bigbang/values.yaml'), 'utf8'), /^domain:/m, 'the umbrella sets the domain');

  const ms = await render(dir, ['istio.enabled=true']);
  const vs = find(ms, 'VirtualService');
  assert.equal(vs.length, 1);
  assert.equal(vs[0].name, 'podinfo-podinfo');
  assert.deepEqual(spec(vs[0]).http[0].route[0].destination, { host: 'podinfo-podinfo.podinfo.svc.cluster.local', port: { number: 9898 } });
  assert.deepEqual(spec(vs[0]).hosts, ['podinfo.bigbang.dev']);
  assert.equal(vs[0].obj.metadata!.labels!['helm.sh/chart'], 'podinfo-6.7.0');
  // The umbrella's domain wins: nothing in bigbang/values.yaml pins it.
  const other = await render(dir, ['istio.enabled=true', 'domain=apps.example.mil']);
  assert.deepEqual(spec(find(other, 'VirtualService')[0]).hosts, ['podinfo.apps.example.mil']);
  assert.equal((await integratePackage(dir)).alreadyIntegrated, true);
});

test('upstream podinfo with redis on: both rendered Services are offered by their own names', async () => {
  const dir = copyPackage(join(UPSTREAM, 'podinfo'));
  const values = join(dir, 'chart/values.yaml');
  writeFileSync(values, readFileSync(values, 'utf8').replace('redis:\n  enabled: false', 'redis:\n  enabled: true'));
  const before = snapshot(dir);
  await assert.rejects(integratePackage(dir), (err: unknown) => {
    assert.ok(err instanceof UserError);
    assert.match(
      err.message,
      /renders 2 Services: podinfo-podinfo \(chart\/templates\/service\.yaml, ports 9898 http, 9999 grpc\); podinfo-podinfo-redis/,
    );
    assert.match(err.hint ?? '', /--service podinfo-podinfo --service podinfo-podinfo-redis/);
    return true;
  });
  assert.deepEqual(snapshot(dir), before);
  const r = await integratePackage(dir, { service: ['podinfo-podinfo'] });
  assert.equal(r.written, true);
});

test('argo-cd shape: Services named as they render, helpers called with the dict the chart passes them', async () => {
  const dir = copyPackage(join(UPSTREAM, 'argo-cd'));
  await assert.rejects(integratePackage(dir, { package: 'argocd' }), (err: unknown) => {
    assert.ok(err instanceof UserError);
    assert.match(
      err.message,
      /renders 3 Services: argocd-argocd-redis .*; argocd-argocd-repo-server .*; argocd-argocd-server \(chart\/templates\/argocd-server\/service\.yaml, ports 80 http, 443 https\)$/,
    );
    assert.doesNotMatch(`${err.message} ${err.hint}`, /argo-cd-\d|metrics/, 'no made-up keys, no Service the defaults do not render');
    return true;
  });
  const r = await integratePackage(dir, { package: 'argocd', service: ['argocd-argocd-server'] });
  assert.equal(r.packageName, 'argocd');
  const vsText = readFileSync(join(dir, 'chart/templates/bigbang/virtualservice.yaml'), 'utf8');
  assert.match(vsText, /include "argo-cd\.labels" \(dict "context" \. "component" \.Values\.server\.name "name" \.Values\.server\.name\)/);
  const ms = await render(dir, ['istio.enabled=true']);
  const vs = find(ms, 'VirtualService');
  assert.equal(vs.length, 1);
  assert.equal(vs[0].name, 'argocd-argocd-server');
  assert.equal(vs[0].namespace, 'argocd');
  assert.deepEqual(vs[0].obj.metadata!.labels, {
    'helm.sh/chart': 'argo-cd-7.7.0',
    'app.kubernetes.io/name': 'argocd-server',
    'app.kubernetes.io/instance': 'argocd-argocd',
    'app.kubernetes.io/component': 'server',
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/part-of': 'argocd',
  });
  assert.deepEqual(spec(vs[0]).http[0].route[0].destination, {
    host: 'argocd-argocd-server.argocd.svc.cluster.local',
    port: { number: 80 },
  });
  assert.deepEqual(spec(vs[0]).hosts, ['argocd.bigbang.dev']);
  const off = await render(dir, ['istio.enabled=false']);
  assert.equal(find(off, 'VirtualService').length, 0);
});

test('argo-cd shape: a short --service name picks the one Service it names exactly', async () => {
  const dir = copyPackage(join(UPSTREAM, 'argo-cd'));
  await integratePackage(dir, { package: 'argocd', service: ['server'] });
  const ms = await render(dir, ['istio.enabled=true']);
  assert.deepEqual(
    find(ms, 'VirtualService').map((v) => v.name),
    ['argocd-argocd-server'],
  );
  const two = copyPackage(join(UPSTREAM, 'argo-cd'));
  await assert.rejects(
    integratePackage(two, { package: 'argocd', service: ['server', 'repo-server'], port: '8081' }),
    /--port 8081 is not a port of the Service \(Service argocd-argocd-server ports: 80 \(http\), 443 \(https\)\)/,
  );
});

test('grafana shape deployed into monitoring: namespace and release name from the flags, not from the chart name', async () => {
  const dir = copyPackage(join(UPSTREAM, 'grafana'));
  const r = await integratePackage(dir, { package: 'grafana', namespace: 'monitoring' });
  assert.equal(r.namespace, 'monitoring');
  assert.deepEqual(r.notes, [], 'nothing guessed');
  const hr = readFileSync(join(dir, 'bigbang/templates/grafana/helmrelease.yaml'), 'utf8');
  assert.match(hr, /^ {2}targetNamespace: monitoring$/m);
  const ms = await render(dir, ['istio.enabled=true']);
  const ns = find(ms, 'Namespace');
  assert.deepEqual(
    ns.map((n) => [n.name, n.obj.metadata!.labels!['istio-injection']]),
    [['monitoring', 'enabled']],
  );
  const vs = find(ms, 'VirtualService')[0];
  assert.equal(vs.namespace, 'monitoring');
  assert.equal(vs.name, 'monitoring-grafana');
  assert.deepEqual(spec(vs).http[0].route[0].destination, {
    host: 'monitoring-grafana.monitoring.svc.cluster.local',
    port: { number: 80 },
  });
  assert.deepEqual(spec(vs).hosts, ['grafana.bigbang.dev']);
  // Later runs read the namespace back from bigbang/; a different --namespace is refused.
  assert.equal((await integratePackage(dir)).namespace, 'monitoring');
  await assert.rejects(integratePackage(dir, { namespace: 'grafana' }), /deploys into monitoring/);
});
