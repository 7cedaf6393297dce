// `bbmesh integrate --layout bb3` as a Big Bang 3.x maintainer integrates a package: the bb-common
// dependency and its render includes, routes.inbound learned from the chart, istio and networkPolicies
// blocks, the umbrella side. The result renders what test/fixtures/bb3/portal renders, checks clean
// without --layout and traces 200; the library is the test one (test/fixtures/bb-common), vendored.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { parse } from 'yaml';
import { checkPackage } from '../../src/analysis/check.js';
import { tracePackage } from '../../src/analysis/trace/run.js';
import { integratePackage } from '../../src/integrate/index.js';
import type { Manifest } from '../../src/manifest/types.js';
import { findHelm } from '../../src/sources/render/helm.js';
import { bb3Package, LIBRARY_CHART, libraryTgz } from '../bb3/helpers.js';
import { bbmesh, copyPackage, PODINFO, ROOT, snapshot } from './helpers.js';

const UPSTREAM = join(ROOT, 'test', 'fixtures', 'upstream');
const INCLUDES = ['routes.yaml', 'network-policies.yaml', 'istio.yaml'].map((f) => `chart/templates/bigbang/${f}`);

/** A copy of a package with the test library vendored as `helm dependency update` would. */
function withLibrary(src: string): string {
  const dir = copyPackage(src);
  mkdirSync(join(dir, 'chart', 'charts'), { recursive: true });
  cpSync(libraryTgz(), join(dir, 'chart', 'charts', 'bb-common-0.1.0.tgz'));
  return dir;
}

const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
/** The value at a path of an object's spec (`at(vs, 'http', 0, 'route')`). */
function at(m: Manifest | undefined, ...path: (string | number)[]): unknown {
  let v: unknown = m?.obj.spec;
  for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}
const errorsAndWarnings = (r: Awaited<ReturnType<typeof checkPackage>>) =>
  r.findings.filter((f) => f.severity !== 'info').map((f) => `${f.code} ${f.object.kind}/${f.object.name}: ${f.message}`);
/** What bb-common generated, by kind and name. */
const generated = (ms: Manifest[]) => ms.filter((m) => m.origin.generated?.library === 'bb-common').map((m) => `${m.kind}/${m.name}`);

