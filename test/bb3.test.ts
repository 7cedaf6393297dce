// Big Bang 3.x names end to end: integrate --layout bb3, then check and trace with the bb3
// platform (istiod, istio-gateway/public-ingressgateway, public-cert in istio-gateway).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { integratePackage } from '../src/integrate/index.js';
import { checkPackage } from '../src/analysis/check.js';
import { tracePackage } from '../src/analysis/trace/run.js';
import { tempCopy } from './helpers/pkg.js';

test('bb3: an integrated package checks clean and traces through istio-gateway', async () => {
  const dir = tempCopy();
  await integratePackage(dir, { layout: 'bb3' });
  const res = await checkPackage(dir, { layout: 'bb3' });
  assert.deepEqual(
    res.findings.map((f) => `${f.code} ${f.message}`),
    [],
  );
  const hr = res.render!.manifests.find((m) => m.kind === 'HelmRelease')!;
  assert.deepEqual(
    (hr.obj.spec as any).dependsOn.map((d: any) => d.name),
    ['istiod'],
  );
  const t = await tracePackage('https://podinfo.bigbang.dev/', dir, { layout: 'bb3' });
  assert.equal(t.verdict.ok, true, t.verdict.reason);
  const gw = t.hops.find((h) => h.kind === 'gateway-server')!;
  assert.match(gw.title, /Gateway istio-gateway\/public-ingressgateway/);
});

test('bb3: a bb2-integrated package is flagged under bb3 (wrong dependency and gateway)', async () => {
  const dir = tempCopy();
  await integratePackage(dir, { layout: 'bb2' });
  const res = await checkPackage(dir, { layout: 'bb3' });
  const codes = new Set(res.findings.map((f) => f.code));
  assert.ok(codes.has('BB006'), `BB006 expected (dependsOn istiod), got ${[...codes].join(', ')}`);
  assert.ok(codes.has('MESH001'), `MESH001 expected (istio-system/public does not exist in bb3), got ${[...codes].join(', ')}`);
});
