import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolveChart, resolveCharts, type ChartResolution, type ResolveOptions } from '../../../src/sources/flux/index.js';
import { tempDir } from '../../helpers/pkg.js';
import { gitChart, gitRepository, helmRelease, makeDependencyRepo, makeGitRepo, versionOf, type GitFixture } from './fixtures.js';

let repo: GitFixture;
let root: string;
before(() => {
  root = tempDir();
  repo = makeGitRepo(root);
});

const BB_IGNORE = '# exclude file extensions\n/**/*.md\n/**/*.txt\n/**/*.sh\n!/chart/tests/scripts/*.sh\n';

function ok(r: ChartResolution): { dir: string; source: string } {
  if ('error' in r) assert.fail(r.error);
  return r;
}

/** Resolves one HelmRelease `pkg` on a GitRepository with `ref`, recording the commands run. */
async function resolveRef(ref: Record<string, string>, opts: ResolveOptions = {}, ignore?: string) {
  const commands: string[] = [];
  const src = gitRepository('pkg', repo.url, ref, ignore);
  const r = await resolveChart(helmRelease('pkg', gitChart('pkg')), [src], {
    cacheDir: join(root, 'cache'),
    onCommand: (c) => commands.push(c),
    ...opts,
  });
  return { r, commands };
}

test('a tag, a branch and a commit check out the commit Flux would', async () => {
  const tag = ok((await resolveRef({ tag: '1.0.0-bb.0' })).r);
  assert.equal(versionOf(tag.dir), '1.0.0-bb.0');
  assert.match(tag.source, new RegExp(`1\\.0\\.0-bb\\.0@sha1:${repo.commits['1.0.0-bb.0']} chart$`));
  assert.equal(versionOf(ok((await resolveRef({ branch: 'develop' })).r).dir), '1.2.1-dev');
  assert.equal(versionOf(ok((await resolveRef({ branch: 'main', commit: repo.commits['1.1.0'] })).r).dir), '1.1.0');
  assert.equal(versionOf(ok((await resolveRef({ commit: repo.commits['1.3.0'] })).r).dir), '1.3.0');
});

test('semver ranges pick the highest matching tag; prereleases only when the range names one', async () => {
  assert.equal(versionOf(ok((await resolveRef({ semver: '>=1.0.0 <2.0.0' })).r).dir), '1.3.0');
  assert.equal(versionOf(ok((await resolveRef({ semver: '>=1.0.0, <1.3.0' })).r).dir), '1.1.0');
  assert.equal(versionOf(ok((await resolveRef({ semver: '~1.2.0-0' })).r).dir), '1.2.0-bb.1');
  const none = (await resolveRef({ semver: '1.2.x' })).r;
  assert.ok('error' in none);
  assert.match(none.error, /no tag of file:\/\/.* matches semver "1\.2\.x"/);
});

test('when several refs are set: commit > name > semver > tag > branch', async () => {
  const v = async (ref: Record<string, string>) => versionOf(ok((await resolveRef(ref)).r).dir);
  assert.equal(await v({ branch: 'develop', tag: '1.0.0-bb.0' }), '1.0.0-bb.0');
  assert.equal(await v({ branch: 'develop', tag: '1.0.0-bb.0', semver: '>=1.0.0 <2.0.0' }), '1.3.0');
  assert.equal(await v({ tag: '1.0.0-bb.0', semver: '>=1.0.0 <2.0.0', name: 'refs/tags/1.1.0' }), '1.1.0');
  assert.equal(await v({ name: 'refs/heads/develop', commit: repo.commits['1.0.0-bb.0'], branch: 'main' }), '1.0.0-bb.0');
  // no ref at all means branch master, which this repository does not have
  const dflt = (await resolveRef({})).r;
  assert.ok('error' in dflt && /branch master not found in file:/.test(dflt.error));
});

test('spec.ignore is added to Flux default exclusions and .sourceignore', async () => {
  const { dir } = ok((await resolveRef({ tag: '1.1.0' }, {}, BB_IGNORE)).r);
  const top = join(dir, '..');
  assert.ok(existsSync(join(dir, 'templates', 'cm.yaml')));
  assert.ok(existsSync(join(dir, 'tests', 'scripts', 'test.sh')), 'negated pattern keeps the test script');
  for (const gone of ['chart/README.md', 'scripts/build.sh', 'docs/notes.txt', '.gitlab-ci.yml', 'chart/logo.png', '.git']) {
    assert.ok(!existsSync(join(top, gone)), `${gone} is excluded`);
  }
  assert.ok(!existsSync(join(dir, 'templates', 'skip.yaml')), '.sourceignore applies');
  // without spec.ignore the defaults still apply, and the rest stays
  const plain = ok((await resolveRef({ tag: '1.1.0' })).r).dir;
  assert.notEqual(plain, dir);
  assert.ok(existsSync(join(plain, 'README.md')) && !existsSync(join(plain, 'logo.png')));
});

