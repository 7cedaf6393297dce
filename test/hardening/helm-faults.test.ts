// A Helm that is too old, broken, not executable or missing is exit 2 with how to fix it: never a stack
// trace, never exit 1 (which reads as "findings") or 3 (a bug). Fake Helms are real executables here.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, tempCopy, tempDir } from '../helpers/pkg.js';

const dir = tempDir();
const script = (name: string, body: string, mode = 0o755): string => {
  const f = join(dir, name);
  writeFileSync(f, `#!/bin/sh\n${body}\n`);
  chmodSync(f, mode);
  return f;
};
const OLD = script('helm-3.5', 'echo v3.5.0+g32c2223');
const SILENT = script('helm-silent', 'exit 0');
const NOT_EXECUTABLE = script('helm-noexec', 'echo v3.18.0', 0o644);
const CRASHES = script('helm-crashes', 'case "$1" in version) echo v3.18.0+gabc;; *) echo "panic: runtime error" >&2; kill -9 $$;; esac');
const GARBAGE = join(dir, 'helm-garbage');
writeFileSync(GARBAGE, '\u007fELF garbage, not a program');
chmodSync(GARBAGE, 0o755);
const A_DIRECTORY = join(dir, 'helm-dir');
mkdirSync(A_DIRECTORY);
const pkg = tempCopy();

const FIX = /install Helm 3\.12\+ .*--helm PATH \/ set HELM_BIN/;

function assertHelmFault(args: string[], env: Record<string, string>, message: RegExp, what: string): void {
  const r = cli(args, { env });
  assert.equal(r.code, 2, `${what}: exit ${r.code}\n${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `${what}: one line, no stack trace:\n${r.stderr}`);
  assert.match(lines[0], /^bbmesh: /);
  assert.match(lines[0], message, what);
  assert.doesNotMatch(r.stderr, /^\s+at |internal error|node:internal/m, what);
}

const CASES: Array<[string, string, RegExp]> = [
  ['too old', OLD, /helm v3\.5\.0 at .*helm-3\.5 is too old: bbmesh needs Helm 3\.12\+ or 4\.x \(upgrade it: /],
  ['/bin/false', '/bin/false', /\/bin\/false is not a working Helm: `\/bin\/false version --short` exited with status 1/],
  ['no version printed', SILENT, /helm-silent is not a working Helm: .* printed no version/],
  ['not executable', NOT_EXECUTABLE, /cannot use helm at .*helm-noexec: it is not executable \(chmod \+x it\)/],
  ['not a program', GARBAGE, /helm-garbage(: not an executable| is not a working Helm)/],
  ['a directory', A_DIRECTORY, /cannot use helm at .*helm-dir: it is a directory/],
  ['missing', join(dir, 'no-such-helm'), /cannot use helm at .*no-such-helm: no such file or directory \(ENOENT\)/],
];

test('render with --helm and with HELM_BIN (the early-start path): every broken Helm is exit 2 with the fix', () => {
  for (const [what, helm, message] of CASES) {
    assertHelmFault(['render', pkg, '--helm', helm], {}, message, `${what} (--helm)`);
    assertHelmFault(['render', pkg], { HELM_BIN: helm }, message, `${what} (HELM_BIN)`);
  }
  // every message says how to get a working Helm
  for (const [, helm] of CASES) assert.match(cli(['render', pkg, '--helm', helm]).stderr, FIX);
});

test('check, trace and diagram on a package go through the same checks', () => {
  for (const args of [
    ['check', pkg],
    ['check', pkg, '-o', 'json'],
    ['trace', 'https://podinfo.bigbang.dev/', pkg],
    ['diagram', pkg],
  ]) {
    assertHelmFault([...args, '--helm', OLD], {}, /is too old/, `${args[0]} with an old Helm`);
    assertHelmFault([...args, '--helm', NOT_EXECUTABLE], {}, /not executable/, `${args[0]} with a non-executable Helm`);
  }
});

test('a Helm that passes the version check but dies while rendering is exit 2 with what Helm said', () => {
  const r = cli(['render', pkg, '--helm', CRASHES]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^bbmesh: helm template failed in .*: panic: runtime error/);
  assert.doesNotMatch(r.stderr, /^\s+at /m);
});

test('--debug adds the stack frames of the error, still exit 2', () => {
  const r = cli(['render', pkg, '--helm', OLD, '--debug']);
  assert.equal(r.code, 2);
  // --debug also prints each command it ran (helm version, the early stage-1 start) before the error
  assert.match(r.stderr, /^bbmesh: helm v3\.5\.0 .* is too old/m);
  assert.match(r.stderr, /\n\s+at /);
});
