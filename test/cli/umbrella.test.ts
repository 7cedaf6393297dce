// The umbrella flags through the built CLI: one package through the real umbrella chart (render, check,
// trace, diagram, verify), the whole deployment an environment's values enable (sources on file:// git
// repositories and a Helm repository on 127.0.0.1, fetched by the CLI into its own cache), and the
// usage errors. Every output says what was read; JSON outputs carry it and follow their schemas.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { cliAsync, validJson } from '../helpers/cli.js';
import { cli, ROOT, tempDir } from '../helpers/pkg.js';
import { envValues, makeSources, packageCopy, publicCert, UMBRELLA, writeValues, type Sources } from '../umbrella/fixtures.js';

const skip = !existsSync(join(ROOT, 'dist', 'bundle', 'main.js')) && 'npm run build first';
const U = relative(ROOT, UMBRELLA);
const READ =
  /^read: umbrella 3\.1\.0 at test\/fixtures\/umbrella\/bigbang\/chart, layout bb3, domain dev\.bigbang\.mil, gateways public,passthrough, /m;
const PODINFO_URL = 'https://podinfo.dev.bigbang.mil/';

interface UmbrellaJson {
  description: string;
  layout: string;
  package?: { key: string; foundBy: string };
}

test('one package (chart/ only) through the umbrella: check, render, trace, diagram say what was read', { skip }, () => {
  const pkg = packageCopy(tempDir(), 'podinfo');
  const text = cli(['check', pkg, '--umbrella', U]);
  assert.equal(text.code, 0, text.stdout + text.stderr);
  assert.match(text.stdout, READ, 'the text report says what was read');
  assert.match(text.stdout, /package podinfo \(values podinfo, found by chart name podinfo\)$/m);
  assert.match(
    text.stdout,
    /^No findings in \d+ objects \(\+\d+ assumed Big Bang platform, \+\d+ of other packages, rendered by the umbrella as context\)/m,
  );
  assert.match(text.stdout, /^Layout bb3 \(read from the umbrella 3\.1\.0\)/m);
  assert.equal(text.stderr, '');

  const json = cli(['check', pkg, '--umbrella', U, '--package', 'podinfo', '-o', 'json']);
  assert.equal(json.code, 0, json.stderr);
  const j = validJson('check', json.stdout) as { umbrella: UmbrellaJson; summary: { contextObjects: number }; layout: string };
  assert.equal(j.layout, 'bb3');
  assert.deepEqual([j.umbrella.package?.key, j.umbrella.package?.foundBy], ['podinfo', '--package']);
  assert.ok(j.summary.contextObjects > 0, 'objects of other packages are counted as context');
  assert.match(json.stderr, /^bbmesh: read: umbrella 3\.1\.0 at /, 'JSON on stdout: what was read goes to stderr');

  // --layout given beats the umbrella, and the line says so
  const given = validJson('check', cli(['check', pkg, '--umbrella', U, '--layout', 'bb2', '-o', 'json']).stdout) as {
    umbrella: UmbrellaJson;
  };
  assert.match(given.umbrella.description, /layout bb2 \(given; the umbrella reads as bb3\)/);

  const yaml = cli(['render', pkg, '--umbrella', U]);
  assert.equal(yaml.code, 0, yaml.stderr);
  assert.match(yaml.stdout, /^# Stage: context \(release bigbang, namespace bigbang\)$/m);
  assert.doesNotMatch(yaml.stdout, /read: umbrella/, 'the YAML stays YAML');
  assert.match(yaml.stderr, /^bbmesh: read: umbrella 3\.1\.0/);
  const r = validJson('render', cli(['render', pkg, '--umbrella', U, '-o', 'json']).stdout) as {
    umbrella: UmbrellaJson;
    objects: Array<{ source: { stage: string } }>;
  };
  assert.ok(r.objects.some((o) => o.source.stage === 'context'));
  assert.equal(r.umbrella.package?.key, 'podinfo');

  // manifest files with --umbrella: nothing rendered, the platform (layout, domain, gateways) from the umbrella
  const file = join(tempDir(), 'podinfo.yaml');
  writeFileSync(file, yaml.stdout);
  const files = cli(['check', file, '--umbrella', U, '-o', 'json']);
  const f = validJson('check', files.stdout) as { umbrella: UmbrellaJson; layout: string; platformGateways: string[] };
  assert.deepEqual([f.layout, f.umbrella.package], ['bb3', undefined]);
  assert.ok(f.platformGateways.includes('istio-gateway/passthrough-ingressgateway'));
  assert.match(files.stderr, /^bbmesh: read: umbrella 3\.1\.0/);

  const trace = cli(['trace', PODINFO_URL, pkg, '--umbrella', U]);
  assert.equal(trace.code, 0, trace.stdout + trace.stderr);
  assert.match(trace.stdout, /^layout bb3 \(read from the umbrella 3\.1\.0\)$/m);
  assert.match(trace.stdout, READ);
  const t = validJson('trace', cli(['trace', PODINFO_URL, pkg, '--umbrella', U, '-o', 'json']).stdout) as { umbrella: UmbrellaJson };
  assert.equal(t.umbrella.layout, 'bb3');

  const diagram = cli(['diagram', pkg, '--umbrella', U]);
  assert.equal(diagram.code, 0, diagram.stderr);
  assert.match(diagram.stdout, /^flowchart LR\n%% layout bb3 \(read from the umbrella 3\.1\.0\)\n%% read: umbrella 3\.1\.0 at /m);
  assert.match(diagram.stderr, /^bbmesh: read: umbrella/);
});

test('verify --umbrella: the layout as the umbrella reads it (--layout still wins)', { skip }, () => {
  const snapshot = join(ROOT, 'examples', 'podinfo-cluster-snapshot.yaml');
  const base = ['verify', '--package', 'podinfo', '--snapshot', snapshot, '--umbrella', U];
  const j = cli([...base, '-o', 'json']);
  const report = validJson('verify', j.stdout) as { layout: string; layoutReason: string };
  assert.deepEqual([report.layout, report.layoutReason], ['bb3', 'read from the umbrella 3.1.0']);
  assert.match(j.stderr, /^bbmesh: read: umbrella 3\.1\.0/);
  assert.match(cli(base).stdout, READ, 'the text report says what was read');
  const given = JSON.parse(cli([...base, '--layout', 'bb2', '-o', 'json']).stdout) as { layout: string };
  assert.equal(given.layout, 'bb2');
  const noUmbrella = cli(['verify', '--package', 'podinfo', '--snapshot', snapshot, '-f', snapshot]);
  assert.equal(noUmbrella.code, 2);
  assert.match(noUmbrella.stderr, /^bbmesh: -f\/--values are the environment values of --umbrella DIR/);
});

test('umbrella usage errors are one line and exit 2', { skip }, () => {
  const pkg = packageCopy(tempDir(), 'podinfo');
  const file = join(ROOT, 'test', 'fixtures', 'trace', 'podinfo-integrated.yaml');
  for (const [args, message] of [
    [['check', pkg, '--umbrella', U, '--chart', `podinfo=${pkg}`], /--chart and --offline are for a whole deployment/],
    [['diagram', pkg, '--umbrella', U, '--offline'], /--chart and --offline are for a whole deployment/],
    [['check', pkg, '--offline'], /--chart and --offline need --umbrella DIR/],
    [['check', '--umbrella', U, '-n', 'shop'], /-n\/--namespace applies to manifest files/],
    [['check', '--umbrella', U, '--chart', 'podinfo'], /--chart podinfo: expected NAME=DIR/],
    [['check', pkg, '--umbrella', pkg], /is the chart podinfo, not the Big Bang umbrella/],
    [['render'], /nothing to render \(pass a package directory, or --umbrella DIR/],
    [['render', file], /render takes a package directory, not a manifest file/],
    [['trace', PODINFO_URL], /nothing to trace/],
  ] as const) {
    const r = cli([...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

let s: Sources;
let root: string;
let env: string;
before(async () => {
  if (skip) return;
  root = tempDir();
  s = await makeSources(root, 300_000);
  env = writeValues(join(root, 'env.yaml'), envValues(s, publicCert(root, ['*.dev.bigbang.mil'])));
});
after(() => s?.helmRepo.server.close());

const cached = () => ({ env: { XDG_CACHE_HOME: join(root, 'cache') } });

test('the whole deployment: check, then offline from the cache; render, trace and diagram of it', { skip, timeout: 300_000 }, async () => {
  const json = await cliAsync(['--debug', 'check', '--umbrella', U, '-f', env, '--ignore', 'K8S001', '-o', 'json'], cached());
  assert.equal(json.code, 0, json.stdout + json.stderr);
  const fetches = /^bbmesh --debug: (git .*\b(fetch|clone|ls-remote)\b|GET http|\S*helm pull)/m;
  assert.match(json.stderr, fetches, 'the first run fetches');
  assert.doesNotMatch(json.stderr, /\(\d+ ms\)$/m, 'each command is logged once, with its exit code');
  const j = validJson('check', json.stdout) as { umbrella: UmbrellaJson; notRendered: unknown[]; findings: unknown[] };
  assert.deepEqual([j.notRendered, j.findings], [[], []]);
  assert.equal(j.umbrella.package, undefined);

  // a second run fetches nothing: everything is in the cache
  const offline = await cliAsync(['--debug', 'check', '--umbrella', U, '-f', env, '--ignore', 'K8S001', '--offline'], cached());
  assert.equal(offline.code, 0, offline.stdout + offline.stderr);
  assert.match(offline.stdout, /^No findings in \d+ objects/m);
  assert.match(offline.stdout, READ);
  assert.doesNotMatch(offline.stderr, fetches, 'nothing fetched');
  assert.match(offline.stderr, /^bbmesh --debug: \S*helm template bigbang /m);

  const render = await cliAsync(['render', '--umbrella', U, '-f', env, '--offline', '-o', 'json'], cached());
  const r = validJson('render', render.stdout) as { package: string; releases: Array<{ helmRelease: { name: string } }> };
  assert.equal(r.package, 'bigbang');
  assert.deepEqual(r.releases.map((x) => x.helmRelease.name).sort(), [
    'dashboard',
    'istiod',
    'passthrough-ingressgateway',
    'podinfo',
    'public-ingressgateway',
    'whoami',
  ]);
  const trace = await cliAsync(['trace', PODINFO_URL, '--umbrella', U, '-f', env, '--offline'], cached());
  assert.equal(trace.code, 0, trace.stdout + trace.stderr);
  assert.match(trace.stdout, /^✓ 200 /m);
  const diagram = await cliAsync(['diagram', '--umbrella', U, '-f', env, '--offline', '-o', 'json'], cached());
  assert.equal(diagram.code, 0, diagram.stdout + diagram.stderr);
  const hosts = (JSON.parse(diagram.stdout) as { hosts: Array<{ host: string; ok: boolean }> }).hosts;
  assert.ok(hosts.some((h) => h.host === 'podinfo.dev.bigbang.mil' && h.ok));
});

test(
  'a source that cannot be had: one line on stderr, the rest checked, --chart NAME=DIR instead',
  { skip, timeout: 300_000 },
  async () => {
    const broken = writeValues(
      join(root, 'env-broken.yaml'),
      envValues(s, publicCert(root, ['*.dev.bigbang.mil']), { podinfo: { git: { repo: `file://${join(root, 'missing.git')}` } } }),
    );
    const text = await cliAsync(['check', '--umbrella', U, '-f', broken, '--ignore', 'K8S001'], cached());
    assert.match(
      text.stderr,
      /^bbmesh: podinfo: not rendered: git ls-remote file:\/\/.*missing\.git failed: .+; pass --chart podinfo=DIR$/m,
    );
    assert.match(text.stdout, /^not rendered, so not checked: podinfo /m);
    const json = await cliAsync(['check', '--umbrella', U, '-f', broken, '--ignore', 'K8S001', '-o', 'json'], cached());
    const j = validJson('check', json.stdout) as {
      notRendered: Array<{ helmRelease: { name: string }; message: string }>;
      findings: Array<{ severity: string }>;
    };
    assert.deepEqual(
      j.notRendered.map((n) => n.helmRelease.name),
      ['podinfo'],
    );
    assert.equal(json.code, 1, 'a release that was not checked fails the gate');
    assert.equal(text.code, 1);
    const allowed = await cliAsync(
      ['check', '--umbrella', U, '-f', broken, '--ignore', 'K8S001', '-o', 'json', '--allow-unchecked'],
      cached(),
    );
    assert.equal(
      allowed.code,
      j.findings.some((f) => f.severity !== 'info') ? 1 : 0,
      'with --allow-unchecked the exit code follows the findings',
    );

    const local = packageCopy(tempDir(), 'podinfo');
    const fixed = await cliAsync(
      ['check', '--umbrella', U, '-f', broken, '--ignore', 'K8S001', '--chart', `podinfo=${local}`, '-o', 'json'],
      cached(),
    );
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
    assert.deepEqual((validJson('check', fixed.stdout) as { notRendered: unknown[] }).notRendered, []);
  },
);
