// The bb-common dependency in chart/Chart.yaml, edited byte for byte whatever shape `dependencies` has,
// and the library version integrate picks: --bb-common-version, else the newest vendored copy.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { declaredLibrary, newest, vendoredLibrary, withDependency } from '../../src/integrate/bb-common.js';
import { integratePackage } from '../../src/integrate/index.js';
import { Workspace } from '../../src/integrate/workspace.js';
import { libraryTgz } from '../bb3/helpers.js';
import { copyPackage, ROOT } from './helpers.js';

const REPO = 'oci://registry1.dso.mil/bigbang';
const ENTRY = { name: 'bb-common', version: '0.12.0', repository: REPO };
const HEAD = 'apiVersion: v2\nname: demo # the chart\nversion: 1.0.0\n';

function edited(text: string, setVersion = false): string {
  const r = withDependency(text, '0.12.0', REPO, setVersion);
  assert.ok('text' in r, JSON.stringify(r));
  return r.text;
}

test('no dependencies: appended after every byte of the file (even without a last line break, or with CRLF)', () => {
  const out = edited(HEAD);
  assert.equal(out, `${HEAD}dependencies:\n  - name: bb-common\n    version: "0.12.0"\n    repository: ${REPO}\n`);
  assert.equal(edited(HEAD.trimEnd()), out);
  const crlf = edited(HEAD.replace(/\n/g, '\r\n'));
  assert.equal(crlf, out.replace(/\n/g, '\r\n'));
});

test('existing dependencies, block or flow, indented or not: one more entry in the same style', () => {
  const indentless = `${HEAD}dependencies:\n- name: upstream\n  version: 1.2.3\n  repository: https://charts.example.com\n# trailing\n`;
  const a = edited(indentless);
  assert.equal(a, indentless.replace('# trailing', `- name: bb-common\n  version: "0.12.0"\n  repository: ${REPO}\n# trailing`));
  const indented = `${HEAD}dependencies:\n    - name: gluon\n      version: 0.5.0\n      repository: ${REPO}\nannotations: {}\n`;
  const b = edited(indented);
  assert.ok(
    b.endsWith(`      repository: ${REPO}\n    - name: bb-common\n      version: "0.12.0"\n      repository: ${REPO}\nannotations: {}\n`),
  );
  const flow = `${HEAD}dependencies: [{name: gluon, version: 0.5.0, repository: ${REPO}}]\n`;
  assert.deepEqual(parse(edited(flow)).dependencies[1], ENTRY);
  for (const empty of ['dependencies: []', 'dependencies:', 'dependencies: ~  # none yet']) {
    const out = edited(`${HEAD}${empty}\nannotations: {}\n`);
    assert.deepEqual(parse(out).dependencies, [ENTRY], empty);
    assert.ok(out.startsWith(HEAD) && out.endsWith('annotations: {}\n'), empty);
  }
});

test('already there: left as is, or its version set (quotes kept) with --bb-common-version', () => {
  const text = `${HEAD}dependencies:\n  - name: bb-common\n    version: '0.1.0'\n    repository: ${REPO}\n`;
  assert.equal(edited(text), text);
  assert.equal(edited(text, true), text.replace("'0.1.0'", "'0.12.0'"));
  assert.deepEqual(declaredLibrary(text), { version: '0.1.0', repository: REPO });
});

test('what cannot be edited says why: apiVersion v1 (requirements.yaml), dependencies that are not a list, bad YAML', () => {
  const err = (t: string) => {
    const r = withDependency(t, '0.12.0', REPO, false);
    return 'error' in r ? r.error : undefined;
  };
  assert.match(err('apiVersion: v1\nname: old\nversion: 1.0.0\n') ?? '', /requirements\.yaml/);
  assert.match(err(`${HEAD}dependencies: bb-common\n`) ?? '', /cannot edit/);
  assert.match(err('name: [\n') ?? '', /does not parse/);
});

test('the version: the newest vendored copy (archives and an unpacked chart); a named one that differs is noted', async () => {
  const dir = copyPackage(join(ROOT, 'test', 'fixtures', 'upstream', 'podinfo'));
  const charts = join(dir, 'chart', 'charts');
  mkdirSync(join(charts, 'bb-common'), { recursive: true });
  for (const f of ['bb-common-0.9.1.tgz', 'bb-common-0.10.0.tgz', 'other-2.0.0.tgz']) writeFileSync(join(charts, f), '');
  writeFileSync(join(charts, 'bb-common', 'Chart.yaml'), 'apiVersion: v2\nname: bb-common\nversion: 0.3.0\n');
  const ws = new Workspace(dir);
  assert.deepEqual(
    vendoredLibrary(ws)
      .map((v) => v.version)
      .sort(),
    ['0.10.0', '0.3.0', '0.9.1'],
  );
  assert.equal(newest(vendoredLibrary(ws))?.version, '0.10.0');

  const pkg = copyPackage(join(ROOT, 'test', 'fixtures', 'upstream', 'podinfo'));
  mkdirSync(join(pkg, 'chart', 'charts'));
  cpSync(libraryTgz(), join(pkg, 'chart', 'charts', 'bb-common-0.1.0.tgz'));
  const r = await integratePackage(pkg, { layout: 'bb3', dryRun: true, bbCommonVersion: '0.12.0' });
  assert.match(r.diff, /^\+ {4}version: "0\.12\.0"$/m);
  assert.equal(r.renderChecked, true);
  const note = r.notes.find((n) => n.startsWith('chart/charts/ vendors bb-common 0.1.0, chart/Chart.yaml asks for 0.12.0'));
  assert.match(note ?? '', /run `helm dependency update chart\/` in .*; the result was rendered with the vendored copy$/);
});
