// One package through the umbrella: the real umbrella chart is stage 1, only the package's
// HelmRelease gets stage 2 (with the local chart/), the other packages' objects are context.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPackage } from '../../src/analysis/check.js';
import { UserError } from '../../src/core/errors.js';
import type { Manifest } from '../../src/manifest/types.js';
import { loadMesh } from '../../src/sources/index.js';
import { renderPackage } from '../../src/sources/render/index.js';
import { kubeMinimum, umbrellaLayout } from '../../src/sources/umbrella/index.js';
import { git } from '../sources/flux/fixtures.js';
import { tempDir } from '../helpers/pkg.js';
import { packageCopy, UMBRELLA } from './fixtures.js';

const CHART = join(UMBRELLA, 'chart');
const through = (dir: string, extra: Record<string, unknown> = {}) => renderPackage(dir, { umbrella: { dir: UMBRELLA }, ...extra });
const id = (m: Manifest) => `${m.kind} ${m.namespace}/${m.name}`;

test('a package with chart/ only renders through the umbrella with nothing but --umbrella', async () => {
  const dir = packageCopy(tempDir(), 'podinfo');
  const r = await through(dir);
  assert.equal(
    r.umbrella?.description,
    'read: umbrella 3.1.0 at test/fixtures/umbrella/bigbang/chart, layout bb3, domain dev.bigbang.mil, gateways public,passthrough, ' +
      'kubeVersion 1.33.0 (the chart asks >=1.32.0-0), package podinfo (values podinfo, found by chart name podinfo)',
  );
  assert.equal(r.packageName, 'podinfo');
  assert.deepEqual(
    r.releases.map((x) => [x.releaseName, x.namespace, x.chartDir]),
    [['podinfo-podinfo', 'podinfo', join(dir, 'chart')]],
  );
  const byStage = (s: string) => r.manifests.filter((m) => m.origin.stage === s).map(id);
  // the package's Namespace, HelmRelease, GitRepository and values Secret are its own; stage 2 only for podinfo
  assert.deepEqual(byStage('bigbang').sort(), [
    'GitRepository bigbang/podinfo',
    'HelmRelease bigbang/podinfo',
    'Namespace /podinfo',
    'Secret bigbang/bigbang-podinfo-values',
  ]);
  assert.deepEqual(byStage('package').sort(), [
    'Deployment podinfo/podinfo-podinfo',
    'Service podinfo/podinfo-podinfo',
    'VirtualService podinfo/podinfo-podinfo',
  ]);
  const context = byStage('context');
  for (const o of ['HelmRelease bigbang/dashboard', 'HelmRelease bigbang/public-ingressgateway', 'Namespace /istio-gateway']) {
    assert.ok(context.includes(o), `${o} is context`);
  }
  // values passed down from the umbrella's own values.yaml: the 3.x gateway and domain
  const vs = r.manifests.find((m) => m.kind === 'VirtualService')!;
  assert.deepEqual(vs.obj.spec, {
    gateways: ['istio-gateway/public-ingressgateway'],
    hosts: ['podinfo.dev.bigbang.mil'],
    http: [{ route: [{ destination: { host: 'podinfo-podinfo.podinfo.svc.cluster.local', port: { number: 9898 } } }] }],
  });
  // stage-1 objects point at the umbrella's templates, stage-2 at the package chart
  assert.equal(r.manifests.find((m) => m.kind === 'HelmRelease' && m.name === 'podinfo')?.origin.chartDir, CHART);
  assert.equal(vs.origin.chartDir, join(dir, 'chart'));
  assert.match(
    r.text,
    /# Stage: context \(release bigbang, namespace bigbang\)\n# Source: bigbang\/templates\/dashboard\/helmrelease.yaml/,
  );
});

