// Exit codes a CI gate can trust (issue 12, item 6): verify never exits 0 having verified nothing.
// No kubeconfig and empty snapshots are exit 2; 401, 403, timeouts, a login proxy answering HTML and a
// broken or hanging credential plugin are cannot-check with the reason and exit 1 (unless
// --allow-unchecked); --request-timeout bounds every call and the plugin, which never outlives the run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyCluster } from '../../src/analysis/verify/index.js';
import { parseRequestTimeout } from '../../src/sources/cluster/timeout.js';
import { UserError } from '../../src/core/errors.js';
import { makeCerts } from './helpers/certs.js';
import type { TestCerts } from './helpers/certs.js';
import { verifyCli } from './helpers/cli.js';
import { clusterObjects } from './helpers/cluster.js';
import { kubeconfigText, startFakeApi } from './helpers/fakeapi.js';
import type { FakeApi } from './helpers/fakeapi.js';
import { startIngress } from './helpers/ingress.js';
import type { FakeIngress } from './helpers/ingress.js';

let certs: TestCerts;
let ing: FakeIngress;
let dir: string;
let caFile: string;
before(async () => {
  certs = makeCerts();
  ing = await startIngress(certs.valid, { lifetimeMs: 600_000 });
  dir = mkdtempSync(join(tmpdir(), 'bbmesh-exit-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, certs.ca.cert);
});
after(() => ing.close());

const step12 = () => ['--address', `127.0.0.1:${ing.httpsPort}`, '--ca', caFile];
const stepLines = (out: string) => out.split('\n').filter((l) => /^[✓!✗?-] +\d+ /.test(l));

async function withApi<T>(opts: Parameters<typeof startFakeApi>[2], fn: (api: FakeApi) => Promise<T>): Promise<T> {
  const api = await startFakeApi(certs, clusterObjects({ cert: certs.valid }), opts);
  try {
    return await fn(api);
  } finally {
    await api.close();
  }
}

describe('exit 2: nothing to verify', () => {
  test('no kubeconfig anywhere: one line naming what was looked for, never http://localhost:8080', async () => {
    const home = mkdtempSync(join(tmpdir(), 'bbmesh-home-'));
    const r = await verifyCli(['--package', 'podinfo'], { HOME: home, KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '' });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(
      r.stderr,
      'bbmesh: no kubeconfig: KUBECONFIG is not set, ~/.kube/config does not exist, and this is not a pod ' +
        '(pass --kubeconfig <file>, set KUBECONFIG, or verify a dump with --snapshot)\n',
    );
    assert.equal(r.stdout, '');
  });

  test('a snapshot with no objects, or none that verify reads', async () => {
    const empty = join(dir, 'empty.yaml');
    writeFileSync(empty, '# nothing here\n');
    const a = await verifyCli(['--snapshot', empty, '--package', 'podinfo']);
    assert.equal(a.code, 2);
    assert.match(
      a.stderr,
      /^bbmesh: snapshot \S+empty\.yaml holds no objects \(make it with the kubectl get command in bbmesh verify --help\)\n$/,
    );
    const cms = join(dir, 'configmaps.yaml');
    writeFileSync(cms, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: b}\n');
    const b = await verifyCli(['--snapshot', cms, '--all']);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /holds no object verify reads \(it holds 1: ConfigMap\)/);
  });
});

describe('exit 1: a step could not be checked', () => {
  test('401: every cluster step cannot-check with the reason; --allow-unchecked accepts it', () =>
    withApi({ unauthorized: true }, async (api) => {
      const r = await verifyCli(['--kubeconfig', api.kubeconfig, '--package', 'podinfo', ...step12()]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /401 Unauthorized: the API server did not accept the credentials of context fake/);
      assert.match(r.stdout, /steps? could not be checked: exit 1 \(pass --allow-unchecked to accept that\)$/m);
      assert.ok(api.requests.length <= 6, `only the first round is asked: ${api.requests.join(', ')}`);
      assert.ok(!api.requests.some((p) => p.includes('istio-system')), 'the gateway side is never asked');
      const ok = await verifyCli(['--kubeconfig', api.kubeconfig, '--package', 'podinfo', ...step12(), '--allow-unchecked']);
      assert.equal(ok.code, 0, ok.stdout);
    }));

  test('403 on one resource: the other steps pass, the gate still fails (the permission is named)', () =>
    withApi({ forbid: ['secrets'] }, async (api) => {
      const r = await verifyCluster({
        kubeconfig: api.kubeconfig,
        packageName: 'podinfo',
        address: { host: '127.0.0.1', httpsPort: ing.httpsPort },
        caPem: certs.ca.cert,
      });
      const s7 = r.steps.find((s) => s.step === 7)!;
      assert.equal(s7.status, 'cannot-check');
      assert.equal(s7.reason, 'forbidden');
      assert.equal(r.summary.fail, 0);
      assert.deepEqual(
        r.steps.filter((s) => s.status === 'cannot-check').map((s) => s.step),
        [7, 9],
        'the Gateway credential is judged from the same Secret',
      );
      assert.equal(r.summary.unchecked, 2);
      assert.equal(r.ok, false);
      const allowed = await verifyCluster({
        kubeconfig: api.kubeconfig,
        packageName: 'podinfo',
        caPem: certs.ca.cert,
        address: { host: '127.0.0.1', httpsPort: ing.httpsPort },
        allowUnchecked: true,
      });
      assert.equal(allowed.ok, true);
    }));

  test('a timeout: --request-timeout (kubectl grammar) bounds each call; exit 1', () =>
    withApi({ slowPaths: { '/apis/helm.toolkit.fluxcd.io/v2/namespaces/bigbang/helmreleases': 60_000 } }, async (api) => {
      const t0 = Date.now();
      const r = await verifyCli(['--kubeconfig', api.kubeconfig, '--package', 'podinfo', ...step12(), '--request-timeout', '300ms']);
      assert.ok(Date.now() - t0 < 30_000, `bounded, not the 60 s the server takes: ${Date.now() - t0} ms`);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^\? {2}5 .*\(cannot check\)$/m);
      assert.match(r.stdout, /the API server gave no answer within 0\.3 s \(--request-timeout\)/);
    }));

  test('an HTML login page answering 200: said as such, no false FAIL', () =>
    withApi({ html: { status: 200, title: 'Keycloak Sign In' } }, async (api) => {
      const r = await verifyCli(['--kubeconfig', api.kubeconfig, '--package', 'podinfo', ...step12()]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /the API server answered HTML \(HTTP 200, page "Keycloak Sign In"\): a login proxy\?/);
      assert.match(r.stdout, /fix: the kubeconfig server is not answering as the Kubernetes API/);
      const lines = stepLines(r.stdout);
      assert.equal(lines.length, 7);
      assert.deepEqual(
        lines.filter((l) => l.startsWith('✗')),
        [],
        'no step fails on a login page',
      );
      assert.ok(api.requests.length <= 6, `stops asking after the first round: ${api.requests.join(', ')}`);
    }));

  test('a redirect to a login page, and JSON that is not the API, are not the API either', async () => {
    await withApi({ html: { status: 302 } }, async (api) => {
      const r = await verifyCluster({
        kubeconfig: api.kubeconfig,
        packageName: 'podinfo',
        address: { host: '127.0.0.1', httpsPort: ing.httpsPort },
        caPem: certs.ca.cert,
      });
      assert.equal(r.steps[0].reason, 'not-api');
      assert.match(r.steps[0].details.join('\n'), /answered HTML \(HTTP 302/);
      assert.equal(r.summary.fail, 0);
      assert.equal(r.ok, false);
    });
  });

  test('unreachable: exit 1', async () => {
    const kc = join(dir, 'closed');
    writeFileSync(kc, kubeconfigText('https://127.0.0.1:1', certs.ca.cert));
    const r = await verifyCli(['--kubeconfig', kc, '--package', 'podinfo']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /unreachable \(ECONNREFUSED\)/);
  });
});

describe('the exec credential plugin, bounded', () => {
  const plugin = (name: string, body: string) => {
    const f = join(dir, `${name}.mjs`);
    writeFileSync(f, body);
    return f;
  };
  const kubeconfigWith = (api: FakeApi, script: string) => {
    const f = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
    writeFileSync(f, kubeconfigText(api.url, certs.ca.cert, 'fake', { command: process.execPath, args: [script] }));
    return f;
  };

  test('its token is what the API server sees; asked once for the run', () =>
    withApi({ token: 'from-the-plugin' }, async (api) => {
      const count = join(dir, 'count');
      const script = plugin(
        'token',
        `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(count)}, 'x');\n` +
          `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'from-the-plugin' } }));\n`,
      );
      const r = await verifyCluster({
        kubeconfig: kubeconfigWith(api, script),
        packageName: 'podinfo',
        address: { host: '127.0.0.1', httpsPort: ing.httpsPort },
        caPem: certs.ca.cert,
      });
      assert.equal(r.ok, true, JSON.stringify(r.steps.filter((s) => s.status !== 'pass')));
      assert.equal(readFileSync(count, 'utf8'), 'x');
    }));

  test('a failing plugin: cannot-check with its message, no retry storm', () =>
    withApi({}, async (api) => {
      const script = plugin('fail', `process.stderr.write('error: token expired, run login\\n'); process.exit(3);\n`);
      const r = await verifyCluster({ kubeconfig: kubeconfigWith(api, script), packageName: 'podinfo' });
      assert.equal(r.steps[0].reason, 'credentials');
      assert.match(r.steps[0].details.join('\n'), /credential plugin \S+ exited with code 3: error: token expired, run login/);
      assert.equal(api.requests.length, 0);
      assert.equal(r.ok, false);
    }));

  test('a hanging plugin is killed at --request-timeout and does not keep the process alive', () =>
    withApi({}, async (api) => {
      const pidFile = join(dir, 'hang.pid');
      const script = plugin(
        'hang',
        `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(pidFile)}, String(process.pid));\nsetInterval(() => {}, 1000);\n`,
      );
      const t0 = Date.now();
      const r = await verifyCli([
        '--kubeconfig',
        kubeconfigWith(api, script),
        '--package',
        'podinfo',
        '--request-timeout',
        '1s',
        ...step12(),
      ]);
      const took = Date.now() - t0;
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /credential plugin \S+ gave no answer within 1 s \(--request-timeout\)/);
      assert.ok(took < 20_000, `the process ended soon after the report (the plugin would run forever): ${took} ms`);
      assert.ok(existsSync(pidFile));
      const pid = Number(readFileSync(pidFile, 'utf8'));
      assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the plugin was killed');
    }));
});

describe('flags', () => {
  test('--request-timeout takes what kubectl takes', () => {
    assert.equal(parseRequestTimeout('10'), 10_000);
    assert.equal(parseRequestTimeout('0'), 0);
    assert.equal(parseRequestTimeout('300ms'), 300);
    assert.equal(parseRequestTimeout('1.5s'), 1500);
    assert.equal(parseRequestTimeout('1m30s'), 90_000);
    assert.equal(parseRequestTimeout('2h'), 7_200_000);
    assert.equal(parseRequestTimeout('1us'), 1);
    for (const bad of ['', '-1s', '10x', 'abc', '1.5', 's', '1s2']) assert.throws(() => parseRequestTimeout(bad), UserError, bad);
  });

  test('--format is a deprecated alias of -o', async () => {
    const snap = new URL('./fixtures/snapshot-bb2.yaml', import.meta.url).pathname;
    const r = await verifyCli(['--snapshot', snap, '--package', 'podinfo', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).command, 'verify');
    assert.equal(r.stderr, 'bbmesh: --format is deprecated: use -o/--output\n');
  });
});
