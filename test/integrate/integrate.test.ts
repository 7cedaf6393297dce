// `integratePackage` through real two-stage Helm renders, on temp copies of the packages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { integratePackage } from '../../src/integrate/index.js';
import { UserError } from '../../src/core/errors.js';
import { copyPackage, find, FIXTURES, PODINFO, render, snapshot } from './helpers.js';

test('podinfo: Istio on renders the label, the VirtualService and the dependency', async () => {
  const dir = copyPackage(PODINFO);
  const r = await integratePackage(dir);
  assert.deepEqual(
    r.steps.map((s) => [s.step, s.status]),
    [
      ['scaffold', 'present'],
      [1, 'done'],
      [2, 'done'],
      [3, 'done'],
      [4, 'done'],
      [5, 'done'],
      [6, 'done'],
    ],
  );
  assert.equal(r.written, true);
  const ms = await render(dir, ['istio.enabled=true']);
  const ns = find(ms, 'Namespace').find((m) => m.name === 'podinfo')!;
  assert.equal(ns.obj.metadata!.labels!['istio-injection'], 'enabled');
  const svc = find(ms, 'Service').find((m) => m.origin.stage === 'package')!;
  const vss = find(ms, 'VirtualService');
  assert.equal(vss.length, 1);
  const vs = vss[0];
  assert.equal(vs.name, svc.name, 'named by the fullname helper, like the Service');
  assert.equal(vs.name, 'podinfo-podinfo');
  const labels = vs.obj.metadata!.labels!;
  assert.equal(labels['helm.sh/chart'], 'podinfo-6.0.0-bb.0');
  assert.equal(labels['app.kubernetes.io/managed-by'], 'Helm');
  assert.equal(labels['app.kubernetes.io/instance'], 'podinfo-podinfo');
  const spec: any = vs.obj.spec;
  assert.deepEqual(spec.gateways, ['istio-system/public']);
  assert.deepEqual(spec.hosts, ['podinfo.bigbang.dev']);
  const dest = spec.http[0].route[0].destination;
  assert.equal(dest.host, `${svc.name}.podinfo.svc.cluster.local`);
  assert.equal(dest.port.number, 9898, 'service.externalPort');
  const hr: any = find(ms, 'HelmRelease')[0].obj;
  assert.deepEqual(hr.spec.dependsOn, [{ name: 'istio', namespace: 'bigbang' }]);
});

test('podinfo: Istio off renders nothing Istio-specific, and no empty dependsOn', async () => {
  const dir = copyPackage(PODINFO);
  await integratePackage(dir);
  const ms = await render(dir, ['istio.enabled=false']);
  assert.equal(find(ms, 'VirtualService').length, 0);
  const ns = find(ms, 'Namespace')[0];
  assert.equal(ns.obj.metadata!.labels!['istio-injection'], undefined);
  const hr: any = find(ms, 'HelmRelease')[0].obj;
  assert.equal('dependsOn' in hr.spec, false);
});

test('whoami: Service name unlike the package, instance label already in the helper, existing monitoring dependsOn', async () => {
  const dir = copyPackage(join(FIXTURES, 'whoami'));
  const r = await integratePackage(dir);
  assert.match(r.steps[6].reason ?? '', /existing dependsOn/);
  const vsText = readFileSync(join(dir, 'chart/templates/bigbang/virtualservice.yaml'), 'utf8');
  assert.doesNotMatch(vsText, /app\.kubernetes\.io\/instance/, 'the labels helper already has it');
  const ms = await render(dir, ['istio.enabled=true', 'monitoring.enabled=true']);
  const svc = find(ms, 'Service').find((m) => m.origin.stage === 'package')!;
  assert.equal(svc.name, 'whoami-whoami-whoami-http');
  const vs = find(ms, 'VirtualService')[0];
  assert.equal(vs.name, svc.name);
  assert.equal(vs.obj.metadata!.labels!['app.kubernetes.io/instance'], 'whoami-whoami');
  const dest = (vs.obj.spec as any).http[0].route[0].destination;
  assert.deepEqual(dest, { port: { number: 8080 }, host: `${svc.name}.whoami.svc.cluster.local` });
  assert.deepEqual((vs.obj.spec as any).hosts, ['whoami.bigbang.dev']);
  const deps = (find(ms, 'HelmRelease')[0].obj.spec as any).dependsOn;
  assert.deepEqual(
    deps.map((d: any) => d.name),
    ['monitoring', 'istio'],
  );
  // Istio off, monitoring on: only monitoring. Both off: no dependsOn at all.
  const off = await render(dir, ['istio.enabled=false', 'monitoring.enabled=true']);
  assert.deepEqual(
    (find(off, 'HelmRelease')[0].obj.spec as any).dependsOn.map((d: any) => d.name),
    ['monitoring'],
  );
  const none = await render(dir, ['istio.enabled=false']);
  assert.equal('dependsOn' in (find(none, 'HelmRelease')[0].obj.spec as any), false);
  // The passdown kept what the define already held.
  const values = readFileSync(join(dir, 'bigbang/templates/whoami/values.yaml'), 'utf8');
  assert.match(values, /networkPolicies:\n {2}enabled: \{\{ \.Values\.networkPolicies\.enabled \}\}\n/);
});

