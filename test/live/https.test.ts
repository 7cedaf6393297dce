// Step 12 against a loopback HTTPS "ingress" with certificates generated in the test:
// valid, expired, wrong SAN, self-signed; and the http->https redirect.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyCluster } from '../../src/analysis/verify/index.js';
import type { StepResult, VerifyReport } from '../../src/analysis/verify/index.js';
import { makeCerts } from './helpers/certs.js';
import type { Pair, TestCerts } from './helpers/certs.js';
import { clusterObjects } from './helpers/cluster.js';
import { startFakeApi } from './helpers/fakeapi.js';
import type { FakeApi } from './helpers/fakeapi.js';
import { closedPort, startIngress } from './helpers/ingress.js';

let certs: TestCerts;
let api: FakeApi;

before(async () => {
  certs = makeCerts();
  api = await startFakeApi(certs, []);
});
after(() => api.close());

/** Runs verify with `secret` in the cluster and an ingress serving `served`. */
async function probe(
  secret: Pair & { ca?: string },
  served: Pair,
  o: { caPem?: string; insecure?: boolean; status?: number; redirect?: boolean; host?: string } = {},
): Promise<StepResult> {
  api.setObjects(clusterObjects({ cert: secret }));
  const ing = await startIngress(served, { status: o.status, redirect: o.redirect });
  try {
    const r: VerifyReport = await verifyCluster({
      kubeconfig: api.kubeconfig,
      packageName: 'podinfo',
      host: o.host,
      caPem: o.caPem,
      insecure: o.insecure,
      timeoutMs: 3000,
      address: { host: '127.0.0.1', httpsPort: ing.httpsPort, httpPort: ing.httpPort },
    });
    return r.steps.find((s) => s.step === 12)!;
  } finally {
    await ing.close();
  }
}

const text = (s: StepResult) => [...s.details, s.fix ?? ''].join('\n');

describe('step 12: HTTPS request through the ingress', () => {
  test('pass: trusted through the public-cert chain (ca.crt), redirect followed, podinfo fields, latency', async () => {
    const s = await probe({ ...certs.valid, ca: certs.ca.cert }, certs.valid);
    assert.equal(s.status, 'pass', text(s));
    assert.match(text(s), /SNI and Host podinfo\.bigbang\.dev/);
    assert.match(text(s), /http:\/\/podinfo\.bigbang\.dev\/ -> 301 redirect to https:\/\/podinfo\.bigbang\.dev\//);
    assert.match(text(s), /HTTP 200 in \d+ ms/);
    assert.match(
      text(s),
      /podinfo-like JSON: hostname=podinfo-podinfo-7d9c8b6f4-abcde, version=6\.0\.0, message=greetings from podinfo v6\.0\.0/,
    );
    assert.match(text(s), /served certificate: .*the one in public-cert/);
  });

  test('pass: trusted through --ca', async () => {
    const s = await probe(certs.valid, certs.valid, { caPem: certs.ca.cert });
    assert.equal(s.status, 'pass', text(s));
    assert.match(text(s), /TLS verified against --ca/);
  });

  test('fail: certificate from an unknown CA, unless --ca or --insecure', async () => {
    const s = await probe(certs.valid, certs.valid);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /not trusted by the istio-system\/public-cert chain and the system roots \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/);
    assert.match(s.fix!, /--ca <file>, or --insecure/);
  });

  test('fail: expired certificate served', async () => {
    const s = await probe({ ...certs.valid, ca: certs.ca.cert }, certs.expired);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /served certificate has expired/);
  });

  test('fail: certificate that does not cover the host', async () => {
    const s = await probe({ ...certs.valid, ca: certs.ca.cert }, certs.wrongSan);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /does not cover podinfo\.bigbang\.dev/);
  });

  test('self-signed: fail when it is not the public-cert; pass when it is (trusted as the chain); pass with --insecure', async () => {
    const s = await probe({ ...certs.valid, ca: certs.ca.cert }, certs.selfSigned);
    assert.equal(s.status, 'fail');
    assert.match(text(s), /DEPTH_ZERO_SELF_SIGNED_CERT/);
    const own = await probe(certs.selfSigned, certs.selfSigned);
    assert.equal(own.status, 'pass', text(own));
    const insecure = await probe({ ...certs.valid, ca: certs.ca.cert }, certs.selfSigned, { insecure: true });
    assert.equal(insecure.status, 'warn', 'works, but not the certificate of public-cert');
    assert.match(text(insecure), /NOT the one in public-cert/);
  });

  test('fail: the gateway has no route for the host (404), no healthy upstream (503)', async () => {
    const s = await probe({ ...certs.valid, ca: certs.ca.cert }, certs.valid, { host: 'other.bigbang.dev' });
    assert.equal(s.status, 'fail');
    assert.match(text(s), /HTTP 404/);
    assert.match(s.fix!, /no route for other\.bigbang\.dev/);
    const u = await probe({ ...certs.valid, ca: certs.ca.cert }, certs.valid, { status: 503 });
    assert.equal(u.status, 'fail');
    assert.match(u.fix!, /no healthy upstream/);
  });

  test('warn: plain http is not redirected', async () => {
    const s = await probe({ ...certs.valid, ca: certs.ca.cert }, certs.valid, { redirect: false });
    assert.equal(s.status, 'warn');
    assert.match(text(s), /answered 200, not a redirect to https/);
  });

  test('fail: connection refused at the ingress address', async () => {
    api.setObjects(clusterObjects({ cert: certs.valid }));
    const r = await verifyCluster({
      kubeconfig: api.kubeconfig,
      packageName: 'podinfo',
      address: { host: '127.0.0.1', httpsPort: await closedPort() },
      timeoutMs: 2000,
    });
    const s = r.steps.find((x) => x.step === 12)!;
    assert.equal(s.status, 'fail');
    assert.match(text(s), /connection refused/);
  });

  test('cannot-check: no address (load balancer pending) and no --address', async () => {
    api.setObjects(clusterObjects({ cert: certs.valid, lbAddress: null }));
    const r = await verifyCluster({ kubeconfig: api.kubeconfig, packageName: 'podinfo', timeoutMs: 2000 });
    const s = r.steps.find((x) => x.step === 12)!;
    assert.equal(s.status, 'cannot-check');
    assert.match(s.fix!, /--address/);
  });
});