test('upstream podinfo: the 3.x integration a maintainer writes; renders like portal, checks clean, traces 200', async () => {
  const dir = withLibrary(join(UPSTREAM, 'podinfo'));
  const chartBefore = read(dir, 'chart/Chart.yaml');
  const valuesBefore = read(dir, 'chart/values.yaml');
  const r = await integratePackage(dir, { layout: 'bb3' });
  assert.equal(r.written, true);
  assert.equal(r.renderChecked, true);
  assert.deepEqual(
    r.steps.map((s) => `${s.step} ${s.title} ${s.status}`),
    [
      'scaffold bigbang/ dev chart done',
      '1 sidecar injection done',
      '2 bb-common library done',
      '3 package defaults done',
      '4 Big Bang defaults done',
      '5 passdowns done',
      '6 ordering done',
    ],
  );
  // chart/: the dependency appended, every byte before it kept; the includes exactly as portal has them.
  const chart = read(dir, 'chart/Chart.yaml');
  assert.ok(chart.startsWith(chartBefore));
  assert.deepEqual(parse(chart).dependencies, [{ name: 'bb-common', version: '0.1.0', repository: 'oci://registry1.dso.mil/bigbang' }]);
  const portalDir = join(ROOT, 'test', 'fixtures', 'bb3', 'portal');
  for (const f of INCLUDES) assert.equal(read(dir, f), read(portalDir, f), f);
  assert.equal(existsSync(join(dir, 'chart/templates/bigbang/virtualservice.yaml')), false, 'no hand-written VirtualService');
  const values = read(dir, 'chart/values.yaml');
  assert.ok(values.startsWith(valuesBefore));
  assert.match(values, /^# Big Bang: inbound routes through the Istio ingress gateway/m);
  const v = parse(values);
  assert.deepEqual(v.routes.inbound, {
    podinfo: {
      enabled: true,
      gateways: ['istio-gateway/public-ingressgateway'],
      hosts: ['podinfo.{{ .Values.domain }}'],
      service: '{{ template "podinfo.fullname" . }}.{{ .Release.Namespace }}.svc.cluster.local',
      port: '{{ .Values.service.externalPort }}',
      selector: { 'app.kubernetes.io/name': 'podinfo-podinfo' },
    },
  });
  assert.deepEqual([v.istio.enabled, v.istio.authorizationPolicies.enabled, v.networkPolicies.enabled], [false, false, false]);

  // check: layout detected from the dependency, no warning or error.
  const res = await checkPackage(dir);
  assert.equal(res.layout, 'bb3');
  assert.deepEqual(errorsAndWarnings(res), []);
  const ms = res.render!.manifests;
  const vs = ms.find((m) => m.kind === 'VirtualService')!;
  assert.equal(vs.name, 'podinfo');
  assert.deepEqual(at(vs, 'gateways'), ['istio-gateway/public-ingressgateway']);
  assert.deepEqual(at(vs, 'hosts'), ['podinfo.dev.bigbang.mil']);
  assert.deepEqual(at(vs, 'http', 0, 'route', 0, 'destination'), {
    host: 'podinfo-podinfo.podinfo.svc.cluster.local',
    port: { number: 9898 },
  });
  const np = ms.find((m) => m.kind === 'NetworkPolicy' && m.name.startsWith('allow-ingress-to-podinfo-'))!;
  const pod = ms.find((m) => m.kind === 'Deployment');
  assert.deepEqual(at(np, 'podSelector', 'matchLabels'), at(pod, 'template', 'metadata', 'labels'), 'admits the gateway to the pods');
  assert.deepEqual(at(np, 'ingress', 0, 'ports'), [{ port: 9898, protocol: 'TCP' }]);
  const ap = ms.find((m) => m.kind === 'AuthorizationPolicy' && m.name === 'podinfo-public-ingressgateway-authz-policy')!;
  assert.deepEqual(at(ap, 'rules', 0, 'from', 0, 'source', 'principals'), [
    'cluster.local/ns/istio-gateway/sa/public-ingressgateway-ingressgateway-service-account',
  ]);
  // What bb-common generates has portal's shape: the same defaults, and per route VS, SE, NP, AP.
  const portal = await checkPackage(bb3Package());
  const ours = generated(ms);
  const theirs = generated(portal.render!.manifests);
  const defaults = (xs: string[]) => xs.filter((x) => /\/default-/.test(x) && !x.startsWith('Sidecar/')).sort();
  assert.deepEqual(defaults(ours), defaults(theirs));
  const perRoute = (xs: string[], r: string) => {
    const gw = 'public-ingressgateway';
    const names = [`VirtualService/${r}`, `ServiceEntry/${r}-internal`, `AuthorizationPolicy/${r}-${gw}-authz-policy`];
    const np = new RegExp(`^NetworkPolicy/allow-ingress-to-${r}-\\d+-from-ns-istio-gateway-pod-${gw}$`);
    return xs
      .filter((x) => names.includes(x) || np.test(x))
      .map((x) => x.split('/')[0])
      .sort();
  };
  assert.deepEqual(perRoute(ours, 'podinfo'), perRoute(theirs, 'portal'));
  assert.deepEqual(perRoute(ours, 'podinfo'), ['AuthorizationPolicy', 'NetworkPolicy', 'ServiceEntry', 'VirtualService']);
  // Istio off: no Istio object; the network policies stay.
  const off = res.disabledRender!.manifests.filter((m) => m.origin.stage === 'package');
  assert.deepEqual(
    off.filter((m) => /istio\.io\//.test(m.apiVersion)).map((m) => m.kind),
    [],
  );
  assert.ok(off.some((m) => m.kind === 'NetworkPolicy'));
  // The umbrella side as 3.x writes it.
  assert.deepEqual(
    at(
      ms.find((m) => m.kind === 'HelmRelease'),
      'dependsOn',
    ),
    [{ name: 'istiod', namespace: 'bigbang' }],
  );
  assert.equal(ms.find((m) => m.kind === 'Namespace')!.obj.metadata!.labels!['istio-injection'], 'enabled');
  assert.match(read(dir, 'bigbang/templates/podinfo/values.yaml'), /^routes:\n {2}inbound:\n {4}podinfo:\n {6}gateways:\n/m);

  const t = await tracePackage('https://podinfo.dev.bigbang.mil/', dir, {});
  assert.equal(t.verdict.ok, true, t.verdict.reason);
  assert.equal(t.verdict.status, 200);
  assert.match(t.hops.find((h) => h.kind === 'gateway-server')!.title, /istio-gateway\/public-ingressgateway/);
  assert.ok(t.hops.find((h) => h.kind === 'network-policy')?.ok, 'the route NetworkPolicy admits the gateway');
  assert.match(t.hops.find((h) => h.kind === 'authorization')!.title, /podinfo-public-ingressgateway-authz-policy/);

  // Idempotent: a second run changes nothing.
  const before = snapshot(dir);
  const again = await integratePackage(dir, { layout: 'bb3' });
  assert.equal(again.alreadyIntegrated, true);
  assert.ok(again.steps.every((s) => s.status === 'present'));
  assert.deepEqual(snapshot(dir), before);
});

test('--dry-run: the diff of every 3.x edit, checked by rendering, nothing written', async () => {
  const dir = withLibrary(join(UPSTREAM, 'podinfo'));
  const before = snapshot(dir);
  const r = await integratePackage(dir, { layout: 'bb3', dryRun: true });
  assert.equal(r.written, false);
  assert.equal(r.renderChecked, true);
  assert.deepEqual(snapshot(dir), before);
  for (const line of [
    '+  - name: bb-common',
    '+    version: "0.1.0"',
    '+    repository: oci://registry1.dso.mil/bigbang',
    '+{{- include "bb-common.routes.render" . }}',
    '+{{- include "bb-common.network-policies.render" . }}',
    '+{{- include "bb-common.istio.render" . }}',
    '+routes:',
    '+      - istio-gateway/public-ingressgateway',
    '+      - istio-gateway/{{ default "public" .Values.podinfo.ingress.gateway }}-ingressgateway',
    '+    - name: istiod',
  ])
    assert.ok(r.diff.split('\n').includes(line), line);
  const cli = bbmesh(['integrate', dir, '--layout', 'bb3', '--dry-run']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /^\+\+\+ b\/chart\/Chart\.yaml$/m);
  assert.match(cli.stdout, /^✓ 2 bb-common library +would do {2}4 files$/m);
  assert.match(cli.stdout, /would change 13 file\(s\), and the result renders with Istio on and off; nothing written$/m);
  assert.deepEqual(snapshot(dir), before);
});

test('library not vendored: one-line exit 2 without a version; with one, the exact helm command and no render', async () => {
  const dir = copyPackage(join(UPSTREAM, 'podinfo'));
  const before = snapshot(dir);
  const none = bbmesh(['integrate', dir, '--layout', 'bb3']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^bbmesh: chart\/Chart\.yaml: no bb-common version to depend on: .*\(pass --bb-common-version .*\)\n$/);
  assert.deepEqual(snapshot(dir), before);
  const bad = bbmesh(['integrate', dir, '--layout', 'bb3', '--bb-common-version', 'latest']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--bb-common-version latest is not a version/);

  const r = bbmesh(['integrate', dir, '--layout', 'bb3', '--bb-common-version', '0.1.0']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(
    r.stdout.includes(`note: bb-common 0.1.0 is not vendored in chart/charts/: run \`helm dependency update chart/\` in ${dir} `),
    r.stdout,
  );
  assert.match(r.stdout, /changed 13 file\(s\); the result was not rendered \(see the notes\); review with git diff$/m);
  assert.deepEqual(parse(read(dir, 'chart/Chart.yaml')).dependencies[0].version, '0.1.0');
  // What `helm dependency update chart/` would vendor: then it checks clean.
  mkdirSync(join(dir, 'chart', 'charts'));
  cpSync(libraryTgz(), join(dir, 'chart', 'charts', 'bb-common-0.1.0.tgz'));
  assert.deepEqual(errorsAndWarnings(await checkPackage(dir)), []);
});

test('a file:// library is packaged for the render check, and the printed helm command vendors it', async () => {
  const dir = copyPackage(join(UPSTREAM, 'podinfo'));
  const repository = pathToFileURL(LIBRARY_CHART).href;
  const r = await integratePackage(dir, { layout: 'bb3', bbCommonVersion: '0.1.0', bbCommonRepository: repository });
  assert.equal(r.renderChecked, true);
  assert.ok(r.notes.some((n) => n.startsWith('bb-common is not vendored: run `helm dependency update chart/` in ')));
  assert.equal(parse(read(dir, 'chart/Chart.yaml')).dependencies[0].repository, repository);
  const scratch = copyPackage(join(UPSTREAM, 'podinfo'));
  const env = {
    ...process.env,
    HELM_CACHE_HOME: join(scratch, 'c'),
    HELM_CONFIG_HOME: join(scratch, 'f'),
    HELM_DATA_HOME: join(scratch, 'd'),
  };
  const helm = spawnSync(findHelm(), ['dependency', 'update', 'chart/'], { cwd: dir, env, encoding: 'utf8' });
  assert.equal(helm.status, 0, helm.stderr);
  assert.ok(existsSync(join(dir, 'chart', 'charts', 'bb-common-0.1.0.tgz')));
  assert.deepEqual(errorsAndWarnings(await checkPackage(dir)), []);
});

test('a Service whose pods listen elsewhere (grafana 80 -> 3000) gets containerPort; deployed into monitoring', async () => {
  const dir = withLibrary(join(UPSTREAM, 'grafana'));
  await integratePackage(dir, { layout: 'bb3', package: 'grafana', namespace: 'monitoring' });
  const route = parse(read(dir, 'chart/values.yaml')).routes.inbound.grafana;
  assert.equal(route.port, '{{ .Values.service.port }}');
  assert.equal(route.containerPort, 3000);
  const res = await checkPackage(dir);
  assert.deepEqual(errorsAndWarnings(res), []);
  const t = await tracePackage('https://grafana.dev.bigbang.mil/', dir, {});
  assert.equal(t.verdict.status, 200, t.verdict.reason);
});

test('examples/podinfo (bigbang/ already there): 3.x names on the umbrella side; a 2.x VirtualService is not doubled', async () => {
  const dir = withLibrary(PODINFO);
  const r = await integratePackage(dir, { layout: 'bb3' });
  assert.equal(r.steps[0].status, 'present');
  const bbValues = read(dir, 'bigbang/values.yaml');
  for (const k of ['istiod', 'istioGateway', 'networkPolicies']) assert.match(bbValues, new RegExp(`^${k}:\\n {2}enabled: true$`, 'm'));
  assert.deepEqual(errorsAndWarnings(await checkPackage(dir)), []);

  // A package integrated the 2.x way keeps its hand-written VirtualService unless told otherwise.
  const old = withLibrary(PODINFO);
  await integratePackage(old, { layout: 'bb2' });
  await assert.rejects(
    integratePackage(old, { layout: 'bb3' }),
    /chart\/templates\/bigbang\/virtualservice\.yaml hand-writes a VirtualService, which Big Bang 3\.x packages leave to bb-common/,
  );
});
