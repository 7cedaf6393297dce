// SARIF from a package, from files (inside and outside the repository) and from stdin validates
// against the SARIF 2.1.0 JSON Schema (vendored: test/fixtures/sarif) and, when it is installed,
// with Microsoft's SARIF validator; URIs are relative to the repository root, whatever the cwd.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { cli, EXAMPLE, ROOT, tempDir } from '../helpers/pkg.js';

const SCHEMA = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')) as object;
const ajv = new Ajv2020.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validateSchema = ajv.compile(SCHEMA);
const MULTITOOL = join(ROOT, 'node_modules', '.bin', 'sarif-multitool');
const built = existsSync(join(ROOT, 'dist', 'bundle', 'main.js'));

const BROKEN = `apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: shop
  namespace: shop
spec:
  gateways: [istio-system/main]
  hosts: [shop.bigbang.dev]
  http:
  - route:
    - destination: {host: web.shop.svc.cluster.local, port: {number: 80}}
`;

type Log = {
  runs: Array<{
    originalUriBaseIds: Record<string, { uri: string }>;
    results: Array<{ ruleId: string; locations: Array<{ physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string } } }> }>;
  }>;
};

function assertSchemaValid(text: string, what: string): Log {
  const log = JSON.parse(text) as Log;
  assert.ok(validateSchema(log), `${what}: ${ajv.errorsText(validateSchema.errors, { separator: '\n' })}`);
  return log;
}

/** Microsoft's validator (schema plus its SARIF1xxx rules): every error-level result it reports. */
function multitoolErrors(text: string): string[] {
  const dir = tempDir();
  const input = join(dir, 'in.sarif');
  const output = join(dir, 'out.sarif');
  writeFileSync(input, text);
  const r = spawnSync(MULTITOOL, ['validate', input, '-o', output], { encoding: 'utf8', timeout: 120_000 });
  assert.ok(existsSync(output), `sarif-multitool wrote nothing: ${r.stdout}${r.stderr}`);
  const out = JSON.parse(readFileSync(output, 'utf8')) as {
    runs: Array<{ results?: Array<{ level?: string; ruleId: string; message: { arguments?: string[] } }> }>;
  };
  rmSync(dir, { recursive: true, force: true });
  return (out.runs[0].results ?? []).filter((x) => x.level === 'error').map((x) => `${x.ruleId} ${(x.message.arguments ?? []).join(' ')}`);
}

const uris = (log: Log) => log.runs[0].results.flatMap((r) => r.locations.map((l) => l.physicalLocation?.artifactLocation));

test('the validator is live: a <stdin> URI, as bbmesh used to write, is rejected', () => {
  const bad = {
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'x' } },
        results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: '<stdin>' } } }] }],
      },
    ],
  };
  assert.equal(validateSchema(bad), false);
  assert.match(ajv.errorsText(validateSchema.errors), /uri-reference/);
});

test(
  'SARIF from a package, run from a subdirectory: valid, URIs relative to the repository root',
  { skip: !built && 'npm run build first' },
  () => {
    const r = cli(['check', EXAMPLE, '-o', 'sarif'], { cwd: join(ROOT, 'examples') });
    assert.equal(r.code, 1, r.stderr);
    const log = assertSchemaValid(r.stdout, 'package');
    assert.equal(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri, `file://${ROOT}/`);
    const located = uris(log).filter((u) => u);
    assert.ok(located.length > 0);
    for (const u of located) {
      assert.equal(u!.uriBaseId, '%SRCROOT%');
      assert.ok(u!.uri.startsWith('examples/podinfo/'), u!.uri);
      assert.ok(existsSync(join(ROOT, decodeURIComponent(u!.uri))), `${u!.uri} names a file of the repository`);
    }
  },
);

test(
  'SARIF from files and from stdin: valid; stdin findings have logical locations only',
  { skip: !built && 'npm run build first' },
  () => {
    const dir = tempDir();
    const outside = join(dir, 'shop vs.yaml');
    writeFileSync(outside, BROKEN);
    const files = cli(['check', 'test/fixtures/trace/podinfo-integrated.yaml', outside, '-o', 'sarif']);
    const log = assertSchemaValid(files.stdout, 'files');
    const found = uris(log).map((u) => u?.uri);
    assert.ok(found.includes('test/fixtures/trace/podinfo-integrated.yaml'), found.join(', '));
    assert.ok(found.includes(`file://${dir}/shop%20vs.yaml`), found.join(', '));

    const stdin = cli(['check', '-', '-o', 'sarif'], { input: BROKEN });
    assert.equal(stdin.code, 1, stdin.stderr);
    const s = assertSchemaValid(stdin.stdout, 'stdin');
    assert.ok(s.runs[0].results.some((x) => x.ruleId === 'BB008'));
    assert.deepEqual(uris(s).filter(Boolean), []);
    assert.doesNotMatch(stdin.stdout, /<stdin>/);

    if (!existsSync(MULTITOOL)) return;
    for (const [what, text] of [
      ['files', files.stdout],
      ['stdin', stdin.stdout],
    ])
      assert.deepEqual(multitoolErrors(text), [], what);
  },
);

test(
  "Microsoft's SARIF validator accepts the package's SARIF and rejects a <stdin> URI",
  { skip: (!existsSync(MULTITOOL) && 'sarif-multitool is not installed') || (!built && 'npm run build first') },
  () => {
    const r = cli(['check', EXAMPLE, '-o', 'sarif']);
    assert.deepEqual(multitoolErrors(r.stdout), []);
    const bad = r.stdout.replace(/"uri": "examples\/podinfo\/[^"]*"/, '"uri": "<stdin>"');
    assert.notEqual(bad, r.stdout);
    assert.match(multitoolErrors(bad).join('\n'), /SARIF1002/);
  },
);
