// A chart exposing two Services, integrated with one VirtualService each (one file, two
// `$pkg :=` blocks): check must resolve each block's own $pkg (no BB005 false alarm), and
// trace must serve both hosts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { integratePackage } from '../../src/integrate/index.js';
import { checkPackage } from '../../src/analysis/check.js';
import { loadMesh } from '../../src/sources/index.js';
import { traceRequest } from '../../src/analysis/trace/index.js';
import { ROOT, tempCopy } from '../helpers/pkg.js';

test('two exposed Services: clean check, both hosts served', async () => {
  const dir = tempCopy(join(ROOT, 'test/fixtures/packages/dashboard'));
  await integratePackage(dir, { service: ['api', 'ui'] });
  const res = await checkPackage(dir);
  assert.deepEqual(
    res.findings.map((f) => `${f.code} ${f.message}`),
    [],
  );
  const { model } = await loadMesh({ dir });
  const hosts = model.virtualServices.flatMap((vs) => vs.hosts);
  assert.equal(hosts.length, 2);
  for (const h of hosts) assert.equal(traceRequest(model, { url: `https://${h}/` }).verdict.ok, true, h);
});
