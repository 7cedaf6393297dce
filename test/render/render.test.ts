import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { renderPackage } from '../../src/sources/render/index.js';
import { fluxReleaseName } from '../../src/sources/render/releases.js';
import { locate } from '../../src/manifest/locate.js';
import { tempCopy, edit, cli, EXAMPLE } from '../helpers/pkg.js';

const find = (ms: any[], kind: string, stage?: string) => ms.filter((m) => m.kind === kind && (!stage || m.origin.stage === stage));

function uiColor(r: Awaited<ReturnType<typeof renderPackage>>): string {
  const dep = find(r.manifests, 'Deployment', 'package')[0];
  const env = (dep.obj as any).spec.template.spec.containers[0].env;
  return env.find((e: any) => e.name === 'PODINFO_UI_COLOR').value;
}

test('renders both stages of examples/podinfo with Flux names and namespaces', async () => {
  const r = await renderPackage(EXAMPLE);
  assert.equal(r.packageName, 'podinfo');
  assert.deepEqual(
    r.releases.map((x) => [x.releaseName, x.namespace]),
    [['podinfo-podinfo', 'podinfo']],
  );
  const hr = find(r.manifests, 'HelmRelease', 'bigbang')[0];
  assert.equal(hr.namespace, 'bigbang');
  const svc = find(r.manifests, 'Service', 'package')[0];
  assert.equal(svc.name, 'podinfo-podinfo');
  // namespace-less chart objects get the release namespace, in the data and in the printed text
  assert.equal(svc.namespace, 'podinfo');
  assert.match(r.text, /kind: Service\nmetadata:\n {2}namespace: podinfo\n {2}name: podinfo-podinfo/);
  assert.equal(svc.origin.template, 'podinfo/templates/service.yaml');
  assert.equal(svc.origin.release, 'podinfo-podinfo');
  // positions refer to the printed stream
  const loc = locate(svc, ['spec', 'ports', 0, 'port'])!;
  assert.equal(r.text.split('\n')[loc.line - 1].trim(), '- port: 9898');
});

test('stage-2 values: overlays > defaults > common > chart defaults', async () => {
  const dir = tempCopy();
  edit(join(dir, 'chart/values.yaml'), 'color: "#34577c"', 'color: from-chart');
  edit(join(dir, 'bigbang/templates/_helpers.tpl'), '  common: |\n', '  common: |\n    ui:\n      color: from-common\n');
  edit(join(dir, 'bigbang/templates/podinfo/values.yaml'), 'imagePullSecrets:', 'ui:\n  color: from-defaults\nimagePullSecrets:');
  const overlay = ['podinfo.values.ui.color=from-overlays'];
  assert.equal(uiColor(await renderPackage(dir, { set: overlay })), 'from-overlays');
  assert.equal(uiColor(await renderPackage(dir)), 'from-defaults');
  edit(join(dir, 'bigbang/templates/podinfo/values.yaml'), 'ui:\n  color: from-defaults\n', '');
  assert.equal(uiColor(await renderPackage(dir)), 'from-common');
  edit(join(dir, 'bigbang/templates/_helpers.tpl'), '    ui:\n      color: from-common\n', '');
  assert.equal(uiColor(await renderPackage(dir)), 'from-chart');
});

test('spec.values win over valuesFrom, and targetPath sets one key', async () => {
  const dir = tempCopy();
  edit(
    join(dir, 'bigbang/templates/podinfo/helmrelease.yaml'),
    '  valuesFrom:\n',
    '  values:\n    ui:\n      color: from-spec-values\n  valuesFrom:\n',
  );
  assert.equal(uiColor(await renderPackage(dir, { set: ['podinfo.values.ui.color=from-overlays'] })), 'from-spec-values');
  const dir2 = tempCopy();
  edit(
    join(dir2, 'bigbang/templates/podinfo/helmrelease.yaml'),
    '      valuesKey: "overlays"\n',
    '      valuesKey: "overlays"\n    - name: {{ .Release.Name }}-podinfo-values\n      kind: Secret\n      valuesKey: "color"\n      targetPath: ui.color\n',
  );
  edit(join(dir2, 'bigbang/templates/_helpers.tpl'), '  common: |\n', '  color: from-target-path\n  common: |\n');
  assert.equal(uiColor(await renderPackage(dir2)), 'from-target-path');
});

