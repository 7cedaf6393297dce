// Bounded input, measured on the built CLI: check, render, trace and verify --snapshot on alias bombs,
// a 200 MB file, a 200 MB stream on stdin and /dev/zero stop with exit 2 and one line naming the input
// and the limit, within 2 s of CPU and 200 MB of memory, under a 200 MB V8 heap.
import assert from 'node:assert/strict';
import { closeSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, tempCopy, tempDir } from '../helpers/pkg.js';
import { aliasBomb, aliasChain, ALIAS_CYCLE, deepBlock, deepFlow } from './hostile.js';
import { measured, type Measured } from './measure.js';

const dir = tempDir();
const file = (name: string, text: string): string => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
const bomb7 = file('bomb7.yaml', aliasBomb(7));
const bomb9 = file('bomb9.yaml', aliasBomb(9));
const bomb9List = file('bomb9-list.yaml', `apiVersion: v1\nkind: List\nitems:\n- ${aliasBomb(9).replace(/\n/g, '\n  ')}`);
/** 200 MB as the file system reports it (sparse: the size check must come before any read). */
const big = join(dir, 'big.yaml');
const fd = openSync(big, 'w');
ftruncateSync(fd, 200 * 1024 * 1024);
closeSync(fd);
const pkg = tempCopy();

