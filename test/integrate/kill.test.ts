// The kill test: integrate killed (SIGKILL, and SIGINT) at every write and rename point of its
// transaction, then a bbmesh command run on the package: the tree is the old or the new one byte for
// byte, no staging or temp file remains, and the chart renders with real Helm. Runs the built CLI and
// library (`npm run build`, which `npm test` does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { copyPackage, find, PODINFO, render, ROOT } from './helpers.js';

const CHILD = join(ROOT, 'test', 'integrate', 'kill-child.mjs');
const BIN = join(ROOT, 'bin', 'bbmesh.js');

/** Every file (bytes) and directory under `dir`. */
function tree(dir: string): Map<string, Buffer | 'dir'> {
  const out = new Map<string, Buffer | 'dir'>();
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      const rel = relative(dir, p);
      if (statSync(p).isDirectory()) {
        out.set(rel + '/', 'dir');
        walk(p);
      } else out.set(rel, readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

function same(a: Map<string, Buffer | 'dir'>, b: Map<string, Buffer | 'dir'>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined || (v === 'dir' ? w !== 'dir' : w === 'dir' || !v.equals(w))) return false;
  }
  return true;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** Runs the child, sending `signal` once it pauses at point `at`; never longer than a minute. */
function runChild(dir: string, at: number, signal?: NodeJS.Signals): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CHILD, dir, String(at)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let sent = false;
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (signal && !sent && out.includes(`PAUSED ${at}\n`)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (code, sig) => {
      clearTimeout(guard);
      resolve({ code, signal: sig, out, err });
    });
  });
}

test('integrate killed at every write and rename point (Ctrl-C at each phase) leaves the old or the new tree, and the next command says which', async (t) => {
  if (!existsSync(join(ROOT, 'dist', 'index.js')) || !existsSync(join(ROOT, 'dist', 'bundle', 'main.js')))
    assert.fail('run `npm run build` first: this test runs the built CLI and library');
  const oldTree = tree(PODINFO);
  const full = copyPackage(PODINFO);
  const whole = await runChild(full, -1);
  assert.match(whole.out, /DONE\n$/, whole.err);
  const newTree = tree(full);
  const points = [...whole.out.matchAll(/^POINT (\d+) (.*)$/gm)].map((m) => m[2]);
  assert.ok(points.length >= 20, `every write and rename is a point (${points.length})`);
  assert.ok(points.includes('journal in place') && points.filter((p) => p.startsWith('rename ')).length === 6);

  // Each case ends in one of two trees, byte for byte: both render (checked once each, at the end).
  const settled = new Set<'old' | 'new'>();
  for (const signal of ['SIGKILL', 'SIGINT'] as const) {
    for (const [n, label] of points.entries()) {
      // Ctrl-C takes the same path at every staging write: the first and the last stand for them.
      const staging = /^(stage|back up) /;
      if (signal === 'SIGINT' && staging.test(label) && staging.test(points[n - 1] ?? '') && staging.test(points[n + 1] ?? '')) continue;
      await t.test(`${signal} at ${n} (${label})`, async () => {
        const dir = copyPackage(PODINFO);
        const r = await runChild(dir, n, signal);
        assert.equal(r.signal, signal, `the child died of ${signal} (${r.code}): ${r.err}`);
        // Any bbmesh command: here integrate --dry-run, which settles what it finds first.
        const next = spawnSync(process.execPath, [BIN, 'integrate', dir, '--dry-run'], {
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1' },
        });
        assert.equal(next.status, 0, next.stderr);
        const now = tree(dir);
        const isOld = same(now, oldTree);
        const isNew = same(now, newTree);
        assert.ok(isOld || isNew, `after ${signal} at "${label}" the tree is neither the old nor the new one`);
        assert.equal(existsSync(join(dir, '.bbmesh')), false, 'no staging directory remains');
        assert.deepEqual(
          [...now.keys()].filter((k) => /bbmesh|\.tmp$|restore/.test(k)),
          [],
          'no temp file remains',
        );
        if (signal === 'SIGINT' && label !== 'journal removed') {
          assert.ok(isOld, 'SIGINT during the commit rolls back');
          assert.match(r.err, /interrupted by SIGINT: integrate rolled back/);
          assert.equal(next.stderr, '', 'nothing left for the next command to settle');
        } else {
          // The next command says what it did with what the killed run left.
          if (label === 'journal removed') assert.match(next.stderr, /had written all 6 file\(s\): removed its staging files/);
          else if (n >= points.indexOf('journal in place'))
            assert.match(
              next.stderr,
              isNew ? /had written all 6 file\(s\): completed it/ : /was rolled back: .* restored|had not changed any file yet/,
            );
          else assert.match(next.stderr, /removed the staging files of an interrupted bbmesh integrate .* it had not changed any file/);
          assert.equal(
            isNew,
            label === 'journal removed' || label === points[points.length - 2],
            'completed only when all 6 files were in place',
          );
        }
        assert.equal(isNew, /already integrated/.test(next.stdout));
        settled.add(isNew ? 'new' : 'old');
      });
    }
  }
  assert.deepEqual([...settled].sort(), ['new', 'old'], 'some kills roll back, some complete');
  assert.equal(find(await render(copyPackage(PODINFO), ['istio.enabled=true']), 'VirtualService').length, 0, 'the old tree renders');
  assert.equal(find(await render(full, ['istio.enabled=true']), 'VirtualService').length, 1, 'the new tree renders');
});
