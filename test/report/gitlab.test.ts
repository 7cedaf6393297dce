// GitLab's formats: Code Quality (against the fields GitLab documents for its merge-request widget),
// the markdown merge-request report (findings table, the trace diagram of every failing host), and
// JUnit `file` attributes. Paths are relative to the repository root.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import { cli, EXAMPLE, ROOT, tempDir } from '../helpers/pkg.js';
import { INTEGRATED } from '../check/helpers.js';

const built = existsSync(join(ROOT, 'dist', 'bundle', 'main.js'));
const skip = !built && 'npm run build first';

// GitLab's Code Quality report: an array of issues with these required fields
// (docs.gitlab.com, ci/testing/code_quality, "Code Quality report format").
const CODE_QUALITY = {
  type: 'array',
  items: {
    type: 'object',
    required: ['description', 'check_name', 'fingerprint', 'severity', 'location'],
    properties: {
      description: { type: 'string', minLength: 1 },
      check_name: { type: 'string', minLength: 1 },
      fingerprint: { type: 'string', minLength: 1 },
      severity: { enum: ['info', 'minor', 'major', 'critical', 'blocker'] },
      location: {
        type: 'object',
        required: ['path', 'lines'],
        properties: {
          path: { type: 'string', minLength: 1, not: { pattern: '^(/|\\.\\./)' } },
          lines: { type: 'object', required: ['begin'], properties: { begin: { type: 'integer', minimum: 1 } } },
        },
      },
    },
  },
};
const ajv = new Ajv2020.default({ allErrors: true });
const validateCodeQuality = ajv.compile(CODE_QUALITY);

type Issue = { check_name: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } } };

function codeQuality(args: string[], opts: { cwd?: string; input?: string } = {}): Issue[] {
  const r = cli(['check', ...args, '-o', 'codequality'], opts);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const issues = JSON.parse(r.stdout) as Issue[];
  assert.ok(validateCodeQuality(issues), ajv.errorsText(validateCodeQuality.errors));
  return issues;
}

test('Code Quality for a package: GitLab fields, repository-relative paths, unique and stable fingerprints', { skip }, () => {
  const issues = codeQuality([EXAMPLE], { cwd: join(ROOT, 'examples') });
  const json = JSON.parse(cli(['check', EXAMPLE, '-o', 'json']).stdout) as { findings: Array<{ code: string; severity: string }> };
  assert.equal(issues.length, json.findings.length);
  assert.deepEqual(
    issues.map((i) => i.check_name),
    json.findings.map((f) => f.code),
  );
  for (const i of issues) {
    assert.ok(i.location.path.startsWith('examples/podinfo/'), i.location.path);
    assert.ok(existsSync(join(ROOT, i.location.path)), i.location.path);
  }
  const sev = Object.fromEntries(json.findings.map((f, n) => [f.severity, issues[n].severity]));
  if (sev.error) assert.equal(sev.error, 'critical');
  if (sev.warning) assert.equal(sev.warning, 'major');
  assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length);
  assert.deepEqual(
    codeQuality([EXAMPLE]).map((i) => i.fingerprint),
    issues.map((i) => i.fingerprint),
  );
});

test('Code Quality from stdin and for a clean package', { skip }, () => {
  const rendered = cli(['render', INTEGRATED]).stdout.replace('number: 9898', 'number: 9899');
  const issues = codeQuality(['-'], { input: rendered });
  assert.ok(issues.length > 0);
  for (const i of issues) assert.equal(i.location.path, 'stdin');
  assert.deepEqual(codeQuality([INTEGRATED]), []);
});

test('markdown: a findings table and the Mermaid trace of every failing host', { skip }, () => {
  const dir = tempDir();
  const broken = join(dir, 'podinfo.yaml');
  const text = readFileSync(join(ROOT, 'test', 'fixtures', 'trace', 'podinfo-integrated.yaml'), 'utf8');
  const mutated = text.replace(/number: 9898/g, 'number: 9899');
  assert.notEqual(mutated, text);
  writeFileSync(broken, mutated);
  const r = cli(['check', broken, '-o', 'markdown']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^### bbmesh check: manifests `.*podinfo\.yaml`$/m);
  assert.match(r.stdout, /\*\*❌ fails \(--fail-on warning\)\*\*/);
  assert.match(r.stdout, /^\| Severity \| Rule \| Object \| Where \| Finding \| Fix \|$/m);
  const rows = r.stdout.split('\n').filter((l) => /^\| (error|warning|info) \|/.test(l));
  assert.ok(rows.length > 0);
  for (const row of rows) assert.equal(row.split(/(?<!\\)\|/).length, 8, row); // six cells: no pipe leaks out of a cell
  assert.match(r.stdout, /#### Failing hosts \(1\)\n\n\*\*https:\/\/podinfo\.bigbang\.dev\/\*\* → /);
  assert.match(r.stdout, /```mermaid\n---\ntitle: "GET https:\/\/podinfo\.bigbang\.dev\/"\n---\nflowchart LR\n[\s\S]*?```/);

  const clean = cli(['check', INTEGRATED, '-o', 'markdown']);
  assert.equal(clean.code, 0, clean.stderr);
  assert.match(clean.stdout, /\*\*✅ passes/);
  assert.match(clean.stdout, /^No findings\.$/m);
  assert.doesNotMatch(clean.stdout, /```mermaid/);

  const stdin = cli(['check', '-', '-o', 'markdown'], { input: mutated });
  assert.match(stdin.stdout, /Host traces are not drawn for stdin input/);
});

test('JUnit: every testcase names a file relative to the repository root', { skip }, () => {
  const r = cli(['check', EXAMPLE, '-o', 'junit'], { cwd: join(ROOT, 'examples') });
  const cases = [...r.stdout.matchAll(/<testcase classname="bbmesh\.check\.(\w+)"[^>]*?(?: file="([^"]*)")?>/g)];
  assert.ok(cases.length > 10);
  for (const [, code, file] of cases) {
    assert.ok(file, `${code} has a file`);
    assert.ok(file.startsWith('examples/podinfo'), `${code}: ${file}`);
  }
  const failing = [...r.stdout.matchAll(/<testcase classname="bbmesh\.check\.(\w+)"[^>]*file="([^"]*)">\s*<failure/g)];
  assert.ok(failing.length > 0);
  for (const [, code, file] of failing) assert.ok(existsSync(join(ROOT, file)) && file !== 'examples/podinfo', `${code}: ${file}`);
});