/** Exit 2, one `bbmesh:` line (no stack trace) matching `message`, within the time and memory bounds. */
function assertStopped(r: Measured, message: RegExp, what: string): void {
  assert.equal(r.code, 2, `${what}: exit ${r.code}\n${r.stderr.slice(0, 2000)}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `${what}: one line, no stack trace:\n${r.stderr}`);
  assert.match(lines[0], /^bbmesh: /);
  assert.match(lines[0], message, what);
  assert.ok(r.cpuMs < 2000, `${what}: ${r.cpuMs.toFixed(0)} ms of CPU`);
  assert.ok(r.maxRssMb < 200, `${what}: ${r.maxRssMb.toFixed(0)} MB resident`);
  // Wall time is shared with the rest of the machine: generous, but an unbounded run takes minutes.
  assert.ok(r.wallMs < 15000, `${what}: ${r.wallMs.toFixed(0)} ms`);
  assert.equal(r.stdout, '', `${what} prints nothing on stdout`);
}

const ALIAS = /alias limit of 100,000 values \(BBMESH_MAX_ALIAS_VALUES raises it\)/;
const INPUT = /input limit of 64 MiB \(BBMESH_MAX_INPUT_MB raises it\)/;

test('alias bombs (9^7, 9^9, in a List) stop check, trace and verify --snapshot at the alias limit', () => {
  for (const f of [bomb7, bomb9, bomb9List]) {
    const at = new RegExp(`${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: aliases expand the input`);
    assertStopped(measured(['check', f]), ALIAS, `check ${f}`);
    assertStopped(measured(['check', f, '-o', 'json']), at, `check ${f} -o json`);
    assertStopped(measured(['trace', 'https://podinfo.bigbang.dev/', f]), ALIAS, `trace ${f}`);
    assertStopped(measured(['verify', '--snapshot', f, '--package', 'podinfo']), ALIAS, `verify --snapshot ${f}`);
  }
  assertStopped(measured(['check', '-'], { stdinFrom: `cat '${bomb9}'` }), /<stdin>:\d+:\d+: aliases expand/, 'check - (stdin)');
});

test('alias bombs stop render: in a values file (bbmesh) and in a template (Helm refuses it first)', () => {
  assertStopped(measured(['render', pkg, '--values', bomb9]), ALIAS, 'render --values bomb');
  writeFileSync(join(pkg, 'chart', 'templates', 'bomb.yaml'), aliasBomb(7));
  try {
    assertStopped(measured(['render', pkg]), /excessive aliasing|alias limit/, 'render with a bomb template');
    assertStopped(measured(['check', pkg]), /excessive aliasing|alias limit/, 'check with a bomb template');
  } finally {
    writeFileSync(join(pkg, 'chart', 'templates', 'bomb.yaml'), '');
  }
});

test('a 200 MB file is refused by its size before it is read: check, trace, render --values, verify --snapshot', () => {
  assertStopped(measured(['check', big]), new RegExp(`${big}: 209,715,200 bytes, over the ${INPUT.source}`), 'check big');
  assertStopped(measured(['trace', 'https://podinfo.bigbang.dev/', big]), INPUT, 'trace big');
  assertStopped(measured(['render', pkg, '--values', big]), INPUT, 'render --values big');
  assertStopped(measured(['verify', '--snapshot', big, '--package', 'podinfo']), INPUT, 'verify --snapshot big');
});

test('a 200 MB stream on stdin stops at the input limit; /dev/zero stops at its first byte', () => {
  const stream = `head -c 209715200 /dev/zero | tr '\\000' 'a'`;
  assertStopped(
    measured(['check', '-'], { stdinFrom: stream }),
    new RegExp(`<stdin>: more than 67,108,864 bytes, over the ${INPUT.source}`),
    'check -',
  );
  assertStopped(measured(['check', '/dev/zero']), /\/dev\/zero:1:1: a NUL byte: YAML does not allow one/, 'check /dev/zero');
  assertStopped(measured(['verify', '--snapshot', '/dev/zero', '--package', 'podinfo']), /\/dev\/zero:1:1: a NUL byte/, 'verify /dev/zero');
  // Helm would read a device as a values file without end: refused before Helm runs.
  assertStopped(
    measured(['render', pkg, '--values', '/dev/zero']),
    /values file \/dev\/zero is not a regular file/,
    'render --values /dev/zero',
  );
  // A device without NUL bytes is read up to the limit, not without end.
  const r = measured(['check', '/dev/urandom'], { env: { BBMESH_MAX_INPUT_MB: '1' } });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /a NUL byte|over the input limit of 1 MiB/);
});

test('nesting 50,000 deep (flow and block), alias cycles and alias chains: exit 2 at the nesting limit, with the line', () => {
  const flow = file('deep-flow.yaml', deepFlow(50_000));
  const block = file('deep-block.yaml', deepBlock(50_000));
  const chain = file('chain.yaml', aliasChain(5_000));
  const cycle = file('cycle.yaml', ALIAS_CYCLE);
  const DEPTH = /deeper than the nesting limit of 500 levels \(BBMESH_MAX_DEPTH raises it\)/;
  assertStopped(measured(['check', flow]), new RegExp(`deep-flow\\.yaml:4:50\\d: mappings and sequences nest ${DEPTH.source}`), 'flow');
  assertStopped(measured(['check', block]), new RegExp(`deep-block\\.yaml:5:\\d+: mappings and sequences nest ${DEPTH.source}`), 'block');
  assertStopped(measured(['check', chain]), /chain\.yaml:6:\d+: aliases nest the document deeper than the nesting limit/, 'chain');
  assertStopped(measured(['check', cycle]), /cycle\.yaml:4:\d+: an alias names a mapping or sequence that contains it/, 'cycle');
  const json = file('deep.json', `{"apiVersion":"v1","kind":"List","items":[${'['.repeat(50_000)}${']'.repeat(50_000)}]}`);
  assertStopped(
    measured(['verify', '--snapshot', json, '--package', 'podinfo']),
    /deep\.json: the JSON nests deeper than the nesting limit/,
    'json',
  );
});

test('each limit is raised by its environment variable, and a bad value is exit 2', () => {
  const bomb6 = file('bomb6.yaml', aliasBomb(6)); // 1.1 million values once expanded
  assertStopped(measured(['check', bomb6]), ALIAS, 'default alias limit');
  const raised = measured(['check', bomb6, '-o', 'json'], { env: { BBMESH_MAX_ALIAS_VALUES: '5000000' } });
  assert.ok([0, 1].includes(raised.code), raised.stderr);
  assert.match(raised.stdout, /"schemaVersion"/);
  const fixture = join(ROOT, 'test', 'fixtures', 'trace', 'podinfo-integrated.yaml');
  assertStopped(measured(['check', fixture], { env: { BBMESH_MAX_INPUT_MB: '0.001' } }), /input limit of 0\.001 MiB/, 'input');
  assertStopped(measured(['check', fixture], { env: { BBMESH_MAX_DEPTH: '4' } }), /nesting limit of 4 levels/, 'depth');
  const doc = measured(['check', fixture], { env: { BBMESH_MAX_DOCUMENT_MB: '0.001' } });
  assertStopped(
    doc,
    /a YAML document of [\d,]+ characters, over the document limit of 0\.001 MiB \(BBMESH_MAX_DOCUMENT_MB raises it\)/,
    'document',
  );
  assertStopped(
    measured(['check', fixture], { env: { BBMESH_MAX_DEPTH: 'lots' } }),
    /BBMESH_MAX_DEPTH=lots is not a positive number/,
    'bad value',
  );
});