test('dashboard: two Services need --service, then one VirtualService each with its own values block', async () => {
  const dir = copyPackage(join(FIXTURES, 'dashboard'));
  const before = snapshot(dir);
  await assert.rejects(
    integratePackage(dir),
    (err: unknown) =>
      err instanceof UserError &&
      /2 Services/.test(err.message) &&
      /--service dashboard-dashboard-ui\b/.test(err.hint ?? '') &&
      /--service dashboard-dashboard-api\b/.test(err.hint ?? ''),
  );
  assert.deepEqual(snapshot(dir), before, 'nothing written on error');
  await assert.rejects(
    integratePackage(dir, { service: ['nope'] }),
    (err: unknown) => err instanceof UserError && /--service/.test(err.hint ?? ''),
  );
  await integratePackage(dir, { service: ['ui', 'api'] });
  const ms = await render(dir, ['istio.enabled=true']);
  const vss = find(ms, 'VirtualService');
  assert.deepEqual(
    vss.map((v) => v.name),
    ['dashboard-dashboard-ui', 'dashboard-dashboard-api'],
  );
  const d = (i: number) => (vss[i].obj.spec as any).http[0].route[0].destination;
  assert.deepEqual(d(0), { port: { number: 3000 }, host: 'dashboard-dashboard-ui.dashboard.svc.cluster.local' });
  assert.deepEqual(d(1), { port: { number: 8080 }, host: 'dashboard-dashboard-api.dashboard.svc.cluster.local' });
  assert.deepEqual(
    vss.map((v) => (v.obj.spec as any).hosts[0]),
    ['dashboard-ui.bigbang.dev', 'dashboard-api.bigbang.dev'],
  );
  assert.deepEqual(
    vss.map((v) => (v.obj.spec as any).gateways),
    [['istio-system/public'], ['istio-system/public']],
  );
  assert.equal(vss[0].obj.metadata!.labels!['app.kubernetes.io/instance'], 'dashboard-dashboard');
  // Only one VirtualService enabled: the other is not rendered.
  const one = await render(dir, ['istio.enabled=true', 'dashboard.values.istio.api.enabled=false']);
  assert.deepEqual(
    find(one, 'VirtualService').map((v) => v.name),
    ['dashboard-dashboard-ui'],
  );
  // Four-space file: the merged block uses four spaces and keeps the chart's own istio key.
  const values = readFileSync(join(dir, 'chart/values.yaml'), 'utf8');
  assert.match(values, /^istio:\n {4}# upstream flag, unrelated to Big Bang\n {4}sidecarResources: \{\}\n/m);
  assert.match(values, /^ {4}ui:\n {8}enabled: true\n {8}gateways:\n {8}- istio-system\/main\n/m);
  assert.equal(values.match(/^istio:/gm)!.length, 1);
  // A second run needs no --service: the keys come from the generated template.
  const again = await integratePackage(dir);
  assert.equal(again.alreadyIntegrated, true);
});

test('echo: no bigbang/ folder: the dev chart is scaffolded and renders right after', async () => {
  const dir = copyPackage(join(FIXTURES, 'echo'));
  const r = await integratePackage(dir);
  assert.equal(r.steps[0].status, 'done');
  assert.ok(r.steps[0].files.includes('bigbang/templates/echo/helmrelease.yaml'));
  assert.ok(r.files.some((f) => f.path === 'bigbang/templates/_helpers.tpl' && f.action === 'create'));
  const ms = await render(dir, ['istio.enabled=true']);
  const vs = find(ms, 'VirtualService')[0];
  assert.equal(vs.name, 'echo-echo-echo');
  assert.deepEqual(vs.obj.metadata!.labels, {
    'app.kubernetes.io/name': 'echo',
    'app.kubernetes.io/instance': 'echo-echo',
    'app.kubernetes.io/managed-by': 'Helm',
  });
  assert.deepEqual((vs.obj.spec as any).http[0].route[0].destination.port, { number: 5678 });
  assert.equal(find(ms, 'Namespace')[0].obj.metadata!.labels!['istio-injection'], 'enabled');
  assert.deepEqual((find(ms, 'HelmRelease')[0].obj.spec as any).dependsOn, [{ name: 'istio', namespace: 'bigbang' }]);
  const off = await render(dir, ['istio.enabled=false']);
  assert.equal(find(off, 'VirtualService').length, 0);
});
