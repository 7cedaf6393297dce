// The rules that span packages, on plain manifests (as from `helm template bigbang ...` output or a
// cluster), and the context provenance: other packages' objects are read, never reported.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bb010 } from '../../src/analysis/rules/bb/bb010-shared-host.js';
import { bb011 } from '../../src/analysis/rules/bb/bb011-depends-on-missing.js';
import { mesh023 } from '../../src/analysis/rules/mesh/mesh023-certificate-host.js';
import { runRules } from '../../src/analysis/rules/engine.js';
import { RULES } from '../../src/analysis/rules/catalogue.js';
import { LAYOUTS } from '../../src/core/layout.js';
import { loadManifests } from '../../src/manifest/load.js';
import { buildModel } from '../../src/model/build.js';
import { withPlatform } from '../../src/sources/platform.js';
import { tempDir } from '../helpers/pkg.js';
import { ruleTester } from '../rules/tester.js';
import { certificate } from './fixtures.js';

const vs = (name: string, ns: string, host: string, owner?: string, gateway = 'istio-system/public') => `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
  namespace: ${ns}
${owner ? `  labels:\n    helm.toolkit.fluxcd.io/name: ${owner}\n    helm.toolkit.fluxcd.io/namespace: bigbang\n` : ''}spec:
  gateways: [${gateway}]
  hosts: [${host}]
  tcp:
    - route:
        - destination: { host: ${name}.${ns}.svc.cluster.local, port: { number: 80 } }
`;

ruleTester(bb010, {
  valid: [
    {
      name: 'two VirtualServices of one package share a host',
      yaml: vs('a', 'app', 'app.bigbang.dev', 'app') + vs('b', 'app', 'app.bigbang.dev', 'app'),
    },
    { name: 'objects no package owns (plain manifests)', yaml: vs('a', 'one', 'app.bigbang.dev') + vs('b', 'two', 'app.bigbang.dev') },
    { name: 'each package its own host', yaml: vs('a', 'one', 'one.bigbang.dev', 'one') + vs('b', 'two', 'two.bigbang.dev', 'two') },
    {
      name: 'the same host in the mesh is no gateway claim',
      yaml: vs('a', 'one', 'app.bigbang.dev', 'one') + vs('b', 'two', 'app.bigbang.dev', 'two', 'mesh'),
    },
  ],
  invalid: [
    {
      name: 'two packages, one host, one gateway (TCP routes too, which MESH011 does not judge)',
      yaml: vs('a', 'one', 'app.bigbang.dev', 'one') + vs('b', 'two', 'APP.bigbang.dev', 'two'),
      errors: [
        {
          object: 'VirtualService/two/b',
          message:
            /^host APP\.bigbang\.dev on gateway istio-system\/public is claimed by HelmRelease bigbang\/two .* and by HelmRelease bigbang\/one/,
        },
      ],
    },
  ],
});

const hr = (name: string, deps: string[], umbrella = true) => `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: bigbang
${umbrella ? '  labels:\n    app.kubernetes.io/instance: bigbang\n    app.kubernetes.io/part-of: bigbang\n' : ''}spec:
  chart: { spec: { chart: ./chart, sourceRef: { kind: GitRepository, name: ${name} } } }
${deps.length ? `  dependsOn:\n${deps.map((d) => `    - name: ${d}\n      namespace: bigbang\n`).join('')}` : ''}`;

ruleTester(bb011, {
  valid: [
    { name: 'every dependency is rendered', yaml: hr('istio', []) + hr('kiali', ['istio']) },
    { name: 'not the umbrella (a dev chart renders its package alone)', yaml: hr('kiali', ['istio', 'monitoring'], false) },
    { name: "Istio's own release misnamed is BB006's finding", layout: 'bb3', yaml: hr('istiod', []) + hr('kiali', ['istio']) },
  ],
  invalid: [
    {
      name: 'a package waits for a disabled one',
      yaml: hr('istio', []) + hr('kiali', ['istio', 'monitoring']),
      errors: [{ object: 'HelmRelease/bigbang/kiali', message: /depends on bigbang\/monitoring, which the umbrella does not render/ }],
    },
  ],
});

const root = tempDir();
const crt = (names: string[]) => Buffer.from(certificate(root, names).cert).toString('base64');
const tlsSecret = (names: string[]) => `---
apiVersion: v1
kind: Secret
metadata: { name: public-cert, namespace: istio-system }
type: kubernetes.io/tls
data:
  tls.crt: ${crt(names)}
  tls.key: ${Buffer.from('not read').toString('base64')}
`;
const gateway = `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: main, namespace: gw }
spec:
  selector: { app: main }
  servers:
    - port: { number: 8443, name: https, protocol: HTTPS }
      hosts: ['*']
      tls: { mode: SIMPLE, credentialName: main-cert }
`;
const certManager = (names: string[]) => `---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: { name: main, namespace: gw }
spec:
  secretName: main-cert
  dnsNames: [${names.join(', ')}]
  issuerRef: { name: ca, kind: ClusterIssuer }
`;

ruleTester(mesh023, {
  valid: [
    { name: 'the wildcard covers the host', yaml: tlsSecret(['*.bigbang.dev']) + vs('app', 'app', 'app.bigbang.dev') },
    { name: 'no certificate in the input (the assumed platform Secret)', yaml: vs('app', 'app', 'app.other.mil') },
    {
      name: 'a cert-manager Certificate names the host',
      platform: false,
      yaml: gateway + certManager(['app.example.com']) + vs('app', 'app', 'app.example.com', undefined, 'gw/main'),
    },
  ],
  invalid: [
    {
      name: 'a one-label wildcard does not cover two labels',
      yaml: tlsSecret(['*.bigbang.dev']) + vs('app', 'app', 'a.b.bigbang.dev'),
      errors: [
        {
          object: 'VirtualService/app/app',
          message:
            /^host a\.b\.bigbang\.dev is served by gateway istio-system\/public server https with the certificate of Secret istio-system\/public-cert, which covers \*\.bigbang\.dev$/,
        },
      ],
    },
    {
      name: 'the Certificate is for other names',
      platform: false,
      yaml: gateway + certManager(['www.example.com']) + vs('app', 'app', 'app.example.com', undefined, 'gw/main'),
      errors: [{ message: /with the certificate of Certificate gw\/main, which covers www\.example\.com$/ }],
    },
  ],
});

test('objects of other packages (context) are in the model but never findings', () => {
  const yaml = vs('other', 'other', 'other.bigbang.dev', undefined, 'istio-system/nowhere');
  const run = (stage: 'input' | 'context') => {
    const manifests = loadManifests(yaml, { file: 'x.yaml', stage, defaultNamespace: 'default' });
    const model = buildModel(withPlatform(manifests, { layout: 'bb2', domain: 'bigbang.dev' }), { layout: LAYOUTS.bb2 });
    assert.equal(model.virtualServices.length, 1);
    return runRules(RULES, { model, layout: LAYOUTS.bb2, istioEnabled: true }).map((f) => f.code);
  };
  assert.ok(run('input').includes('MESH001'));
  assert.deepEqual(run('context'), []);
});
