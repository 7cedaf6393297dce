// `bbmesh integrate` on the command line: text and JSON output, exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bbmesh, copyPackage, FIXTURES, PODINFO, ROOT } from './helpers.js';

test('text output: one line per step, then "already integrated" on the second run', () => {
  const dir = copyPackage(PODINFO);
  const r = bbmesh(['integrate', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^✓ 1 sidecar injection +done {2}bigbang\/templates\/podinfo\/namespace\.yaml$/m);
  assert.match(r.stdout, /^✓ 6 ordering +done {2}bigbang\/templates\/podinfo\/helmrelease\.yaml$/m);
  const again = bbmesh(['integrate', dir]);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /already integrated/);
});

test('--json follows schemas/integrate.schema.json; --dry-run --format json writes nothing', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/integrate.schema.json'), 'utf8'));
  const dir = copyPackage(PODINFO);
  const r = bbmesh(['integrate', dir, '--dry-run', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out).sort(), [...schema.required].sort());
  assert.equal(out.schemaVersion, 1);
  assert.equal(out.dryRun, true);
  assert.equal(out.written, false);
  for (const s of out.steps) {
    assert.ok(Object.keys(s).every((k) => k in schema.properties.steps.items.properties));
    assert.ok(['done', 'present', 'skipped'].includes(s.status));
  }
  assert.match(out.diff, /virtualservice\.yaml/);
  assert.equal(JSON.parse(bbmesh(['integrate', dir, '--json']).stdout).written, true);
});

test('bad input exits 2 with the flag to pass', () => {
  const dir = copyPackage(join(FIXTURES, 'dashboard'));
  const r = bbmesh(['integrate', dir]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /^bbmesh: the chart renders 2 Services: dashboard-dashboard-api .*\(pass --service for each one to expose, e\.g\. --service dashboard-dashboard-api --service dashboard-dashboard-ui\)\n$/,
  );
  const l = bbmesh(['integrate', dir, '--layout', 'bb9']);
  assert.equal(l.code, 2);
  assert.match(l.stderr, /--layout bb2/);
});