/** The same files as a dev chart: the umbrella's helpers and templates/podinfo/ under bigbang/. */
function devLayoutOf(root: string): string {
  const dir = packageCopy(root, 'podinfo', 'podinfo-dev');
  mkdirSync(join(dir, 'bigbang', 'templates'), { recursive: true });
  writeFileSync(join(dir, 'bigbang', 'Chart.yaml'), 'apiVersion: v2\nname: bigbang-podinfo\nversion: 3.1.0\n');
  writeFileSync(join(dir, 'bigbang', 'values.yaml'), 'podinfo:\n  enabled: true\n');
  cpSync(join(CHART, 'templates', '_helpers.tpl'), join(dir, 'bigbang', 'templates', '_helpers.tpl'));
  cpSync(join(CHART, 'templates', 'podinfo'), join(dir, 'bigbang', 'templates', 'podinfo'), { recursive: true });
  return dir;
}

test('one package through the umbrella equals the dev-layout render of the same files', async () => {
  const root = tempDir();
  const umbrellaMode = await through(packageCopy(root, 'podinfo'));
  const dev = await renderPackage(devLayoutOf(root), { umbrellaValues: [join(CHART, 'values.yaml')], kubeVersion: '1.32.0' });
  const stage2 = (r: typeof dev) => r.manifests.filter((m) => m.origin.stage === 'package');
  assert.deepEqual(
    stage2(umbrellaMode).map((m) => m.obj),
    stage2(dev).map((m) => m.obj),
  );
  assert.deepEqual(umbrellaMode.releases[0].values, dev.releases[0].values);
  // stage 1: the same objects of the package; only the release name in the values Secret's name differs
  const own = (r: typeof dev) =>
    r.manifests
      .filter((m) => m.origin.stage === 'bigbang')
      .map((m) =>
        JSON.stringify(m.obj)
          .replaceAll('bigbang-podinfo-podinfo', 'RELEASE-podinfo')
          .replaceAll('bigbang-podinfo-values', 'RELEASE-podinfo-values'),
      )
      .map((s) => s.replace(/"(app\.kubernetes\.io\/instance|helm\.sh\/chart)":"[^"]+"/g, '"$1":"X"'))
      .sort();
  assert.deepEqual(own(umbrellaMode), own(dev));
});

test('findings are only on the package: the umbrella HelmRelease of another package lacking dependsOn istiod is context', async () => {
  const dir = packageCopy(tempDir(), 'podinfo');
  const r = await checkPackage(dir, { render: { umbrella: { dir: UMBRELLA } } });
  assert.equal(r.layout, 'bb3');
  const own = new Set(
    r
      .render!.manifests.filter((m) => m.origin.stage === 'bigbang' || m.origin.stage === 'package')
      .map((m) => `${m.kind}/${m.namespace}/${m.name}`),
  );
  for (const f of r.findings)
    assert.ok(own.has(`${f.object.kind}/${f.object.namespace}/${f.object.name}`), `${f.code} on ${f.object.name}`);
  assert.ok(!r.findings.some((f) => f.code === 'BB006'), 'dashboard is not the package checked');
  assert.ok((r.summary.contextObjects ?? 0) >= 10);
  // the same umbrella checked as a whole deployment does report the dashboard's missing dependsOn (deployment.test.ts)
});

test('the package key: from the chart name, the repository URL of <pkg>.git.repo, or --package; a disabled addon is enabled and said so', async () => {
  const root = tempDir();
  // chart renamed and directory renamed: only the git remote tells
  const dir = packageCopy(root, 'podinfo', 'checkout');
  const chartYaml = join(dir, 'chart', 'Chart.yaml');
  writeFileSync(chartYaml, readFileSync(chartYaml, 'utf8').replace('name: podinfo', 'name: podinfo-chart'));
  git(dir, 'init', '-q');
  git(dir, 'remote', 'add', 'origin', 'git@repo1.dso.mil:big-bang/product/packages/podinfo.git');
  const byUrl = await through(dir);
  assert.equal(byUrl.umbrella?.package?.foundBy, 'repository URL https://repo1.dso.mil/big-bang/product/packages/podinfo.git');
  assert.equal(byUrl.packageName, 'podinfo');

  const whoami = await through(packageCopy(root, 'whoami'));
  assert.deepEqual(whoami.umbrella?.package, {
    key: 'whoami',
    valuesPath: 'addons.whoami',
    foundBy: 'chart name whoami',
    enabledForRender: true,
  });
  assert.deepEqual(whoami.umbrella?.notes, [
    'whoami is off in the umbrella values: enabled for this render (--set addons.whoami.enabled=true)',
  ]);
  assert.equal(whoami.releases[0].releaseName, 'whoami-whoami');

  const explicit = await through(packageCopy(root, 'podinfo', 'other'), { packageName: 'addons.whoami' });
  assert.equal(explicit.packageName, 'whoami');
  await assert.rejects(through(dir, { umbrella: { dir: UMBRELLA, package: 'nope' } }), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.match(
      e.format(),
      /package "nope" is not in the umbrella's values \(neither nope nor addons\.nope\) \(pass --package with .*podinfo/,
    );
    return true;
  });
});