test('release name and namespace rules, including the 53-character rule', async () => {
  assert.equal(fluxReleaseName({ name: 'podinfo', targetNamespace: 'podinfo' }), 'podinfo-podinfo');
  assert.equal(fluxReleaseName({ name: 'podinfo' }), 'podinfo');
  assert.equal(fluxReleaseName({ name: 'podinfo', targetNamespace: 'x', releaseName: 'custom' }), 'custom');
  // 61 characters: first 40, '-', first 12 hex of sha256 of the full name (computed with sha256sum)
  const long = fluxReleaseName({ name: 'a-really-long-helmrelease-name', targetNamespace: 'a-very-long-target-namespace-name' });
  assert.equal(long, 'a-very-long-target-namespace-name-a-real-942e9803b731');
  assert.equal(long.length, 53);

  const dir = tempCopy();
  edit(
    join(dir, 'bigbang/templates/podinfo/helmrelease.yaml'),
    'targetNamespace: podinfo',
    'targetNamespace: a-very-long-target-namespace-name',
  );
  edit(
    join(dir, 'bigbang/templates/podinfo/helmrelease.yaml'),
    /metadata:\n {2}name: podinfo/,
    'metadata:\n  name: a-really-long-helmrelease-name',
  );
  const r = await renderPackage(dir);
  assert.equal(r.releases[0].releaseName, 'a-very-long-target-namespace-name-a-real-942e9803b731');
  const svc = find(r.manifests, 'Service', 'package')[0];
  assert.equal(svc.namespace, 'a-very-long-target-namespace-name');
  assert.equal(svc.name, 'a-very-long-target-namespace-name-a-real-942e9803b731-podinfo');

  const dir2 = tempCopy();
  edit(join(dir2, 'bigbang/templates/podinfo/helmrelease.yaml'), '  targetNamespace: podinfo\n', '');
  const r2 = await renderPackage(dir2);
  assert.deepEqual([r2.releases[0].releaseName, r2.releases[0].namespace], ['podinfo', 'bigbang']);
});

test('bad input: each error names the file and the fix, exits 2, no stack trace', () => {
  const noBigbang = tempCopy();
  rmSync(join(noBigbang, 'bigbang'), { recursive: true });
  const noChart = tempCopy();
  rmSync(join(noChart, 'chart'), { recursive: true });
  const badTpl = tempCopy();
  edit(
    join(badTpl, 'chart/templates/service.yaml'),
    'type: {{ .Values.service.type }}',
    'type: {{ required "service.type is needed" .Values.nope }}',
  );
  const noSecret = tempCopy();
  edit(
    join(noSecret, 'bigbang/templates/podinfo/helmrelease.yaml'),
    /name: \{\{ \.Release\.Name \}\}-podinfo-values\n {6}kind: Secret\n {6}valuesKey: "common"/,
    'name: missing-values\n      kind: Secret\n      valuesKey: "common"',
  );
  const badValues = tempCopy();
  writeFileSync(join(badValues, 'extra.yaml'), 'podinfo:\n  values:\n    a: b: c\n');

  const cases: Array<[string[], RegExp]> = [
    [['render', noBigbang], /bigbang\/ dev chart not found: .*\/bigbang \(run `bbmesh integrate` to scaffold it/],
    [['render', noChart], /chart\/ directory not found/],
    [['render', badTpl], /chart\/templates\/service\.yaml:\d+:\d+: helm template failed: .*service\.type is needed/],
    [['render', noSecret], /Secret bigbang\/missing-values referenced by HelmRelease bigbang\/podinfo valuesFrom\[0\].*is not rendered/],
    [['render', badValues, '-f', join(badValues, 'extra.yaml')], /extra\.yaml:3:\d+: malformed YAML/],
    [['render', EXAMPLE, '--set', 'novalue'], /--set novalue: expected KEY=VALUE/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.equal(r.code, 2, `${args.join(' ')} -> ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(r.stdout, '');
  }
});

test("render -o json keeps each object's stage, chart and template", () => {
  const r = cli(['render', EXAMPLE, '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.releases[0].releaseName, 'podinfo-podinfo');
  const svc = j.objects.find((o: any) => o.object.kind === 'Service');
  assert.deepEqual([svc.source.stage, svc.source.template], ['package', 'podinfo/templates/service.yaml']);
  const ns = j.objects.find((o: any) => o.object.kind === 'Namespace');
  assert.equal(ns.source.stage, 'bigbang');
});

test('credentials in rendered Secrets are redacted line for line unless --show-secrets', () => {
  const args = ['render', EXAMPLE, '--set', 'registryCredentials.username=robot', '--set', 'registryCredentials.password=s3cr3t-pat'];
  const r = cli(args);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /kind: Secret\n[\s\S]*?type: kubernetes.io\/dockerconfigjson\ndata:\n {2}\.dockerconfigjson: "<redacted by bbmesh; --show-secrets prints it>"/,
  );
  const b64 = Buffer.from('robot:s3cr3t-pat').toString('base64');
  assert.doesNotMatch(r.stdout, /s3cr3t-pat/);
  assert.ok(!r.stdout.includes(b64), 'no base64 of the credentials');
  const shown = cli([...args, '--show-secrets']);
  assert.equal(shown.stdout.split('\n').length, r.stdout.split('\n').length, 'positions unchanged');
  const enc = /\.dockerconfigjson: (\S+)/.exec(shown.stdout)![1];
  assert.match(Buffer.from(enc, 'base64').toString('utf8'), /"auths"/);
  // the values Secret Flux reads stays readable: it is what a maintainer renders to see
  assert.match(r.stdout, /name: bigbang-podinfo-podinfo-values[\s\S]*?defaults:/);
});
