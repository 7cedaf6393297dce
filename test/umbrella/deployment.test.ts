// A whole deployment from its sources: every enabled HelmRelease of the umbrella fetched the way Flux
// would (bare git repositories on file:// URLs, a Helm repository on 127.0.0.1) and rendered.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { checkDeployment } from '../../src/analysis/check-deployment.js';
import type { Manifest } from '../../src/manifest/types.js';
import { loadMesh } from '../../src/sources/index.js';
import type { RenderOptions } from '../../src/sources/render/types.js';
import { mergeValues } from '../../src/sources/render/values.js';
import type { RenderProgress, UmbrellaOptions } from '../../src/sources/umbrella/types.js';
import { tempDir } from '../helpers/pkg.js';
import {
  envValues,
  makeSources,
  makeSources2x,
  packageCopy,
  publicCert,
  UMBRELLA,
  UMBRELLA_2X,
  writeValues,
  type Sources,
} from './fixtures.js';

let s: Sources;
let root: string;
before(async () => {
  root = tempDir();
  s = await makeSources(root);
});
after(() => s.helmRepo.server.close());

let n = 0;
/** Render options for env values `extra` over the fixture's; the cache is shared unless `fresh` (or given). */
function options(
  extra: Record<string, unknown> = {},
  umbrella: Partial<UmbrellaOptions> = {},
  fresh = false,
): RenderOptions & { commands: string[] } {
  const commands: string[] = [];
  const env = writeValues(join(root, `env-${n++}.yaml`), envValues(s, extra));
  const cacheDir = join(root, fresh ? `cache-${n}` : 'cache-shared');
  return {
    umbrellaValues: [env],
    umbrella: { dir: UMBRELLA, cacheDir, onCommand: (c) => commands.push(c), ...umbrella },
    commands,
  };
}

const version = (ms: Manifest[]) => ms.find((m) => m.kind === 'ConfigMap' && m.name === 'dashboard-version')?.obj.data;
const fetches = (commands: string[]) => commands.filter((c) => / fetch | pull /.test(c));

test('every enabled HelmRelease is rendered from its source: git tags, a semver range, a Helm repository', async () => {
  const progress: RenderProgress[] = [];
  const opts = options({}, { onProgress: (p) => progress.push(p) }, true);
  const mesh = await loadMesh({}, { render: opts });
  const r = mesh.render!;
  assert.equal(r.umbrella?.description.startsWith('read: umbrella 3.1.0 at '), true);
  assert.deepEqual(r.notRendered, []);
  const sources = Object.fromEntries(r.releases.map((x) => [x.helmRelease.name, x.source]));
  assert.deepEqual(Object.keys(sources).sort(), [
    'dashboard',
    'istiod',
    'passthrough-ingressgateway',
    'podinfo',
    'public-ingressgateway',
    'whoami',
  ]);
  assert.match(sources.istiod!, new RegExp(`istiod\\.git 1\\.29\\.0-bb\\.0@sha1:${s.commits['istiod@1.29.0-bb.0']} chart$`));
  assert.match(sources.whoami!, /^http:\/\/127\.0\.0\.1:\d+ whoami@1\.10\.1-bb\.0$/);
  // semver "~1.2.0" takes the highest 1.2.x tag, as source-controller does
  assert.match(sources.dashboard!, /dashboard\.git 1\.2\.3@sha1:/);
  assert.deepEqual(version(r.manifests), { chartVersion: '1.2.3' });
  // the two gateways share one GitRepository: one fetch
  assert.equal(fetches(opts.commands).filter((c) => c.includes('istio-gateway.git')).length, 1);
  // the rendered Istio gateway package replaces the assumed platform's gateways
  const gw = mesh.model.gateways.get('istio-gateway/public-ingressgateway');
  assert.equal(gw?.m.origin.stage, 'package');
  assert.ok(!mesh.manifests.some((m) => m.origin.stage === 'platform' && (m.kind === 'Gateway' || m.kind === 'Service')));
  // the HelmRelease values reached the charts: the package VirtualService binds the real gateway
  const vs = mesh.model.virtualServices.find((v) => v.name === 'podinfo-podinfo');
  assert.deepEqual(
    vs?.gateways.map((g) => g.resolved),
    ['istio-gateway/public-ingressgateway'],
  );
  // progress: every release fetched and rendered once
  for (const phase of ['fetch', 'render'] as const) {
    const ps = progress.filter((p) => p.phase === phase);
    assert.deepEqual(
      ps.map((p) => p.done),
      [1, 2, 3, 4, 5, 6],
    );
    assert.ok(ps.every((p) => p.total === 6));
  }
});

