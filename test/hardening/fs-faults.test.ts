// Ordinary file-system faults (issue 12 item 9) are exit 2 with the path and the reason, never
// "internal error" (exit 3); and text from the input never reaches the terminal raw.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, EXAMPLE, ROOT, tempCopy, tempDir, type CliResult } from '../helpers/pkg.js';
import { deepFlow } from './hostile.js';

const MESH = readFileSync(join(ROOT, 'test', 'fixtures', 'trace', 'podinfo-integrated.yaml'), 'utf8');
const dir = tempDir();

function assertFault(r: CliResult, message: RegExp, what: string): void {
  assert.equal(r.code, 2, `${what}: exit ${r.code}\n${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `${what}: one line:\n${r.stderr}`);
  assert.match(lines[0], /^bbmesh: /);
  assert.doesNotMatch(r.stderr, /internal error|please report/, what);
  assert.match(lines[0], message, what);
}

test('-f on a directory, a dangling symlink, a symlink loop or a missing file: exit 2 naming the path', () => {
  const dangling = join(dir, 'dangling.yaml');
  symlinkSync(join(dir, 'gone.yaml'), dangling);
  const loopA = join(dir, 'loop-a.yaml');
  symlinkSync(join(dir, 'loop-b.yaml'), loopA);
  symlinkSync(loopA, join(dir, 'loop-b.yaml'));
  // a directory is a package directory now (positional inputs): it names what a package needs
  assertFault(cli(['check', dir]), new RegExp(`bigbang/ dev chart not found: ${dir}/bigbang \\(run \`bbmesh integrate\``), 'a directory');
  assertFault(cli(['check', dangling]), new RegExp(`file ${dangling} is a dangling symbolic link \\(to ${dir}/gone\\.yaml\\)`), 'dangling');
  assertFault(cli(['check', loopA]), new RegExp(`cannot read file ${loopA}: too many levels of symbolic links .*\\(ELOOP\\)`), 'loop');
  assertFault(cli(['check', join(dir, 'nope.yaml')]), /not found: .*nope\.yaml/, 'missing');
  assertFault(cli(['trace', 'https://a.example/', dir]), /bigbang\/ dev chart not found/, 'trace a directory');
  assertFault(
    cli(['verify', '--snapshot', dangling, '--package', 'podinfo']),
    /snapshot .*dangling\.yaml is a dangling symbolic link/,
    'verify',
  );
  assertFault(cli(['render', EXAMPLE, '--values', dir]), /values file .* is a directory \(give a file\)/, 'render --values a directory');
});

test('a dangling symlink, a symlink loop or a self-link in templates/: exit 2 with Helm reason and the path, shortened', () => {
  const cases: Array<[string, (templates: string) => void, RegExp]> = [
    [
      'dangling',
      (t) => symlinkSync('/nonexistent/x.yaml', join(t, 'dangling.yaml')),
      /templates\/dangling\.yaml: lstat \/nonexistent: no such file/,
    ],
    ['loop', (t) => symlinkSync('..', join(t, 'loop')), /templates\/loop\/templates\/loop\/…: too many levels of symbolic links/],
    ['self', (t) => symlinkSync('self', join(t, 'self')), /templates\/self: EvalSymlinks: too many links/],
  ];
  for (const [what, make, message] of cases) {
    const pkg = tempCopy();
    make(join(pkg, 'chart', 'templates'));
    const r = cli(['render', pkg]);
    assertFault(r, message, `render with a ${what} link`);
    assert.ok(r.stderr.length < 1000, `${what}: ${r.stderr.length} characters`);
    assertFault(cli(['check', pkg]), message, `check with a ${what} link`);
  }
});

test('a 300-character --package: exit 2 with the reason (integrate, render, check)', () => {
  const name = 'a'.repeat(300);
  const chartOnly = join(tempDir(), 'pkg');
  mkdirSync(chartOnly);
  cpSync(join(EXAMPLE, 'chart'), join(chartOnly, 'chart'), { recursive: true });
  spawnSync('git', ['init', '-q'], { cwd: chartOnly });
  spawnSync('git', ['add', '-A'], { cwd: chartOnly });
  spawnSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'chart'], { cwd: chartOnly });
  const r = cli(['integrate', chartOnly, '--package', name]);
  assertFault(r, /invalid package name "a+" \(pass --package with a DNS-1123 name of at most 53 characters/, 'integrate');
  assertFault(cli(['render', EXAMPLE, '--package', name]), /invalid release name/, 'render');
  assertFault(cli(['check', EXAMPLE, '--package', name]), /invalid release name/, 'check');
});

