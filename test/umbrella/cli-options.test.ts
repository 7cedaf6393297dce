// The umbrella flags module the CLI commands wire in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { inputsOf } from '../../src/cli/common.js';
import { addUmbrellaOptions, explicitLayout, progressLine, umbrellaLines, umbrellaOptionsFrom } from '../../src/cli/umbrella-options.js';
import { UserError } from '../../src/core/errors.js';
import { tempDir } from '../helpers/pkg.js';
import { UMBRELLA } from './fixtures.js';

function parse(args: string[], withPackage = false): { cmd: Command; o: Record<string, unknown> } {
  const cmd = new Command('check').exitOverride().argument('[dir]').option('--layout <layout>', 'layout', 'bb2');
  if (withPackage) cmd.option('--package <name>', 'the dev-layout flag');
  addUmbrellaOptions(cmd);
  cmd.parse(args, { from: 'user' });
  return { cmd, o: cmd.opts() };
}

test('the flags become the library option; --chart repeats; --layout counts only when given', () => {
  const a = tempDir();
  const b = tempDir();
  const { cmd, o } = parse(['--umbrella', UMBRELLA, '--package', 'kiali', '--chart', `kiali=${a}`, '--chart', `istiod=${b}`, '--offline']);
  assert.equal(explicitLayout(cmd), undefined, 'the default bb2 must not beat the umbrella');
  assert.deepEqual(umbrellaOptionsFrom(o, { layout: explicitLayout(cmd) }), {
    dir: UMBRELLA,
    package: 'kiali',
    charts: { kiali: a, istiod: b },
    offline: true,
    layout: undefined,
    onProgress: undefined,
    onCommand: undefined,
  });
  assert.equal(explicitLayout(parse(['--layout', 'bb3']).cmd), 'bb3');
  assert.equal(umbrellaOptionsFrom(parse([]).o), undefined);
});

test('a command that has --package already keeps it; bad flags are usage errors', () => {
  const { cmd } = parse(['--package', 'x'], true);
  assert.equal(cmd.options.filter((opt) => opt.long === '--package').length, 1);
  assert.throws(
    () => parse(['--chart', 'kiali']),
    (e: unknown) => e instanceof UserError && /expected NAME=DIR/.test(e.message),
  );
  assert.throws(() => parse(['--chart', 'kiali=/nonexistent/dir']), /directory not found/);
  assert.throws(() => umbrellaOptionsFrom(parse(['--offline']).o), /--chart and --offline need --umbrella DIR/);
});

test('what the umbrella read, and the progress line only on a TTY', () => {
  assert.deepEqual(
    umbrellaLines({
      chartDir: '/x',
      version: '3.1.0',
      layout: 'bb3',
      domain: 'd',
      gateways: [],
      kubeVersion: '1.32.0',
      notes: ['kiali is off'],
      description: 'read: umbrella 3.1.0',
    }),
    ['read: umbrella 3.1.0', 'note: kiali is off'],
  );
  const out: string[] = [];
  const fake = { isTTY: false, columns: 80, write: (s: string) => out.push(s) } as unknown as NodeJS.WriteStream;
  const p = progressLine(fake);
  p.onProgress({ phase: 'fetch', done: 1, total: 2, release: 'kiali' });
  p.end();
  assert.deepEqual(out, []);
});

test('on a TTY the progress line appears after a second of work and is erased at the end', async () => {
  const out: string[] = [];
  const tty = { isTTY: true, columns: 80, write: (s: string) => out.push(s) } as unknown as NodeJS.WriteStream;
  const p = progressLine(tty);
  p.onProgress({ phase: 'fetch', done: 1, total: 3, release: 'istiod' });
  assert.deepEqual(out, [], 'quick work draws nothing');
  await new Promise((r) => setTimeout(r, 1050));
  p.onProgress({ phase: 'render', done: 1, total: 3, release: 'istiod' });
  p.end();
  assert.deepEqual(out, ['\r\x1b[2Kfetched 1/3, rendered 1/3 (istiod)', '\r\x1b[2K']);
});

test('inputs with --umbrella: none is the whole deployment; value flags are the umbrella values for manifest files', () => {
  const file = join(tempDir(), 'a.yaml');
  writeFileSync(file, 'kind: Namespace\n');
  assert.deepEqual(inputsOf([], { umbrella: UMBRELLA }, 'check'), { kind: 'deployment' });
  assert.throws(
    () => inputsOf([], {}, 'check'),
    (e: unknown) => e instanceof UserError && /^nothing to check \(.*or --umbrella DIR for a whole deployment\)$/.test(e.format()),
  );
  assert.deepEqual(inputsOf([file], { umbrella: UMBRELLA, values: ['env.yaml'] }, 'check'), { kind: 'files', files: [file] });
  assert.throws(() => inputsOf([file], { values: ['env.yaml'] }, 'check'), /-f\/--values and --set\* are values for rendering a package/);
  assert.throws(() => inputsOf([], { umbrella: UMBRELLA, namespace: 'x' }, 'check'), /-n\/--namespace applies to manifest files/);
});
