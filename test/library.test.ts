// The library entry point (what `import ... from 'bbmesh'` gives, built in dist/) offers the
// same operations as the CLI.
import { RULE_CODES } from '../src/analysis/rules/codes.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXAMPLE, tempCopy } from './helpers/pkg.js';

test('the built entry point renders, integrates, checks and traces', async () => {
  // Loaded by URL so that type checking does not need a build first.
  const lib: any = await import(new URL('../dist/index.js', import.meta.url).href);
  for (const name of [
    'renderPackage',
    'integratePackage',
    'checkPackage',
    'checkManifests',
    'tracePackage',
    'traceManifests',
    'verifySnapshot',
    'verifyCluster',
    'buildModel',
    'loadManifests',
    'RULES',
  ]) {
    assert.ok(name in lib, `exports ${name}`);
  }
  const r = await lib.renderPackage(EXAMPLE);
  assert.equal(r.releases[0].releaseName, 'podinfo-podinfo');
  const dir = tempCopy();
  const integ = await lib.integratePackage(dir);
  assert.equal(integ.steps.filter((s: any) => s.status === 'done').length, 6);
  const res = await lib.checkPackage(dir);
  assert.equal(res.findings.length, 0);
  const t = await lib.tracePackage('https://podinfo.bigbang.dev/', dir);
  assert.equal(t.verdict.ok, true);
  // One rule per catalogue code, none without a code.
  assert.deepEqual(lib.RULES.map((r: { meta: { code: string } }) => r.meta.code).sort(), [...RULE_CODES].sort());
});
