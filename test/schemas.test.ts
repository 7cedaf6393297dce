// Every `--format json` output validates against its published schema (a real JSON Schema
// validator, draft 2020-12), on passing and failing cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { cli, EXAMPLE, ROOT, tempCopy, edit } from './helpers/pkg.js';

const ajv = new (Ajv2020 as any)({ allErrors: true, strict: false });

const compiled = new Map<string, any>();

function validate(name: string, out: string): any {
  let check = compiled.get(name);
  if (!check) {
    check = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', `${name}.schema.json`), 'utf8')));
    compiled.set(name, check);
  }
  const data = JSON.parse(out);
  const ok = check(data);
  const errors = check.errors;
  assert.ok(ok, `${name}: ${ajv.errorsText(errors, { separator: '\n' })}`);
  return data;
}

test('render -o json follows schemas/render.schema.json', () => {
  const r = cli(['render', EXAMPLE, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const j = validate('render', r.stdout);
  assert.equal(j.releases[0].chart, 'examples/podinfo/chart');
});

test('integrate --json follows schemas/integrate.schema.json (dry run and real)', () => {
  const dir = tempCopy();
  validate('integrate', cli(['integrate', dir, '--dry-run', '--json']).stdout);
  validate('integrate', cli(['integrate', dir, '--json']).stdout);
});

test('check --format json follows schemas/check.schema.json, with and without findings', () => {
  const before = cli(['check', EXAMPLE, '--format', 'json']);
  assert.equal(before.code, 1);
  assert.ok(validate('check', before.stdout).findings.length > 0);
  const dir = tempCopy();
  cli(['integrate', dir]);
  const after = cli(['check', dir, '--format', 'json']);
  assert.equal(after.code, 0, after.stdout);
  assert.equal(validate('check', after.stdout).findings.length, 0);
});

test('trace --format json follows schemas/trace.schema.json, success and failure', () => {
  const dir = tempCopy();
  cli(['integrate', dir]);
  validate('trace', cli(['trace', 'http://podinfo.bigbang.dev/', dir, '--format', 'json']).stdout);
  edit(join(dir, 'chart/templates/bigbang/virtualservice.yaml'), 'number: {{ .Values.service.externalPort }}', 'number: 8080');
  const bad = cli(['trace', 'https://podinfo.bigbang.dev/', dir, '--format', 'json']);
  assert.equal(bad.code, 1);
  assert.equal(validate('trace', bad.stdout).verdict.code, 'MESH004');
});

test('verify --format json follows schemas/verify.schema.json', () => {
  for (const snap of ['snapshot-bb2.yaml', 'snapshot-broken.yaml']) {
    const r = cli(['verify', '--package', 'podinfo', '--snapshot', join(ROOT, 'test/live/fixtures', snap), '--format', 'json']);
    validate('verify', r.stdout);
  }
});
