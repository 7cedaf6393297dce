import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandLine, errorLine, redactUrls, stripCredentials } from '../../../src/sources/flux/exec.js';
import { mapLimit } from '../../../src/sources/flux/limit.js';

test('credentials in URLs never reach the output; SSH users and plain URLs stay readable', () => {
  const cases: Array<[string, string]> = [
    ['https://bb-user:glpat-s3cr3t@repo1.dso.mil/big-bang/kiali.git', 'https://***@repo1.dso.mil/big-bang/kiali.git'],
    ['clone https://ghp_token@github.com/x/y failed', 'clone https://***@github.com/x/y failed'],
    ['ssh://git@repo1.dso.mil/big-bang/kiali.git', 'ssh://git@repo1.dso.mil/big-bang/kiali.git'],
    ['ssh://git:pw@host/r.git', 'ssh://***@host/r.git'],
    ['oci://registry1.dso.mil/bigbang', 'oci://registry1.dso.mil/bigbang'],
  ];
  for (const [input, want] of cases) assert.equal(redactUrls(input), want);
  assert.equal(stripCredentials('https://u:p@host/r.git'), 'https://host/r.git');
  assert.equal(stripCredentials('ssh://git@host/r.git'), 'ssh://git@host/r.git');
  assert.equal(commandLine('/usr/bin/git', ['ls-remote', 'https://u:p@h/r', 'a b']), "git ls-remote https://***@h/r 'a b'");
});

test("a tool's error output becomes one line: the fatal/error line, without the prefix", () => {
  const git = "fatal: repository 'https://u:p@h/r.git/' not found\n\nPlease make sure you have the correct access rights\n";
  assert.equal(errorLine(git), "repository 'https://***@h/r.git/' not found");
  assert.equal(
    errorLine('WARNING: x\nError: chart "nope" not found in http://127.0.0.1 repository\n'),
    'chart "nope" not found in http://127.0.0.1 repository',
  );
});

test('mapLimit keeps input order and never runs more than the limit at once', async () => {
  let running = 0;
  let peak = 0;
  const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (ms, i) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, ms));
    running--;
    return i;
  });
  assert.deepEqual(out, [0, 1, 2, 3, 4, 5]);
  assert.equal(peak, 2);
});