/** The CLI as an unprivileged user when the tests run as root (root reads every file). */
function unprivileged(args: string[], cwd = ROOT): CliResult {
  const asRoot = process.getuid?.() === 0;
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'bbmesh.js'), ...args], {
    encoding: 'utf8',
    cwd,
    env: { ...process.env, NO_COLOR: '1', HOME: '/tmp' },
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

// As root, permission faults are simulated as uid 65534, which must be able to run this checkout (not so in a 0700 directory).
const unprivilegedRuns =
  process.getuid?.() !== 0 ||
  spawnSync(process.execPath, [join(ROOT, 'bin', 'bbmesh.js'), '--version'], { uid: 65534, gid: 65534 }).status === 0;

test(
  'permission errors: an unreadable input, values file or template, an unwritable package: exit 2, path and reason',
  { skip: !unprivilegedRuns && 'this checkout is not readable by uid 65534, which runs the CLI when the tests run as root' },
  () => {
    const secretDir = tempDir();
    chmodSync(secretDir, 0o755);
    const unreadable = join(secretDir, 'private.yaml');
    writeFileSync(unreadable, MESH);
    chmodSync(unreadable, 0o600);
    if (process.getuid?.() !== 0) chmodSync(unreadable, 0o000);
    assertFault(
      unprivileged(['check', unreadable]),
      new RegExp(`cannot read file ${unreadable}: permission denied \\(EACCES\\)`),
      'check -f',
    );
    assertFault(
      unprivileged(['verify', '--snapshot', unreadable, '--package', 'podinfo']),
      /cannot read snapshot .*private\.yaml: permission denied \(EACCES\)/,
      'verify --snapshot',
    );

    const pkg = tempCopy();
    for (const d of [join(pkg, '..'), pkg]) chmodSync(d, 0o755);
    const values = join(pkg, 'bigbang', 'values.yaml');
    chmodSync(values, 0o600);
    if (process.getuid?.() !== 0) chmodSync(values, 0o000);
    assertFault(unprivileged(['render', pkg]), /values\.yaml: .*permission denied/, 'render with unreadable values');
    chmodSync(values, 0o644);
    const template = join(pkg, 'chart', 'templates', 'service.yaml');
    chmodSync(template, 0o600);
    if (process.getuid?.() !== 0) chmodSync(template, 0o000);
    assertFault(unprivileged(['render', pkg]), /service\.yaml: permission denied/, 'render with an unreadable template');
    chmodSync(template, 0o644);

    // integrate into a package the user may not write (root owns it)
    rmSync(join(pkg, 'bigbang'), { recursive: true, force: true });
    spawnSync('git', ['init', '-q'], { cwd: pkg });
    spawnSync('git', ['add', '-A'], { cwd: pkg });
    spawnSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'x'], { cwd: pkg });
    if (process.getuid?.() !== 0) chmodSync(pkg, 0o555);
    const r = unprivileged(['integrate', pkg, '--package', 'podinfo']);
    chmodSync(pkg, 0o755);
    // the transaction's journal is the first thing integrate writes: nothing of the package is touched
    assertFault(
      r,
      /cannot write \.bbmesh: permission denied \(EACCES\); nothing of the package changed/,
      'integrate into an unwritable package',
    );
  },
);

test('50,000-deep nesting is a clear exit 2 at its line, not a stack overflow at 1:1', () => {
  const f = join(dir, 'deep.yaml');
  writeFileSync(f, deepFlow(50_000));
  assertFault(cli(['check', f]), /deep\.yaml:4:507: mappings and sequences nest deeper than the nesting limit of 500 levels/, 'deep');
  assert.doesNotMatch(cli(['check', f]).stderr, /:1:1:|stack/);
});

test('a NUL byte is reported on its line, with the file', () => {
  const f = join(dir, 'nul.yaml');
  writeFileSync(f, `${MESH}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: "b\0c"\n`);
  const line = MESH.split('\n').length + 6;
  assertFault(cli(['check', f]), new RegExp(`nul\\.yaml:${line}:8: a NUL byte: YAML does not allow one`), 'NUL');
  assertFault(cli(['check', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\n\0' }), /<stdin>:3:1: a NUL byte/, 'NUL on stdin');
  const values = join(dir, 'nul-values.yaml');
  writeFileSync(values, 'a: 1\nb: "x\0"\n');
  assertFault(cli(['render', EXAMPLE, '--values', values]), /nul-values\.yaml:2:6: malformed YAML: a NUL byte/, 'NUL in a values file');
});

test('ESC, OSC and bidi characters in object names and file names never reach the terminal raw', () => {
  // YAML escapes write them: ESC (\e), BEL (\a), a C1 CSI (\x9b), a right-to-left override (\u202e).
  const name = String.raw`evil\e]0;pwned\a\e[2J\e[31m\u202e\x9b`;
  const evil = MESH.replace(/name: podinfo-podinfo\n {2}namespace: podinfo\n {2}labels/, `name: "${name}"\n  namespace: podinfo\n  labels`);
  assert.notEqual(evil, MESH);
  const f = join(dir, 'evil.yaml');
  writeFileSync(f, evil);
  const outputs = [cli(['check', f]), cli(['trace', 'https://podinfo.bigbang.dev/', f])];
  for (const r of outputs) {
    assert.ok([0, 1].includes(r.code), r.stderr);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(r.stdout + r.stderr, /[\u001b\u0007\u009b\u202e]/, 'no raw control characters');
  }
  assert.match(outputs[0].stdout, /evil\\e\]0;pwned\\x07\\e\[2J\\e\[31m\\u202e\\x9b/, 'check shows them escaped');
  // in an error message: a file name with an escape sequence
  const named = join(dir, 'bad\u001b[2J\u001b[31m.yaml');
  writeFileSync(named, 'a: [\n');
  const r = cli(['check', named]);
  assert.equal(r.code, 2);
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(r.stderr, /\u001b/);
  assert.match(r.stderr, /bad\\e\[2J\\e\[31m\.yaml/);
});

test('readText reads regular files whole and pipes to their end, as readFileSync would', async () => {
  const { readText } = await import('../../src/sources/files.js');
  const big = join(dir, 'big-regular.yaml');
  const text = `${MESH}\n---\n`.repeat(60) + 'ünïcode: yes\n';
  writeFileSync(big, text);
  assert.ok(Buffer.byteLength(text) > 4 * 64 * 1024, 'larger than the reads after the first');
  assert.equal(readText(big), readFileSync(big, 'utf8'));
  const fifo = join(dir, 'pipe.yaml');
  spawnSync('mkfifo', [fifo]);
  const writer = spawn('sh', ['-c', `cat '${big}' > '${fifo}'`]);
  assert.equal(readText(fifo), text);
  await new Promise((res) => writer.on('close', res));
});
