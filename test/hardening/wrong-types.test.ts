// Wrong types (issue 12 item 8): K8S001 reports each one; the model must not read them in a way
// that adds a second, wrong finding or a wrong trace (a broken match block matching everything, a
// scalar redirect looping, `[object Object]`, `port -1`).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkManifests } from '../../src/analysis/check.js';
import { traceRequest } from '../../src/analysis/trace/index.js';
import { loadManifests } from '../../src/manifest/load.js';
import { checkToJson } from '../../src/report/check-json.js';
import { formatText } from '../../src/report/text.js';
import { traceToText } from '../../src/report/trace-text.js';
import { meshFromManifests } from '../../src/sources/index.js';
import { ROOT, tempDir } from '../helpers/pkg.js';

const MESH = readFileSync(join(ROOT, 'test', 'fixtures', 'trace', 'podinfo-integrated.yaml'), 'utf8');
const URL = 'https://podinfo.bigbang.dev/';
const dir = tempDir();
let n = 0;

async function run(text: string) {
  const file = join(dir, `m${n++}.yaml`);
  writeFileSync(file, text);
  const result = await checkManifests([file]);
  const mesh = await meshFromManifests(loadManifests(text, { file, stage: 'input', defaultNamespace: 'default' }));
  const trace = traceRequest(mesh.model, { url: URL });
  const printed = [formatText(result), JSON.stringify(checkToJson(result)), traceToText(trace), JSON.stringify(trace)].join('\n');
  return { findings: result.findings, trace, printed };
}

function mutate(from: string, to: string): string {
  assert.ok(MESH.includes(from), `fixture text not found: ${from}`);
  return MESH.replace(from, to);
}

const ROUTE = '    - route:';
const SERVICE_PORTS =
  ['  ports:', '    - port: 9898', '      targetPort: http', '      protocol: TCP', '      name: http'].join('\n') +
  ['', '    - port: 9999', '      targetPort: grpc', '      protocol: TCP', '      name: grpc'].join('\n');
const VS_NAME =
  '  name: podinfo-podinfo\n  namespace: podinfo\n  labels:\n    helm.sh/chart: podinfo-6.0.0-bb.0\n' +
  '    app.kubernetes.io/name: podinfo-podinfo\n    app.kubernetes.io/version: "6.0.0"\n    app.kubernetes.io/managed-by: Helm\n' +
  'spec:\n  gateways:';

interface Case {
  what: string;
  text: string;
  /** The K8S001 message that reports it. */
  k8s: RegExp;
  /** Codes besides K8S001 that the wrong type may cause (true consequences), beyond the fixture's own. */
  also?: string[];
  /** What the request gets. */
  status: number;
}

const CASES: Case[] = [
  { what: 'ports: "80"', text: mutate(SERVICE_PORTS, '  ports: "80"'), k8s: /spec\.ports: must be array/, status: 503 },
  {
    what: 'port: "eighty"',
    text: mutate('    - port: 9898', '    - port: "eighty"'),
    k8s: /spec\.ports\[0\]\.port: must be integer/,
    also: ['MESH004'], // 9898 is indeed not among the ports that can be read
    status: 503,
  },
  {
    what: 'a map-valued selector',
    text: mutate('  selector:\n    app.kubernetes.io/name: podinfo-podinfo\n---', '  selector:\n    app.kubernetes.io/name: {a: b}\n---'),
    k8s: /spec\.selector\[app\.kubernetes\.io\/name\]: must be string/,
    also: ['MESH005'],
    status: 503,
  },
  {
    what: 'match: [{uri: {prefix: 5}}]',
    text: mutate(ROUTE, '    - match: [{uri: {prefix: 5}}]\n      route:'),
    k8s: /uri\.prefix: must be string/,
    status: 404,
  },
  { what: 'match: [7]', text: mutate(ROUTE, '    - match: [7]\n      route:'), k8s: /match\[0\]: must be object/, status: 404 },
  {
    what: 'match: [{uri: 5}]',
    text: mutate(ROUTE, '    - match: [{uri: 5}]\n      route:'),
    k8s: /match\[0\]\.uri: must be object/,
    status: 404,
  },
  { what: 'match: a map', text: mutate(ROUTE, '    - match: {uri: {prefix: /}}\n      route:'), k8s: /match: must be array/, status: 404 },
  {
    what: 'match port: "x"',
    text: mutate(ROUTE, '    - match: [{port: "x"}]\n      route:'),
    k8s: /match\[0\]\.port: must be integer/,
    status: 404,
  },
  { what: 'redirect: 7', text: mutate(ROUTE, '    - redirect: 7\n      route:'), k8s: /redirect: must be object/, status: 200 },
  { what: 'kind: 12', text: mutate('kind: VirtualService', 'kind: 12'), k8s: /kind: must be string, got number 12/, status: 404 },
  {
    what: 'a VirtualService without a name',
    text: mutate(VS_NAME, '  namespace: podinfo\nspec:\n  gateways:'),
    k8s: /missing required field "name"/,
    status: 404,
  },
  {
    what: 'hosts: a string',
    text: mutate('  hosts:\n    - podinfo.bigbang.dev', '  hosts: podinfo.bigbang.dev'),
    k8s: /spec\.hosts: must be array/,
    status: 404,
  },
  {
    what: 'a map as destination host',
    text: mutate('            host: podinfo-podinfo.podinfo.svc.cluster.local', '            host: {name: podinfo}'),
    k8s: /destination\.host: must be string/,
    status: 404, // the rule has no destination left: as istiod, which never gets the rejected object
  },
];

test('each wrong type is one K8S001 finding and no second, wrong one; the trace reads the object as the API would not', async () => {
  const base = await run(MESH);
  const baseCodes = new Set(base.findings.map((f) => f.code));
  assert.equal(base.trace.verdict.status, 200);
  for (const c of CASES) {
    const r = await run(c.text);
    const k8s = r.findings.filter((f) => f.code === 'K8S001');
    assert.ok(
      k8s.some((f) => c.k8s.test(f.message)),
      `${c.what}: K8S001 reports it (${k8s.map((f) => f.message).join('; ')})`,
    );
    const extra = [...new Set(r.findings.map((f) => f.code))].filter((code) => code !== 'K8S001' && !baseCodes.has(code)).sort();
    assert.deepEqual(extra, (c.also ?? []).sort(), `${c.what}: findings besides K8S001:\n${r.printed}`);
    assert.equal(r.trace.verdict.status, c.status, `${c.what}: ${r.trace.verdict.reason}`);
    assert.doesNotMatch(r.printed, /\[object Object\]|port -1\b|ports: -1|\(-1[,)]/, c.what);
  }
});

test('a broken match block matches nothing: the rules after it still route, and no redirect loop is invented', async () => {
  const twoRules = mutate(ROUTE, '    - match: [7]\n      directResponse: {status: 418}\n    - route:');
  const r = await run(twoRules);
  assert.equal(r.trace.verdict.status, 200, r.trace.verdict.reason);
  assert.ok(!r.findings.some((f) => f.code === 'MESH012'), 'the broken block does not shadow the rule after it');
  const redirect = await run(mutate(ROUTE, '    - redirect: 7\n      route:'));
  assert.ok(!redirect.findings.some((f) => f.code === 'MESH020'), 'no redirect loop from a scalar redirect');
});
