// What verify prints: never key material or raw Secret data, in any format; the JSON report
// matches schemas/verify.schema.json; the text layout.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { verifyCluster, verifySnapshot } from '../../src/analysis/verify/index.js';
import type { VerifyReport } from '../../src/analysis/verify/index.js';
import { formatJson, formatJunit, formatText } from '../../src/report/verify.js';
import { style } from '../../src/report/common.js';
import { keyFragments, makeCerts } from './helpers/certs.js';
import type { TestCerts } from './helpers/certs.js';
import { clusterObjects } from './helpers/cluster.js';
import { startFakeApi } from './helpers/fakeapi.js';
import type { FakeApi } from './helpers/fakeapi.js';
import { startIngress } from './helpers/ingress.js';
import type { FakeIngress } from './helpers/ingress.js';
import { verifyCli } from './helpers/cli.js';
import { validateVerifyJson, verifySchema } from './helpers/schema.js';

const fixture = (f: string) => fileURLToPath(new URL(`./fixtures/${f}`, import.meta.url));
const schema = verifySchema;

let certs: TestCerts;
let api: FakeApi;
let ing: FakeIngress;
before(async () => {
  certs = makeCerts();
  api = await startFakeApi(certs, []);
  ing = await startIngress(certs.valid);
});
after(async () => {
  await api.close();
  await ing.close();
});

function renderAll(r: VerifyReport): Record<string, string> {
  return { text: formatText(r), json: formatJson(r), junit: formatJunit(r) };
}

describe('no key material in any output', () => {
  test('live: matching key, mismatched key, unparseable key; text, json, junit', async () => {
    const fragments = keyFragments(certs);
    const b64cert = Buffer.from(certs.valid.cert).toString('base64').slice(30, 70);
    for (const secret of [
      { ...certs.valid, ca: certs.ca.cert },
      { cert: certs.valid.cert, key: certs.otherKey },
      {
        cert: certs.valid.cert,
        key: '-----BEGIN PRIVATE KEY-----\nnot-really-a-key-' + certs.valid.key.slice(40, 80) + '\n-----END PRIVATE KEY-----\n',
      },
      { cert: certs.expired.cert, key: certs.expired.key },
    ]) {
      api.setObjects(clusterObjects({ cert: secret }));
      const r = await verifyCluster({
        kubeconfig: api.kubeconfig,
        packageName: 'podinfo',
        address: { host: '127.0.0.1', httpsPort: ing.httpsPort, httpPort: ing.httpPort },
        timeoutMs: 3000,
      });
      for (const [format, out] of Object.entries(renderAll(r))) {
        for (const f of [...fragments, b64cert, 'not-really-a-key', certs.valid.key.slice(40, 80)]) {
          assert.ok(!out.includes(f), `${format} output contains key material or secret data: ${f}`);
        }
        assert.ok(!out.includes('BEGIN CERTIFICATE'), `${format}: raw certificate data`);
      }
    }
  });

  test('snapshot CLI: text, json and junit never print the key in the dump', async () => {
    const dump = readFileSync(fixture('snapshot-bb2.yaml'), 'utf8');
    const b64key = /^ {2}tls\.key: (\S+)/m.exec(dump)![1];
    const pem = Buffer.from(b64key, 'base64').toString('utf8');
    const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const b64crt = /^ {2}tls\.crt: (\S+)/m.exec(dump)![1];
    for (const format of ['text', 'json', 'junit']) {
      const r = await verifyCli(['--snapshot', fixture('snapshot-bb2.yaml'), '--package', 'podinfo', '-o', format]);
      assert.equal(r.code, 0, r.stderr);
      for (const f of ['PRIVATE KEY', b64key.slice(0, 40), b64key.slice(-40), body.slice(0, 40), body.slice(-30), b64crt.slice(10, 50)]) {
        assert.ok(!(r.stdout + r.stderr).includes(f), `${format}: ${f}`);
      }
    }
  });
});

