// Schema validation as the API server applies it: the mistakes bbmesh used to accept silently
// are reported at the field, real-shaped Big Bang objects pass clean, Secrets' values never
// appear in a message, and kinds without a kept schema are skipped.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadManifests } from '../../src/manifest/load.js';
import type { Manifest } from '../../src/manifest/types.js';
import { loadedSchemaCount, validateManifest, type SchemaViolation } from '../../src/model/validate/index.js';
import { renderPackage } from '../../src/sources/render/index.js';
import { REDACTED, redactSecret } from '../../src/sources/render/redact.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'validate');

const load = (yaml: string): Manifest[] => loadManifests(yaml, { file: 'input.yaml', stage: 'input', defaultNamespace: 'default' });
const violations = (yaml: string): SchemaViolation[] => load(yaml).flatMap(validateManifest);
const brief = (vs: SchemaViolation[]) => vs.map((v) => `${JSON.stringify(v.path)} ${v.kind}: ${v.message}`);

const SERVICE = (spec: string) => `apiVersion: v1
kind: Service
metadata: {name: web, namespace: podinfo}
spec:
${spec}`;

const VS = (http: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: podinfo}
spec:
  hosts: [web.bigbang.dev]
  http:
${http}`;

test('importing the validator loads no schema; validating loads only the kinds present', () => {
  assert.equal(loadedSchemaCount(), 0);
  violations(SERVICE('  ports: [{port: 80}]'));
  assert.equal(loadedSchemaCount(), 1);
  violations(SERVICE('  ports: [{port: 81}]'));
  assert.equal(loadedSchemaCount(), 1);
});

test('ports: "80" is a type error at spec.ports, with the API server text as symptom', () => {
  const vs = violations(SERVICE('  ports: "80"'));
  assert.deepEqual(brief(vs), ['["spec","ports"] type: must be array, got string "80"']);
  assert.equal(
    vs[0].symptom,
    'HelmRelease install fails: Service "web" is invalid: spec.ports: Invalid value: "string": must be of type array',
  );
});

test('port: "eighty" is a type error at the port, not port -1', () => {
  const vs = violations(SERVICE('  ports:\n    - name: http\n      port: eighty\n      targetPort: 8080'));
  assert.deepEqual(brief(vs), ['["spec","ports",0,"port"] type: must be integer, got string "eighty"']);
  assert.match(vs[0].symptom, /^HelmRelease install fails: Service "web" is invalid: spec\.ports\[0\]\.port: Invalid value: "string"/);
});

test('a map-valued selector label is a type error at that label', () => {
  const vs = violations(SERVICE('  selector:\n    app: {name: web}\n  ports: [{port: 80}]'));
  assert.deepEqual(brief(vs), ['["spec","selector","app"] type: must be string, got object']);
});

test('match uri prefix: 5 is a type error, not "matches everything"', () => {
  const vs = violations(VS('    - match: [{uri: {prefix: 5}}]\n      route: [{destination: {host: web}}]'));
  assert.deepEqual(brief(vs), ['["spec","http",0,"match",0,"uri","prefix"] type: must be string, got number 5']);
  assert.match(vs[0].symptom, /VirtualService\.networking\.istio\.io "web" is invalid: spec\.http\[0\]\.match\[0\]\.uri\.prefix:/);
});

test('redirect: 7 is one type error at the redirect, not a redirect loop', () => {
  const vs = violations(VS('    - redirect: 7'));
  assert.deepEqual(brief(vs), ['["spec","http",0,"redirect"] type: must be object, got number 7']);
});

test('kind: 12 cannot be decoded', () => {
  const vs = violations('apiVersion: v1\nkind: 12\nmetadata: {name: web}\n');
  assert.deepEqual(brief(vs), ['["kind"] type: must be string, got number 12']);
  assert.match(vs[0].symptom, /cannot unmarshal number into Go struct field TypeMeta\.kind of type string/);
});

test('an object without metadata, or without a name, is missing metadata.name', () => {
  for (const yaml of ['apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: x}\n']) {
    const vs = violations(yaml);
    assert.deepEqual(brief(vs), ['["metadata","name"] required: missing required field "name"']);
    assert.match(vs[0].symptom, /ConfigMap "" is invalid: metadata\.name: Required value/);
  }
  // Built by hand (a cluster reader, a library user): no metadata at all.
  const m: Manifest = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: '',
    namespace: '',
    obj: { apiVersion: 'v1', kind: 'ConfigMap' },
    origin: { stage: 'input' },
  };
  assert.deepEqual(brief(validateManifest(m)), ['["metadata","name"] required: missing required field "name"']);
  // generateName is the API's alternative to a name
  assert.deepEqual(
    violations(
      'apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: migrate-}\nspec: {template: {spec: {containers: [{name: a, image: b}]}}}\n',
    ),
    [],
  );
});

test('unknown fields are reported where they are, with the closest known field', () => {
  const vs = violations(VS('    - route: [{destination: {host: web, port: {numbr: 80}}}]').replace('  hosts:', '  hostz: [a]\n  hosts:'));
  assert.deepEqual(brief(vs), [
    '["spec","hostz"] unknown-field: unknown field "hostz" (did you mean "hosts"?)',
    '["spec","http",0,"route",0,"destination","port","numbr"] unknown-field: unknown field "numbr" (did you mean "number"?)',
  ]);
  assert.equal(
    vs[1].symptom,
    'HelmRelease install fails: error validating data: ValidationError(VirtualService.spec.http[0].route[0].destination.port): unknown field "numbr"',
  );
  const top = violations(SERVICE('  ports: [{port: 80}]\nspecs: {}'));
  assert.deepEqual(brief(top), ['["specs"] unknown-field: unknown field "specs" (did you mean "spec"?)']);
});

test('free-form fields take anything: labels, HelmRelease values, IntOrString, status', () => {
  const hr = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: bigbang, labels: {anything.example.com/at-all: "yes"}}
spec:
  interval: 5m
  chart: {spec: {chart: podinfo, sourceRef: {kind: GitRepository, name: podinfo}}}
  values: {istio: {enabled: true, hardened: {customServiceEntries: [{name: x}]}}, whatever: [1, {a: b}]}
status: {conditions: [{type: Ready, status: "True", madeUp: 1}]}
`;
  assert.deepEqual(violations(hr), []);
  const deploy = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  strategy: {rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, resources: {limits: {cpu: 0.5, memory: 1Gi, nvidia.com/gpu: 1}}}]}
