// Big Bang 3.x names end to end: integrate --layout bb3 (bb-common routes, the library vendored), then
// check and trace with the bb3 platform (istiod, istio-gateway/public-ingressgateway, public-cert in istio-gateway).
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { integratePackage } from '../src/integrate/index.js';
import { checkPackage } from '../src/analysis/check.js';
import { tracePackage } from '../src/analysis/trace/run.js';
import { libraryTgz } from './bb3/helpers.js';
import { tempCopy } from './helpers/pkg.js';

test('bb3: an integrated package routes through bb-common, checks clean and traces through istio-gateway', async () => {
  const dir = tempCopy();
  mkdirSync(join(dir, 'chart', 'charts'));
  cpSync(libraryTgz(), join(dir, 'chart', 'charts', 'bb-common-0.1.0.tgz'));
  const r = await integratePackage(dir, { layout: 'bb3' });
  assert.equal(r.renderChecked, true);
  assert.equal(existsSync(join(dir, 'chart', 'templates', 'bigbang', 'virtualservice.yaml')), false, 'no hand-written VirtualService');
  const res = await checkPackage(dir, { layout: 'bb3' });
  assert.deepEqual(
    res.findings.map((f) => `${f.code} ${f.message}`),
    [],
  );
  const vs = res.render!.manifests.filter((m) => m.kind === 'VirtualService');
  assert.deepEqual(
    vs.map((m) => [m.name, m.origin.generated?.library]),
    [['podinfo', 'bb-common']],
  );
  const hr = res.render!.manifests.find((m) => m.kind === 'HelmRelease')!;
  assert.deepEqual(
    (hr.obj.spec as { dependsOn: { name: string }[] }).dependsOn.map((d) => d.name),
    ['istiod'],
  );
  const t = await tracePackage('https://podinfo.bigbang.dev/', dir, { layout: 'bb3' });
  assert.equal(t.verdict.ok, true, t.verdict.reason);
  const gw = t.hops.find((h) => h.kind === 'gateway-server')!;
  assert.match(gw.title, /Gateway istio-gateway\/public-ingressgateway/);
  assert.ok(t.hops.some((h) => h.kind === 'network-policy' && h.ok));
});

test('bb3: a bb2-integrated package is flagged under bb3 (wrong dependency and gateway)', async () => {
  const dir = tempCopy();
  await integratePackage(dir, { layout: 'bb2' });
  const res = await checkPackage(dir, { layout: 'bb3' });
  const codes = new Set(res.findings.map((f) => f.code));
  assert.ok(codes.has('BB006'), `BB006 expected (dependsOn istiod), got ${[...codes].join(', ')}`);
  assert.ok(codes.has('MESH001'), `MESH001 expected (istio-system/public does not exist in bb3), got ${[...codes].join(', ')}`);
});