test('a second resolve of the same refs fetches nothing; offline uses what is cached', async () => {
  const cacheDir = join(tempDir(), 'cache');
  const first = await resolveRef({ tag: '1.2.0-bb.1' }, { cacheDir });
  assert.ok(first.commands.some((c) => /^git .*fetch/.test(c)));
  const second = await resolveRef({ tag: '1.2.0-bb.1' }, { cacheDir });
  assert.equal(ok(second.r).dir, ok(first.r).dir);
  assert.deepEqual(
    second.commands.filter((c) => /^git .*\b(clone|fetch)\b/.test(c)),
    [],
  );
  assert.deepEqual(
    second.commands.map((c) => c.split(' ').slice(0, 2).join(' ')),
    ['git ls-remote'],
  );
  const offline = await resolveRef({ tag: '1.2.0-bb.1' }, { cacheDir, offline: true });
  assert.equal(ok(offline.r).dir, ok(first.r).dir);
  assert.deepEqual(offline.commands, []);
  // a commit ref needs no lookup at all once cached
  await resolveRef({ commit: repo.commits['1.1.0'] }, { cacheDir });
  assert.deepEqual((await resolveRef({ commit: repo.commits['1.1.0'] }, { cacheDir })).commands, []);
});

test('offline with an empty cache is an error result, without running anything', async () => {
  const { r, commands } = await resolveRef({ tag: '1.1.0' }, { cacheDir: join(tempDir(), 'empty'), offline: true });
  assert.ok('error' in r);
  assert.match(r.error, /^pkg: not rendered: offline, and the refs of file:\/\/\S+ are not in the cache .*; pass --chart pkg=DIR$/);
  assert.deepEqual(commands, []);
  const byCommit = await resolveRef({ commit: repo.commits['1.1.0'] }, { cacheDir: join(tempDir(), 'empty'), offline: true });
  assert.ok('error' in byCommit.r && /offline, and file:\/\/\S+ at sha1:[0-9a-f]{40} is not in the cache/.test(byCommit.r.error));
  assert.deepEqual(byCommit.commands, []);
});

test('a missing repository gives one line naming the package and --chart; credentials never show', async () => {
  const hr = helmRelease('kiali', gitChart('kiali'));
  const r = await resolveChart(hr, [gitRepository('kiali', `file://${root}/missing.git`, { tag: '1.0.0' })], {
    cacheDir: join(root, 'cache'),
  });
  assert.ok('error' in r);
  assert.match(r.error, /^kiali: not rendered: git ls-remote file:\/\/\S+missing\.git failed: /);
  assert.match(r.error, /does not appear to be a git repository; pass --chart kiali=DIR$/);
  assert.ok(!r.error.includes('\n'));
  const secret = await resolveChart(hr, [gitRepository('kiali', 'https://bb-user:s3cr3t-token@127.0.0.1:1/kiali.git', { tag: '1.0.0' })], {
    cacheDir: join(root, 'cache'),
    onCommand: (c) => assert.ok(!c.includes('s3cr3t'), c),
  });
  assert.ok('error' in secret);
  assert.ok(!secret.error.includes('s3cr3t'), secret.error);
  assert.match(secret.error, /git ls-remote https:\/\/127\.0\.0\.1:1\/kiali\.git failed: .*; pass --chart kiali=DIR$/);
});

test('many releases on one source share one fetch; --chart overrides win; unvendored dependencies are built', async () => {
  const commands: string[] = [];
  const depsUrl = makeDependencyRepo(root);
  const sources = [gitRepository('pkg', repo.url, { tag: '1.3.0' }), gitRepository('deps', depsUrl, { branch: 'main' })];
  const hrs = [
    helmRelease('a', gitChart('pkg')),
    helmRelease('b', gitChart('pkg')),
    helmRelease('c', gitChart('pkg')),
    helmRelease('d', gitChart('deps')),
  ];
  const results = await resolveCharts(hrs, sources, {
    cacheDir: join(tempDir(), 'cache'),
    concurrency: 3,
    localCharts: { c: ok((await resolveRef({ tag: '1.0.0-bb.0' })).r).dir },
    onCommand: (c) => commands.push(c),
  });
  const [a, b, c, d] = results.map(ok);
  assert.equal(a.dir, b.dir);
  assert.equal(versionOf(a.dir), '1.3.0');
  assert.equal(versionOf(c.dir), '1.0.0-bb.0');
  assert.match(c.source, /^local /);
  assert.equal(commands.filter((x) => /^git .* fetch .*pkg\.git/.test(x)).length, 1);
  assert.deepEqual(readdirSync(join(d.dir, 'charts')), ['common-0.1.0.tgz']);
  assert.ok(commands.some((x) => /^helm dependency build/.test(x)));
});