`;
  assert.deepEqual(violations(deploy), []);
});

test('required fields, enums, alternatives and formats', () => {
  assert.deepEqual(brief(violations('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {}}\n')), [
    '["spec","selector"] required: missing required field "selector"',
  ]);
  const pa = violations(
    'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default}\nspec: {mtls: {mode: strict}}\n',
  );
  assert.deepEqual(brief(pa), [
    '["spec","mtls","mode"] enum: must be one of "UNSET", "DISABLE", "PERMISSIVE", "STRICT", got string "strict"',
  ]);
  assert.match(
    pa[0].symptom,
    /spec\.mtls\.mode: Unsupported value: "strict": supported values: "UNSET", "DISABLE", "PERMISSIVE", "STRICT"$/,
  );
  const both = violations(VS('    - match: [{uri: {exact: /a, prefix: /b}}]\n      route: [{destination: {host: web}}]'));
  assert.deepEqual(brief(both), ['["spec","http",0,"match",0,"uri"] type: "exact" and "prefix" exclude each other: set only one']);
  const pvc = violations(
    'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 8GB}}}\n',
  );
  assert.deepEqual(brief(pvc), [
    '["spec","resources","requests","storage"] format: must be a quantity (e.g. 500m, 1Gi, 0.5), got string "8GB"',
  ]);
  assert.deepEqual(brief(violations(SERVICE('  ports: [{port: 80, targetPort: true}]'))), [
    '["spec","ports",0,"targetPort"] type: must be string or integer, got boolean true',
  ]);
  const hr = violations(
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: a}\nspec: {interval: 5, chart: {spec: {chart: a, sourceRef: {kind: GitRepository, name: a}}}}\n',
  );
  assert.deepEqual(brief(hr), ['["spec","interval"] type: must be string, got number 5']);
});

test('names in the form each API requires', () => {
  const name = (kind: string, apiVersion: string, n: string) =>
    violations(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: "${n}"}\n`);
  assert.deepEqual(
    brief(name('ConfigMap', 'v1', 'Web_Config')).map((s) => s.split(' (')[0]),
    ['["metadata","name"] format: must be a lowercase RFC 1123 subdomain'],
  );
  assert.match(name('Service', 'v1', '1web')[0]?.message ?? '', /RFC 1035 label/);
  assert.match(name('Namespace', 'v1', 'a.b')[0]?.message ?? '', /RFC 1123 label/);
  assert.deepEqual(name('ConfigMap', 'v1', 'kiali.config-2'), []);
  assert.deepEqual(name('ClusterRole', 'rbac.authorization.k8s.io/v1', 'system:kiali-viewer'), []);
  assert.match(name('ClusterRole', 'rbac.authorization.k8s.io/v1', 'a/b')[0]?.message ?? '', /path segment/);
  const ns = violations('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: My_NS}\n');
  assert.deepEqual(
    ns.map((v) => v.path.join('.')),
    ['metadata.namespace'],
  );
});