test('a bigbang/ in the package is overlaid on the umbrella template folder, and its lines are the user files', async () => {
  const dir = packageCopy(tempDir(), 'podinfo');
  cpSync(join(CHART, 'templates', 'podinfo'), join(dir, 'bigbang', 'templates', 'podinfo'), { recursive: true });
  const ns = join(dir, 'bigbang', 'templates', 'podinfo', 'namespace.yaml');
  writeFileSync(
    ns,
    readFileSync(ns, 'utf8').replace('    app.kubernetes.io/name: podinfo', '    app.kubernetes.io/name: podinfo\n    trial: "yes"'),
  );
  const r = await through(dir);
  const nsObj = r.manifests.find((m) => m.kind === 'Namespace' && m.name === 'podinfo')!;
  assert.equal(nsObj.obj.metadata?.labels?.trial, 'yes');
  assert.equal(nsObj.origin.chartDir, join(dir, 'bigbang'), 'positions name the overlaid file');
  assert.equal(r.manifests.find((m) => m.kind === 'HelmRelease' && m.name === 'dashboard')?.origin.chartDir, CHART);
  assert.deepEqual(r.umbrella?.notes, ["bigbang/templates/{podinfo}/ overlaid on the umbrella's templates"]);
  // a template error in the overlay names the user's file, not the private copy
  writeFileSync(join(dir, 'bigbang', 'templates', 'podinfo', 'broken.yaml'), '{{ fail "overlay is broken" }}\n');
  await assert.rejects(through(dir), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.equal(e.file, join(dir, 'bigbang', 'templates', 'podinfo', 'broken.yaml'));
    return true;
  });
});

test('explicit options win over what the umbrella says, and a too-low --kube-version names the flag', async () => {
  const dir = packageCopy(tempDir(), 'podinfo');
  const r = await renderPackage(dir, { umbrella: { dir: join(UMBRELLA, 'chart'), layout: 'bb2' }, kubeVersion: '1.33.1' });
  assert.match(r.umbrella!.description, /layout bb2 \(given; the umbrella reads as bb3\), .* kubeVersion 1\.33\.1 \(given\)/);
  await assert.rejects(renderPackage(dir, { umbrella: { dir: UMBRELLA }, kubeVersion: '1.31.0' }), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.match(e.format(), /requires kubeVersion >=1\.32\.0-0; it was rendered for Kubernetes 1\.31\.0 \(pass --kube-version/);
    return true;
  });
  await assert.rejects(renderPackage(dir, { umbrella: { dir } }), /chart\/Chart.yaml is the chart podinfo, not the Big Bang umbrella/);
  await assert.rejects(
    renderPackage(dir, { umbrella: { dir: join(dir, 'chart', 'templates') } }),
    /no Big Bang umbrella chart in .*: neither/,
  );
});