test('the cache is reused: a second run with the same refs fetches nothing, and works --offline', async () => {
  const first = options({}, {}, true);
  await loadMesh({}, { render: first });
  assert.ok(fetches(first.commands).length >= 5);
  const again = options({}, { cacheDir: first.umbrella!.cacheDir });
  const r = (await loadMesh({}, { render: again })).render!;
  assert.deepEqual(fetches(again.commands), []);
  assert.equal(r.releases.length, 6);
  const offline = options({}, { cacheDir: first.umbrella!.cacheDir, offline: true });
  const o = (await loadMesh({}, { render: offline })).render!;
  assert.deepEqual(offline.commands, [], 'offline runs no git and no helm pull');
  assert.deepEqual(o.notRendered, []);
  assert.equal(o.text, r.text);
});

test('--offline with an empty cache and a source that fails degrade per package: one line each, the rest rendered', async () => {
  const offline = (await loadMesh({}, { render: options({}, { offline: true }, true) })).render!;
  assert.equal(offline.releases.length, 0);
  const podinfo = offline.notRendered?.find((x) => x.helmRelease.name === 'podinfo')?.message;
  assert.match(
    podinfo!,
    /^podinfo: not rendered: offline, and the refs of file:\/\/.*podinfo\.git are not in the cache .*; pass --chart podinfo=DIR$/,
  );
  assert.equal(offline.notRendered?.length, 6);

  const broken = options({ podinfo: { git: { repo: `file://${join(root, 'missing.git')}` } } });
  const r = await checkDeployment({ render: broken, ignore: ['K8S001'] });
  assert.deepEqual(
    r.notRendered.map((x) => x.helmRelease.name),
    ['podinfo'],
  );
  assert.match(
    r.notRendered[0].message,
    /^podinfo: not rendered: git ls-remote file:\/\/.*missing\.git failed: .+; pass --chart podinfo=DIR$/,
  );
  assert.equal(r.render?.releases.length, 5);
  assert.ok(r.findings.length > 0 && r.exitCode === 1, 'the exit code follows the findings of what was rendered');
});

test('tag and commit refs pick the commit Flux would; --chart uses a local checkout instead of the source', async () => {
  const tag = (await loadMesh({}, { render: options({ addons: { dashboard: { git: { semver: '', tag: '1.3.0' } } } }) })).render!;
  assert.deepEqual(version(tag.manifests), { chartVersion: '1.3.0' });
  const sha = s.commits['dashboard@1.2.0'];
  const commit = (await loadMesh({}, { render: options({ addons: { dashboard: { git: { commit: sha, branch: 'main' } } } }) })).render!;
  assert.deepEqual(version(commit.manifests), { chartVersion: '1.2.0' });
  assert.match(commit.releases.find((x) => x.helmRelease.name === 'dashboard')!.source!, new RegExp(`main@sha1:${sha} chart$`));

  const local = packageCopy(tempDir(), 'podinfo');
  const opts = options({}, { charts: { podinfo: local } });
  const r = (await loadMesh({}, { render: opts })).render!;
  assert.equal(r.releases.find((x) => x.helmRelease.name === 'podinfo')?.source, `local ${join(local, 'chart')}`);
  assert.ok(!opts.commands.some((c) => c.includes('podinfo.git')), 'the local chart is not fetched');
});

test('post-renderers of a HelmRelease are applied to what its chart renders', async () => {
  const patch = [{ op: 'add', path: '/metadata/labels', value: { patched: 'yes' } }];
  const postRenderers = [{ kustomize: { patches: [{ target: { kind: 'Deployment' }, patch: JSON.stringify(patch) }] } }];
  const r = (await loadMesh({}, { render: options({ podinfo: { postRenderers } }) })).render!;
  const dep = r.manifests.find((m) => m.kind === 'Deployment' && m.name === 'podinfo-podinfo')!;
  assert.deepEqual(dep.obj.metadata?.labels, { patched: 'yes' });
  assert.equal(dep.origin.template, 'podinfo/templates/podinfo.yaml', 'a patched object keeps its template');
  const svc = r.manifests.find((m) => m.kind === 'Service' && m.name === 'podinfo-podinfo')!;
  assert.equal(svc.obj.metadata?.labels?.patched, undefined);
});

