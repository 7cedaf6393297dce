import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SourceCache, cacheKey, defaultCacheDir } from '../../../src/sources/flux/cache.js';
import { ROOT, tempDir } from '../../helpers/pkg.js';

test('the cache lives under $XDG_CACHE_HOME/bbmesh, else ~/.cache/bbmesh', () => {
  const saved = process.env.XDG_CACHE_HOME;
  try {
    process.env.XDG_CACHE_HOME = '/var/tmp/xdg';
    assert.equal(defaultCacheDir(), '/var/tmp/xdg/bbmesh');
    delete process.env.XDG_CACHE_HOME;
    assert.match(defaultCacheDir(), /\/\.cache\/bbmesh$/);
  } finally {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
  }
});

test('an entry appears whole or not at all: a failing fill leaves nothing behind', async () => {
  const cache = new SourceCache(join(tempDir(), 'c'));
  const key = cacheKey(['git', 'https://example.test/x.git', 'abc']);
  await assert.rejects(
    cache.put(key, { kind: 'git', url: 'u', revision: 'r' }, async (dir) => {
      writeFileSync(join(dir, 'half'), 'x');
      throw new Error('network dropped');
    }),
    /network dropped/,
  );
  assert.equal(cache.get(key), undefined);
  assert.deepEqual(readdirSync(join(cache.root, 'tmp')), []);
  const dir = await cache.put(key, { kind: 'git', url: 'u', revision: 'r' }, async (d) => writeFileSync(join(d, 'whole'), 'x'));
  assert.ok(existsSync(join(dir, 'whole')));
  // a second put of the same key keeps the first entry and does not call fill
  assert.equal(await cache.put(key, { kind: 'git', url: 'u', revision: 'r' }, async () => assert.fail('filled twice')), dir);
});

test('a process killed in the middle of a fetch leaves no entry, and the next run fills it', async () => {
  const root = join(tempDir(), 'c');
  const key = cacheKey(['killed']);
  const mod = pathToFileURL(join(ROOT, 'src/sources/flux/cache.ts')).href;
  const script = `
    import { writeFileSync } from 'node:fs';
    import { join } from 'node:path';
    const { SourceCache } = await import(${JSON.stringify(mod)});
    await new SourceCache(${JSON.stringify(root)}).put(${JSON.stringify(key)}, { kind: 'git', url: 'u', revision: 'r' }, async (dir) => {
      writeFileSync(join(dir, 'partial'), 'x');
      process.stdout.write('filling\\n');
      await new Promise(() => setTimeout(() => {}, 60_000));
    });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('child never started filling')), 20_000);
    child.stdout.on('data', (b: Buffer) => {
      if (b.toString().includes('filling')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.on('close', r));
  const cache = new SourceCache(root);
  assert.equal(cache.get(key), undefined);
  assert.ok(!existsSync(cache.entryDir(key)));
  const dir = await cache.put(key, { kind: 'git', url: 'u', revision: 'r' }, async (d) => writeFileSync(join(d, 'complete'), 'x'));
  assert.deepEqual(readdirSync(dir), ['complete']);
});

test('records (the refs of a URL) round-trip and are keyed by name', () => {
  const cache = new SourceCache(join(tempDir(), 'c'));
  assert.equal(cache.readRecord('git-refs:a'), undefined);
  cache.writeRecord('git-refs:a', { refs: { 'refs/heads/main': 'f'.repeat(40) } });
  assert.deepEqual(cache.readRecord('git-refs:a'), { refs: { 'refs/heads/main': 'f'.repeat(40) } });
  assert.equal(cache.readRecord('git-refs:b'), undefined);
});
