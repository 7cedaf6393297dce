import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { K8sObject } from '../../../src/manifest/types.js';
import { resolveChart, type ChartResolution, type ResolveOptions } from '../../../src/sources/flux/index.js';
import { highestMatching } from '../../../src/sources/flux/versions.js';
import { tempDir } from '../../helpers/pkg.js';
import { helmRelease, makeChartRepo, serveDir, serveRegistry, versionOf, type Registry } from './fixtures.js';

let root: string;
let served: { url: string; server: Server; requests: string[] };
let registry: Registry;

before(async () => {
  root = tempDir();
  // keep helm's own repository cache and config out of the user's home
  for (const v of ['HELM_CACHE_HOME', 'HELM_CONFIG_HOME', 'HELM_DATA_HOME']) process.env[v] = join(root, v.toLowerCase());
  const charts = makeChartRepo(root, ['1.0.0', '1.2.0', '1.5.0-bb.0', '2.0.0']);
  served = await serveDir(charts);
  registry = await serveRegistry(charts, ['1.0.0', '1.2.0', '1.5.0-bb.0', '2.0.0']);
});
after(() => {
  served.server.close();
  registry.server.close();
});

const helmRepository = (url: string): K8sObject => ({
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'HelmRepository',
  metadata: { name: 'repo1', namespace: 'bigbang' },
  spec: { interval: '2m', type: 'default', url },
});

const chartSpec = (version: string, chart = 'demo') => ({
  chart,
  version,
  sourceRef: { kind: 'HelmRepository', name: 'repo1', namespace: 'bigbang' },
});

function ok(r: ChartResolution): { dir: string; source: string } {
  if ('error' in r) assert.fail(r.error);
  return r;
}

async function pull(version: string, opts: ResolveOptions = {}, chart = 'demo') {
  const commands: string[] = [];
  const r = await resolveChart(helmRelease('demo', chartSpec(version, chart)), [helmRepository(served.url)], {
    cacheDir: join(root, 'cache'),
    onCommand: (c) => commands.push(c),
    ...opts,
  });
  return { r, commands };
}

test('a version range resolves to the highest release in the index and is untarred into the cache', async () => {
  const { r, commands } = await pull('>=1.0.0 <2.0.0');
  const { dir, source } = ok(r);
  assert.equal(versionOf(dir), '1.2.0');
  assert.ok(dir.startsWith(join(root, 'cache', 'sources')), dir);
  assert.ok(existsSync(join(dir, 'templates', 'cm.yaml')));
  assert.equal(source, `${served.url} demo@1.2.0`);
  assert.ok(commands.some((c) => c.startsWith(`helm pull demo --repo ${served.url} --version 1.2.0 --untar`)));
  // prereleases only for comparators that name one
  assert.equal(versionOf(ok((await pull('>=1.0.0-0 <2.0.0-0')).r).dir), '1.5.0-bb.0');
  assert.equal(versionOf(ok((await pull('>=1.0.0-0 <2.0.0')).r).dir), '1.2.0');
});

test('the same chart again is not pulled: an exact version runs nothing, a range only reads the index', async () => {
  await pull('2.0.0');
  assert.deepEqual((await pull('2.0.0')).commands, []);
  const again = await pull('~1.2.0');
  assert.equal(versionOf(ok(again.r).dir), '1.2.0');
  assert.deepEqual(again.commands, [`GET ${served.url}/index.yaml`]);
  const offline = await pull('1.x', { offline: true });
  assert.equal(versionOf(ok(offline.r).dir), '1.2.0');
  assert.deepEqual(offline.commands, []);
});

test('errors name the release and --chart: unknown chart, no matching version, offline miss', async () => {
  const unknown = (await pull('1.0.0', {}, 'nope')).r;
  assert.ok(
    'error' in unknown && /^demo: not rendered: helm pull nope failed: .*; pass --chart demo=DIR$/.test(unknown.error),
    JSON.stringify(unknown),
  );
  const none = (await pull('>=3.0.0')).r;
  assert.ok(
    'error' in none && /no version of demo in http:\/\/127\.0\.0\.1:\d+ matches ">=3\.0\.0"/.test(none.error),
    JSON.stringify(none),
  );
  const offline = await pull('1.0.0', { offline: true, cacheDir: join(tempDir(), 'empty') });
  assert.ok('error' in offline.r && /offline, and demo 1\.0\.0 from http:\/\/127\.0\.0\.1:\d+ is not in the cache/.test(offline.r.error));
  assert.deepEqual(offline.commands, []);
});

