// `bbmesh verify` against the fake API server and ingress through the CLI: flags, exit codes, --wait progress.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAddress } from '../../src/cli/verify.js';
import { UserError } from '../../src/core/errors.js';
import { makeCerts } from './helpers/certs.js';
import type { TestCerts } from './helpers/certs.js';
import { clusterObjects } from './helpers/cluster.js';
import { startFakeApi } from './helpers/fakeapi.js';
import type { FakeApi } from './helpers/fakeapi.js';
import { startIngress } from './helpers/ingress.js';
import type { FakeIngress } from './helpers/ingress.js';
import { verifyCli } from './helpers/cli.js';

let certs: TestCerts;
let api: FakeApi;
let ing: FakeIngress;
let caFile: string;
before(async () => {
  certs = makeCerts();
  api = await startFakeApi(certs, clusterObjects({ cert: certs.valid }));
  ing = await startIngress(certs.valid);
  caFile = join(mkdtempSync(join(tmpdir(), 'bbmesh-ca-')), 'ca.pem');
  writeFileSync(caFile, certs.ca.cert);
});
after(async () => {
  await api.close();
  await ing.close();
});

describe('bbmesh verify (live, CLI)', () => {
  test('all steps pass: exit 0, --context, --address with a port, --ca', async () => {
    const r = await verifyCli([
      '--kubeconfig',
      api.kubeconfig,
      '--context',
      'fake',
      '--package',
      'podinfo',
      '--address',
      `127.0.0.1:${ing.httpsPort}`,
      '--ca',
      caFile,
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^✓ 12 HTTPS request to https:\/\/podinfo\.bigbang\.dev\/$/m);
    assert.match(r.stdout, /^7 passed \(/m);
    assert.match(r.stdout, /cluster fake \(https:\/\/127\.0\.0\.1:\d+\)/);
  });

  test('a failing step: exit 1; KUBECONFIG from the environment', async () => {
    const r = await verifyCli(['--package', 'podinfo', '--address', `127.0.0.1:${ing.httpsPort}`], { KUBECONFIG: api.kubeconfig });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^✗ 12 HTTPS request/m);
    assert.match(r.stdout, /fix: pass the issuing CA with --ca <file>, or --insecure/);
  });

  test('--wait: plain progress lines on a non-terminal stderr, bounded', async () => {
    api.setObjects(clusterObjects({ cert: certs.valid, podReady: false }));
    try {
      const t0 = Date.now();
      const r = await verifyCli([
        '--kubeconfig',
        api.kubeconfig,
        '--package',
        'podinfo',
        '--wait',
        '1s',
        '--insecure',
        '--address',
        `127.0.0.1:${ing.httpsPort}`,
      ]);
      assert.ok(Date.now() - t0 < 15_000);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^bbmesh verify: waiting 0:0\d\/0:01: HelmReleases 3\/3 ready, GitRepositories 3\/3, pods in podinfo 0\/1$/m);
      assert.ok(!r.stderr.includes('\r'), 'no terminal control on a pipe');
      assert.match(r.stdout, /not ready in time/);
    } finally {
      api.setObjects(clusterObjects({ cert: certs.valid }));
    }
  });

  test('bad input: unknown context, unreadable kubeconfig: exit 2', async () => {
    const a = await verifyCli(['--kubeconfig', api.kubeconfig, '--context', 'nope', '--package', 'podinfo']);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /^bbmesh: no context "nope" in the kubeconfig \(contexts: fake\)$/m);
    const b = await verifyCli(['--kubeconfig', '/nonexistent/kubeconfig', '--package', 'podinfo']);
    assert.equal(b.code, 2);
  });

  test('--help', async () => {
    const r = await verifyCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--snapshot <file>/);
    assert.match(r.stdout, /kubectl get namespaces,gitrepositories/);
  });
});

test('parseAddress', () => {
  assert.deepEqual(parseAddress('10.0.0.5'), { host: '10.0.0.5' });
  assert.deepEqual(parseAddress('lb.example.com:8443'), { host: 'lb.example.com', httpsPort: 8443 });
  assert.deepEqual(parseAddress('[fd00::1]:443'), { host: 'fd00::1', httpsPort: 443 });
  assert.throws(() => parseAddress('host:port'), UserError);
  assert.throws(() => parseAddress('host:70000'), UserError);
});