describe('JSON report', () => {
  test('matches schemas/verify.schema.json (live, snapshot, --wait)', async () => {
    api.setObjects(clusterObjects({ cert: certs.valid }));
    const live = await verifyCluster({
      kubeconfig: api.kubeconfig,
      packageName: 'podinfo',
      insecure: true,
      address: { host: '127.0.0.1', httpsPort: ing.httpsPort },
      timeoutMs: 3000,
      waitMs: 1000,
    });
    const snap = await verifySnapshot(fixture('snapshot-broken.yaml'), { packageName: 'podinfo' });
    assert.equal(snap.findings.length, 1);
    for (const r of [live, snap]) {
      const json = JSON.parse(formatJson(r));
      assert.deepEqual(validateVerifyJson(json), []);
    }
    // the findings items are validated against the copied check.schema.json definition
    assert.equal(schema.$defs.report.properties.findings.items.$ref, '#/$defs/finding');
    const check = JSON.parse(readFileSync(fileURLToPath(new URL('../../schemas/check.schema.json', import.meta.url)), 'utf8'));
    assert.deepEqual(schema.$defs.finding.required, check.properties.findings.items.required);
    assert.deepEqual(Object.keys(schema.$defs.finding.properties), Object.keys(check.properties.findings.items.properties));
    assert.ok(live.wait);
    assert.equal(live.source.context, 'fake');
  });
});

describe('text output', () => {
  test('one line per step with the mark, details indented, fix last', async () => {
    const r = await verifySnapshot(fixture('snapshot-broken.yaml'), { packageName: 'podinfo' });
    const out = formatText(r);
    const lines = out.split('\n');
    assert.match(lines[0], /^bbmesh verify: package podinfo \(namespace podinfo, host podinfo\.bigbang\.dev\), layout bb2, snapshot /);
    const i = lines.findIndex((l) => l.startsWith('✗ 10 '));
    assert.ok(i > 0, out);
    assert.match(lines[i + 1], /^ {5}VirtualService podinfo\/podinfo-podinfo$/);
    assert.match(out, /^✗ {2}8 ingress gateway Service istio-system\/public-ingressgateway$/m);
    assert.match(out, /^\? {2}7 TLS certificate in secret istio-system\/public-cert \(cannot check\)$/m);
    assert.match(lines.at(-2)!, /^1 passed, 4 failed, 2 could not be checked, 1 finding \(1 error\) \((\d+ ms|\d+\.\d s)\)$/);
  });

  test('findings section: the one finding format of check (position, severity, code, object, message), symptom, fix; colour only with a style', async () => {
    const r = await verifySnapshot(fixture('snapshot-broken.yaml'), { packageName: 'podinfo' });
    const out = formatText(r);
    const lines = out.split('\n');
    const i = lines.indexOf('Findings from the check rules on the live objects');
    assert.ok(i > lines.findIndex((l) => l.startsWith('? 12 ')), 'after the steps');
    const src = r.findings[0].source!;
    assert.deepEqual(lines.slice(i + 1, i + 4), [
      `  ${src.file}:${src.line}:${src.column}  error    MESH004  VirtualService podinfo/podinfo-podinfo: port 8080 is not a port of Service podinfo/podinfo-podinfo (ports: 9898, 9999)`,
      '      symptom: 503 NC (cluster_not_found)',
      `      fix: ${r.findings[0].hint}`,
    ]);
    assert.ok(!out.includes('\u001b['), 'no ANSI escapes');
    const coloured = formatText(r, style(true));
    const esc = '\u001b';
    assert.ok(
      coloured.includes(`${esc}[31merror  ${esc}[39m  ${esc}[1mMESH004${esc}[22m  VirtualService podinfo/podinfo-podinfo: `),
      coloured,
    );
    assert.ok(coloured.includes(`${esc}[31m1 passed, 4 failed, 2 could not be checked, 1 finding (1 error)`), 'summary in red');
    // no position for a live cluster (no source): the line is left out
    const live = { ...r, findings: r.findings.map((f) => ({ ...f, source: undefined })) };
    assert.doesNotMatch(formatText(live), /snapshot-broken\.yaml:\d+/);
    assert.match(formatJson(live), /"source": null/);
  });

  test('a healthy run: the findings section says none, the summary is green', async () => {
    const r = await verifySnapshot(fixture('snapshot-bb2.yaml'), { packageName: 'podinfo' });
    assert.match(formatText(r), /^Findings from the check rules on the live objects: none$/m);
    const junit = formatJunit(r);
    assert.doesNotMatch(junit, /bbmesh\.verify\.findings/);
    assert.match(junit, /tests="7" failures="0"/);
  });
});