test('OCI: a HelmRepository of type oci and an OCIRepository (tag, semver, digest) pull with helm into the cache', async () => {
  const cacheDir = join(tempDir(), 'cache');
  const commands: string[] = [];
  const opts = { cacheDir, onCommand: (c: string) => commands.push(c) };
  const ociRepo: K8sObject = {
    kind: 'HelmRepository',
    metadata: { name: 'registry1', namespace: 'bigbang' },
    spec: { type: 'oci', insecure: true, url: registry.url },
  };
  const viaRepo = (version: string) =>
    resolveChart(
      helmRelease('demo', { chart: 'demo', version, sourceRef: { kind: 'HelmRepository', name: 'registry1' } }),
      [ociRepo],
      opts,
    );
  const exact = ok(await viaRepo('1.0.0'));
  assert.equal(versionOf(exact.dir), '1.0.0');
  assert.match(exact.source, new RegExp(`^${registry.url}/demo 1\\.0\\.0@${registry.digests['1.0.0']}$`));
  assert.ok(
    commands.some((c) => c.startsWith(`helm pull ${registry.url}/demo --version 1.0.0 --plain-http --untar`)),
    commands.join('\n'),
  );
  commands.length = 0;
  assert.deepEqual(ok(await viaRepo('1.0.0')), exact, 'the same directory and the same revision, digest included');
  assert.deepEqual(commands, []);
  assert.equal(versionOf(ok(await viaRepo('~1.0 || ~1.2')).dir), '1.2.0');

  const ociRepository = (ref: Record<string, string>): K8sObject => ({
    kind: 'OCIRepository',
    metadata: { name: 'demo', namespace: 'bigbang' },
    spec: { insecure: true, url: `${registry.url}/demo`, ref },
  });
  const hr: K8sObject = {
    kind: 'HelmRelease',
    metadata: { name: 'demo', namespace: 'bigbang' },
    spec: { chartRef: { kind: 'OCIRepository', name: 'demo' } },
  };
  const byRef = async (ref: Record<string, string>, o: ResolveOptions = opts) => resolveChart(hr, [ociRepository(ref)], o);
  // digest > semver > tag
  assert.equal(versionOf(ok(await byRef({ tag: '2.0.0', semver: '<2.0.0', digest: registry.digests['1.2.0'] })).dir), '1.2.0');
  assert.equal(versionOf(ok(await byRef({ tag: '1.0.0', semver: '>=1.0.0-0 <2.0.0-0' })).dir), '1.5.0-bb.0');
  assert.equal(versionOf(ok(await byRef({ tag: '2.0.0' })).dir), '2.0.0');
  // offline: a range is answered from what is cached, a digest never seen is an error
  commands.length = 0;
  assert.equal(versionOf(ok(await byRef({ semver: '>=1.0.0 <2.0.0' }, { ...opts, offline: true })).dir), '1.2.0');
  const miss = await byRef({ digest: registry.digests['1.5.0-bb.0'] }, { ...opts, offline: true });
  assert.ok('error' in miss && /offline, and oci:\/\/\S+ sha256:[0-9a-f]{64} is not in the cache/.test(miss.error), JSON.stringify(miss));
  assert.deepEqual(commands, []);
});

test('version ranges pick what Helm itself picks (its Masterminds semver), prereleases included', async () => {
  const cacheDir = join(tempDir(), 'cache');
  const available = ['1.0.0', '1.2.0', '1.5.0-bb.0', '2.0.0'];
  const ranges = ['>=1.0.0 <2.0.0', '>=1.0.0-0 <2.0.0-0', '>=1.0.0-0 <2.0.0', '~1.5.0-0', '^1.0.0', '1.x', '*', '<1.5.0-bb.1 >1.4.0-0'];
  for (const semver of ranges) {
    const hr: K8sObject = { kind: 'HelmRelease', metadata: { name: 'demo' }, spec: { chartRef: { kind: 'OCIRepository', name: 'demo' } } };
    const src: K8sObject = {
      kind: 'OCIRepository',
      metadata: { name: 'demo' },
      spec: { insecure: true, url: `${registry.url}/demo`, ref: { semver } },
    };
    const byHelm = versionOf(ok(await resolveChart(hr, [src], { cacheDir })).dir);
    assert.equal(highestMatching(available, semver), byHelm, semver);
  }
});