test('the rules across packages: one host claimed twice, a dependsOn on a disabled package, a host the certificate misses', async () => {
  const cert = publicCert(root, ['*.dev.bigbang.mil']);
  const clean = await checkDeployment({ render: options(cert), ignore: ['K8S001'] });
  const codes = (r: typeof clean) => r.findings.map((f) => `${f.code} ${f.object.kind} ${f.object.namespace}/${f.object.name}`);
  // the dashboard HelmRelease waits for podinfo, which waits for istiod: ordered after Istio, no BB006
  assert.deepEqual(codes(clean), []);

  const shared = await checkDeployment({
    render: options(mergeValues(cert, { addons: { whoami: { values: { istio: { whoami: { hosts: ['podinfo.dev.bigbang.mil'] } } } } } })),
    ignore: ['K8S001'],
  });
  const bb010 = shared.findings.filter((f) => f.code === 'BB010');
  assert.equal(bb010.length, 1);
  assert.match(
    bb010[0].message,
    /^host podinfo\.dev\.bigbang\.mil on gateway istio-gateway\/public-ingressgateway is claimed by HelmRelease bigbang\/\w+ .* and by HelmRelease bigbang\/\w+/,
  );
  assert.ok(!shared.findings.some((f) => f.code === 'MESH011'), 'BB010 explains the merged host');

  const noPodinfo = await checkDeployment({ render: options(mergeValues(cert, { podinfo: { enabled: false } })), ignore: ['K8S001'] });
  const bb011 = noPodinfo.findings.filter((f) => f.code === 'BB011');
  assert.deepEqual(
    bb011.map((f) => [f.object.name, f.path]),
    [['dashboard', ['spec', 'dependsOn', 0, 'name']]],
  );
  assert.match(bb011[0].message, /depends on bigbang\/podinfo, which the umbrella does not render/);

  const other = await checkDeployment({ render: options(publicCert(root, ['*.other.mil', 'www.other.mil'])), ignore: ['K8S001'] });
  const mesh023 = other.findings.filter((f) => f.code === 'MESH023');
  assert.deepEqual(mesh023.map((f) => f.object.name).sort(), ['dashboard-dashboard', 'podinfo-podinfo', 'whoami-whoami']);
  assert.match(
    mesh023[0].message,
    /with the certificate of Secret istio-gateway\/public-cert, which covers \*\.other\.mil, www\.other\.mil$/,
  );
  assert.ok(!other.findings.some((f) => f.code === 'MESH009'), 'the Secret exists');
});

test('independent releases render the same at any concurrency', async () => {
  const one = (await loadMesh({}, { render: options({}, { concurrency: 1 }) })).render!;
  const four = (await loadMesh({}, { render: options({}, { concurrency: 4 }) })).render!;
  assert.equal(one.text, four.text);
});

test('a 2.x deployment: the controlplane IstioOperator and Gateways replace the assumed platform', async () => {
  const root2 = tempDir();
  const src = makeSources2x(root2);
  const mesh = await loadMesh(
    {},
    { render: { umbrellaValues: [src.env], umbrella: { dir: UMBRELLA_2X, cacheDir: join(root2, 'cache') } } },
  );
  assert.equal(mesh.layout.name, 'bb2');
  assert.deepEqual(mesh.render!.releases.map((r) => r.helmRelease.name).sort(), ['istio', 'istio-operator', 'podinfo']);
  const gw = mesh.model.gateways.get('istio-system/public');
  assert.equal(gw?.m.origin.stage, 'package');
  const svc = mesh.model.services.get('public-ingressgateway.istio-system.svc.cluster.local');
  assert.equal(svc?.m.origin.stage, 'operator', 'the IstioOperator makes the ingress Service at run time');
  assert.ok(!mesh.manifests.some((m) => m.origin.stage === 'platform' && ['Gateway', 'Service', 'Deployment'].includes(m.kind)));
  const r = await checkDeployment({
    render: { umbrellaValues: [src.env], umbrella: { dir: UMBRELLA_2X, cacheDir: join(root2, 'cache') } },
    ignore: ['K8S001'],
  });
  assert.deepEqual(
    r.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.message}`),
    ['MESH009 Secret istio-system/public-cert does not exist'],
    'podinfo routes through the rendered gateway; only the certificate the environment did not give is missing',
  );
});
