import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ruleTester } from './tester.js';
import { k8s001 } from '../../src/analysis/rules/k8s/k8s001-schema.js';
import { runRules } from '../../src/analysis/rules/engine.js';
import { loadManifests } from '../../src/manifest/load.js';
import { buildModel } from '../../src/model/build.js';
import { LAYOUTS } from '../../src/core/layout.js';
import { withPlatform } from '../../src/sources/platform.js';
import { PODINFO } from './fixtures/mesh/podinfo.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CLEAN = readFileSync(join(HERE, 'fixtures', 'mesh', 'clean-podinfo.yaml'), 'utf8');
const BIGBANG = readFileSync(join(HERE, '..', 'fixtures', 'validate', 'bigbang-shaped.yaml'), 'utf8');

// Line numbers below are those of the YAML as written (line 1 is `apiVersion: v1`).
const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: podinfo
spec:
  selector:
    app: web
  ports:
    - name: http
      port: "80"
      targetPort: 8080
`;

const VIRTUAL_SERVICE = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: web
  namespace: podinfo
spec:
  hosts: [web.bigbang.dev]
  gateways: [istio-system/public]
  http:
    - match:
        - uri:
            prefix: /api
      rout:
        - destination:
            host: web
`;

ruleTester(k8s001, {
  valid: [
    { name: 'a correct podinfo package', yaml: PODINFO },
    { name: 'a rendered, integrated podinfo (both stages)', yaml: CLEAN },
    { name: 'real-shaped Big Bang objects', yaml: BIGBANG },
    { name: 'a kind without a schema', yaml: 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: p}\nspec: {rules: 7}\n' },
  ],
  invalid: [
    {
      name: 'a quoted port number',
      yaml: SERVICE,
      errors: [
        { object: 'Service/podinfo/web', line: 11, column: 7, message: /^spec\.ports\[0\]\.port: must be integer, got string "80"$/ },
      ],
    },
    {
      name: 'a misspelt route key (the route would be dropped)',
      yaml: VIRTUAL_SERVICE,
      errors: [
        {
          object: 'VirtualService/podinfo/web',
          line: 13,
          column: 7,
          message: /^spec\.http\[0\]\.rout: unknown field "rout" \(did you mean "route"\?\)$/,
        },
      ],
    },
    {
      name: 'a numeric kind and a nameless object',
      yaml: 'apiVersion: v1\nkind: 12\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: podinfo\ndata: {a: b}\n',
      errors: [
        { line: 2, message: /^kind: must be string, got number 12$/ },
        { object: 'ConfigMap/podinfo/', line: 7, message: /^metadata\.name: missing required field "name"$/ },
      ],
    },
  ],
});

test('K8S001 findings carry the API server symptom and a hint for the kind of problem', () => {
  const manifests = loadManifests(SERVICE, { file: 'input.yaml', stage: 'input' });
  const [f] = runRules([k8s001], { model: buildModel(manifests), layout: LAYOUTS.bb2, istioEnabled: true });
  assert.equal(f.severity, 'error');
  assert.equal(
    f.symptom,
    'HelmRelease install fails: Service "web" is invalid: spec.ports[0].port: Invalid value: "string": must be of type integer',
  );
  assert.match(f.hint, /quote a number meant as a string/);
});

test('K8S001 skips assumed platform objects', () => {
  const manifests = withPlatform(loadManifests(PODINFO, { file: 'input.yaml', stage: 'input' }), { layout: 'bb2', domain: 'bigbang.dev' });
  const platform = manifests.filter((m) => m.origin.stage === 'platform');
  assert.ok(platform.length > 0);
  for (const m of platform) (m.obj as Record<string, unknown>).spec = 'broken';
  const findings = runRules([k8s001], { model: buildModel(manifests), layout: LAYOUTS.bb2, istioEnabled: true });
  assert.deepEqual(findings, []);
  // the same breakage in the user's own objects is found
  const own = manifests.filter((m) => m.origin.stage === 'input' && m.kind === 'Deployment');
  for (const m of own) (m.obj as Record<string, unknown>).spec = 'broken';
  const mine = runRules([k8s001], { model: buildModel(manifests), layout: LAYOUTS.bb2, istioEnabled: true });
  assert.deepEqual(
    mine.map((f) => `${f.object.kind}/${f.object.name} ${f.message}`),
    ['Deployment/podinfo spec: must be object, got string "broken"'],
  );
});