test('the layout from the chart version and the Istio keys; the Kubernetes version from kubeVersion', () => {
  assert.equal(umbrellaLayout('3.0.0', {}), 'bb3');
  assert.equal(umbrellaLayout('2.40.0', { istio: { enabled: true }, istiod: { enabled: false } }), 'bb2');
  assert.equal(umbrellaLayout('2.51.0', { istio: { enabled: false }, istiod: { enabled: true } }), 'bb3');
  assert.equal(umbrellaLayout('1.57.1', { istio: { enabled: true } }), 'bb2');
  assert.equal(kubeMinimum('>=1.32.0-0'), '1.32.0');
  assert.equal(kubeMinimum('^1.29.0-0 || ^1.30.0'), '1.29.0');
  assert.equal(kubeMinimum('>= v1.28'), '1.28.0');
  assert.equal(kubeMinimum(undefined), undefined);
});

test('trace and diagram load the package through the umbrella: context objects are in the model', async () => {
  const dir = packageCopy(tempDir(), 'podinfo');
  const mesh = await loadMesh({ dir }, { render: { umbrella: { dir: UMBRELLA } } });
  assert.equal(mesh.layout.name, 'bb3');
  assert.equal(mesh.platform?.domain, 'dev.bigbang.mil');
  assert.ok(mesh.model.helmReleases.some((h) => h.name === 'dashboard' && h.m.origin.stage === 'context'));
  const gw = mesh.model.gateways.get('istio-gateway/public-ingressgateway');
  assert.equal(gw?.m.origin.stage, 'platform', 'gateways not rendered here come from the assumed platform');
});

test('a 2.x umbrella (Istio operator and controlplane) reads as bb2: its gateways, domain and Kubernetes version', async () => {
  const dir = packageCopy(tempDir(), 'podinfo');
  const umbrella = join(UMBRELLA, '..', 'bigbang-2x');
  const r = await checkPackage(dir, { render: { umbrella: { dir: umbrella } } });
  assert.equal(r.layout, 'bb2');
  const read = r.render!.umbrella!;
  assert.match(
    read.description,
    /umbrella 2\.40\.0 at .*, layout bb2, domain bigbang\.dev, gateways public, kubeVersion 1\.33\.0 \(the chart asks >=1\.26\.0-0\), package podinfo/,
  );
  assert.deepEqual(read.notes, ['podinfo is off in the umbrella values: enabled for this render (--set podinfo.enabled=true)']);
  const vs = r.render!.manifests.find((m) => m.kind === 'VirtualService')!;
  assert.deepEqual((vs.obj.spec as { gateways: string[] }).gateways, ['istio-system/public']);
  assert.deepEqual(
    r.findings.filter((f) => f.severity !== 'info').map((f) => f.code),
    [],
    'the package wired as the 2.x umbrella passes it down checks clean',
  );
  assert.ok(r.render!.manifests.some((m) => m.kind === 'HelmRelease' && m.name === 'istio' && m.origin.stage === 'context'));
});

test('a package chart whose dependencies are not built is a usage error naming the command, not a Helm trace', async () => {
  const dir = packageCopy(tempDir(), 'podinfo');
  const chartYaml = join(dir, 'chart', 'Chart.yaml');
  writeFileSync(
    chartYaml,
    `${readFileSync(chartYaml, 'utf8')}dependencies:\n  - name: gluon\n    version: 0.5.0\n    repository: oci://registry1.dso.mil/bigbang\n`,
  );
  await assert.rejects(through(dir), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.equal(
      e.format(),
      `${chartYaml}: the package chart needs dependencies that are not in charts/: gluon (run \`helm dependency build ${join(dir, 'chart')}\` first)`,
    );
    return true;
  });
});

test('rendered manifests given as files read domain, gateways and layout from the umbrella too', async () => {
  const root = tempDir();
  const r = await through(packageCopy(root, 'podinfo'));
  const file = join(root, 'rendered.yaml');
  writeFileSync(file, r.text);
  const mesh = await loadMesh({ files: [file] }, { render: { umbrella: { dir: UMBRELLA }, set: ['domain=example.mil'] } });
  assert.equal(mesh.layout.name, 'bb3');
  assert.equal(mesh.platform?.domain, 'example.mil');
  assert.deepEqual(
    mesh.platform?.gateways?.map((g) => [g.name, g.hosts]),
    [
      ['public', ['*.example.mil']],
      ['passthrough', ['*.example.mil']],
    ],
  );
});