test('a Secret never has its values quoted, and a value bbmesh redacted is not an error', () => {
  const values = ['hunter2-is-not-base64!', 'c2VjcmV0', 'tok-12345'];
  const yaml = `apiVersion: v1
kind: Secret
metadata: {name: creds}
type: Opaque
data:
  password: "${values[0]}"
  token: 12345
stringData:
  api-key: {nested: "${values[2]}"}
  ok: "${values[1]}"
`;
  const vs = violations(yaml);
  assert.deepEqual(
    vs.map((v) => `${v.path.join('.')} ${v.kind}`),
    ['data.password format', 'data.token type', 'stringData.api-key type'],
  );
  for (const v of vs) {
    for (const s of [...values, '12345']) assert.ok(!v.message.includes(s) && !v.symptom.includes(s), `${v.message} / ${v.symptom}`);
    assert.match(v.message, /got a value$/);
  }
  const rendered = redactSecret(`apiVersion: v1
kind: Secret
metadata: {name: private-registry, namespace: podinfo}
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: eyJhdXRocyI6e319
`);
  assert.ok(rendered.includes(REDACTED));
  assert.deepEqual(violations(rendered), []);
});

test('kinds without a kept schema are skipped (identity checks only)', () => {
  const crd = 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: Weird_Name}\nspec: {rules: 7, anything: {goes: true}}\n';
  assert.deepEqual(violations(crd), []);
  assert.deepEqual(violations('apiVersion: networking.istio.io/v9\nkind: VirtualService\nmetadata: {name: a}\nspec: {hosts: 7}\n'), []);
  for (const apiVersion of ['monitoring.coreos.com/v1', 'gateway.networking.k8s.io/v1', 'cert-manager.io/v1']) {
    assert.deepEqual(violations(`apiVersion: ${apiVersion}\nkind: ServiceMonitor\nmetadata: {name: a}\nspec: {endpoints: 7}\n`), []);
  }
  assert.deepEqual(brief(violations('apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {labels: {a: b}}\n')), [
    '["metadata","name"] required: missing required field "name"',
  ]);
});

const BIGBANG = readFileSync(join(FIXTURES, 'bigbang-shaped.yaml'), 'utf8');

test('real-shaped Big Bang objects (umbrella and package) produce no violation', () => {
  const ms = load(BIGBANG);
  assert.ok(ms.length >= 25);
  const found = ms.flatMap((m) => validateManifest(m).map((v) => `${m.kind}/${m.name} ${v.path.join('.')}: ${v.message}`));
  assert.deepEqual(found, []);
});

test('the same objects with one mistake each: every mistake is found at its field', () => {
  const edits: Array<[string, string, string]> = [
    [
      'imagePullPolicy: IfNotPresent',
      'imagePullPolicyy: IfNotPresent',
      'Deployment/kiali spec.template.spec.containers.0.imagePullPolicyy unknown-field',
    ],
    ['        runAsUser: 1001', '        runAsUser: "1001"', 'Deployment/kiali spec.template.spec.securityContext.runAsUser type'],
    ['  valuesFrom:', '  valuesFrm:', 'HelmRelease/kiali spec.valuesFrm unknown-field'],
    ['      retries: 5', '      retries: five', 'HelmRelease/kiali spec.upgrade.remediation.retries type'],
    ['  ignore: |', '  ignor: |', 'GitRepository/kiali spec.ignor unknown-field'],
    ['      rewrite:', '      rewrit:', 'VirtualService/kiali spec.http.0.rewrit unknown-field'],
    ['        httpsRedirect: true', '        httpsRedirect: "true"', 'Gateway/public-ingressgateway spec.servers.0.tls.httpsRedirect type'],
    ['    mode: STRICT', '    mode: STRICTER', 'PeerAuthentication/default-kiali spec.mtls.mode enum'],
    [
      '            storage: 8Gi',
      '            storage: 8GB',
      'StatefulSet/kiali-cache spec.volumeClaimTemplates.0.spec.resources.requests.storage format',
    ],
  ];
  for (const [from, to, expected] of edits) {
    assert.ok(BIGBANG.includes(from), from);
    const found = load(BIGBANG.replace(from, to)).flatMap((m) =>
      validateManifest(m).map((v) => `${m.kind}/${m.name} ${v.path.join('.')} ${v.kind}`),
    );
    assert.deepEqual(found, [expected]);
  }
});

test('the realistic packages, rendered by Helm with Istio on and off, produce no violation', async () => {
  const root = join(FIXTURES, '..', 'realistic');
  const found: string[] = [];
  let objects = 0;
  for (const pkg of readdirSync(root).sort()) {
    for (const istio of ['true', 'false']) {
      const r = await renderPackage(join(root, pkg), { set: [`istio.enabled=${istio}`] });
      objects += r.manifests.length;
      for (const m of r.manifests)
        for (const v of validateManifest(m)) found.push(`${pkg} ${m.kind}/${m.name} ${v.path.join('.')}: ${v.message}`);
    }
  }
  assert.ok(objects > 100, `${objects} objects`);
  assert.deepEqual(found, []);
});
