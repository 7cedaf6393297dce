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

test('-o json follows schemas/integrate.schema.json; --dry-run writes nothing; --json and --format stay, with a note', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/integrate.schema.json'), 'utf8'));
  const dir = copyPackage(PODINFO);
  const r = bbmesh(['integrate', dir, '--dry-run', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
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
  assert.equal(out.renderChecked, true);
  const legacy = bbmesh(['integrate', dir, '--dry-run', '--format', 'json']);
  assert.equal(JSON.parse(legacy.stdout).dryRun, true);
  assert.match(legacy.stderr, /^bbmesh: --format is deprecated .*use -o\/--output\n$/);
  const disagree = bbmesh(['integrate', dir, '--json', '-o', 'text']);
  assert.equal(disagree.code, 2);
  assert.match(disagree.stderr, /-o text and --json disagree/);
  const json = bbmesh(['integrate', dir, '--json']);
  assert.equal(JSON.parse(json.stdout).written, true);
  assert.match(json.stderr, /^bbmesh: --json is deprecated and will be removed in the next release: use -o json\n$/);
});

test('-n is --namespace; Helm value flags reach the renders', () => {
  const dir = copyPackage(join(ROOT, 'test', 'fixtures', 'upstream', 'grafana'));
  const r = bbmesh(['integrate', dir, '--package', 'grafana', '-n', 'monitoring', '-o', 'json', '--dry-run']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).namespace, 'monitoring');
  const missing = join(dir, 'no-such-values.yaml');
  const f = bbmesh(['integrate', dir, '--package', 'grafana', '-f', missing]);
  assert.equal(f.code, 2);
  assert.equal(f.stderr, `bbmesh: values file not found: ${missing} (check the path)\n`);
  const set = bbmesh(['integrate', copyPackage(PODINFO), '--set', 'podinfo.git=oops']);
  assert.equal(set.code, 2);
  assert.match(set.stderr, /does not render with Istio on .* even before integrate; nothing written: .*podinfo\.git\.path/);
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
  assert.match(l.stderr, /argument 'bb9' is invalid\. Allowed choices are bb2, bb3/);
});
