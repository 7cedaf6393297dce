// The CLI (exit codes and formats), the diagram, and a trace through a real render of
// examples/podinfo after `integrate` (on a temporary copy).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildDiagram } from '../../src/analysis/trace/diagram.js';
import { tracePackage } from '../../src/analysis/trace/run.js';
import { FIXTURE, modelOf, mutate, PODINFO } from './helpers.js';

const BIN = 'bin/bbmesh.js';
const built = existsSync('dist/cli/trace.js');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

test(
  'bbmesh trace: exit 0 on success, 1 on failure, 2 on a bad URL; json and mermaid',
  { skip: !built && 'run npm run build first' },
  () => {
    const ok = run('trace', 'https://podinfo.bigbang.dev/', FIXTURE);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /✓ 200/);
    const bad = run('trace', 'https://nope.bigbang.dev/', FIXTURE);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /✗ 404 NR/);
    const usage = run('trace', 'ftp://x/', FIXTURE);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /unsupported scheme/);
    const json = JSON.parse(run('trace', 'http://podinfo.bigbang.dev/', FIXTURE, '-o', 'json').stdout);
    assert.equal(json.schemaVersion, 1);
    assert.equal(json.hops[4].kind, 'redirect');
    assert.equal(json.verdict.ok, true);
    const mmd = run('trace', 'https://podinfo.bigbang.dev/', FIXTURE, '-o', 'mermaid', '--header', 'x-env=dev', '-X', 'POST');
    assert.equal(mmd.status, 0);
    assert.match(mmd.stdout, /flowchart LR/);
    const d = run('diagram', FIXTURE);
    assert.equal(d.status, 0);
    assert.match(d.stdout, /VirtualService podinfo\/podinfo-podinfo/);
  },
);

test('diagram: every exposed host, every route, broken hosts in red', () => {
  const yaml = mutate(
    PODINFO,
    `  http:
    - route:`,
    `  http:
    - match: [{uri: {prefix: /api}}]
      route:
        - destination: {host: podinfo-podinfo, port: {number: 1234}}
    - route:`,
  ).replace('    - podinfo.bigbang.dev\n', '    - podinfo.bigbang.dev\n    - info.bigbang.dev\n');
  const d = buildDiagram(modelOf(yaml));
  assert.deepEqual(
    d.hosts.map((h) => h.host),
    ['podinfo.bigbang.dev', 'info.bigbang.dev'],
  );
  assert.ok(d.hosts.every((h) => h.ok));
  assert.match(d.mermaid, /podinfo-podinfo http\[0\]/);
  assert.match(d.mermaid, /podinfo-podinfo http\[1\]/);
  assert.match(d.mermaid, /class [^;]*broken;/, 'the /api route to port 1234 is drawn broken');
  const bad = buildDiagram(modelOf(mutate(PODINFO, '              number: 9898\n', '              number: 1\n')));
  assert.equal(bad.hosts[0].ok, false);
  assert.equal(bad.hosts[0].code, 'MESH004');
  assert.match(bad.mermaid, /✗ 503 NC · MESH004/);
});

test('examples/podinfo after integrate: traced through a real render', async (t) => {
  let integratePackage: ((dir: string, opts?: Record<string, unknown>) => Promise<unknown>) | undefined;
  try {
    ({ integratePackage } = (await import('../../src/integrate/index.js')) as any);
  } catch {
    integratePackage = undefined;
  }
  if (!integratePackage) return t.skip('src/integrate is not available');
  const dir = mkdtempSync(join(tmpdir(), 'bbmesh-trace-'));
  try {
    cpSync('examples/podinfo', dir, { recursive: true });
    await integratePackage(dir);
    const r = await tracePackage('https://podinfo.bigbang.dev/', dir);
    assert.equal(r.verdict.ok, true, r.verdict.reason);
    const kinds = r.hops.map((h) => h.kind);
    assert.deepEqual(kinds, [
      'client',
      'ingress-service',
      'gateway-workload',
      'gateway-server',
      'virtual-service',
      'route',
      'destination',
      'service-port',
      'target-port',
      'workload',
      'sidecar',
      'container',
    ]);
    assert.equal(r.hops[1].ports, '443 -> 8443');
    assert.match(r.hops[7].title, /port 9898/);
    assert.equal(r.hops[10].ports, '9898 -> 15006');
    assert.equal(r.hops[11].ports, '9898');
    assert.equal(r.hops[4].source?.file, 'rendered');
    assert.match(r.hops[4].source?.template ?? '', /virtualservice\.yaml$/);
    const http = await tracePackage('http://podinfo.bigbang.dev/', dir);
    assert.equal(http.hops[4].kind, 'redirect');
    assert.equal(http.verdict.ok, true);
    const unknown = await tracePackage('https://unknown.bigbang.dev/', dir);
    assert.equal(unknown.verdict.status, 404);
    assert.equal(unknown.verdict.flag, 'NR');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
