// Redaction on parsed objects (issue 12 item 3): every YAML and JSON spelling of a credential is
// blanked at its exact source range; the stream keeps its lines and stays valid YAML; passdowns stay.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { loadManifests } from '../../src/manifest/load.js';
import { REDACTED, redactSecret } from '../../src/sources/render/redact.js';
import { cli, tempCopy } from '../helpers/pkg.js';

const M = 'SeKrEt42';

/** Redacts, then checks what every redaction must keep: lines, validity for both parsers, no marker. */
function redacted(text: string): string {
  const out = redactSecret(text);
  assert.equal(out.split('\n').length, text.split('\n').length, `same lines:\n${out}`);
  for (const d of parseAllDocuments(out, { version: '1.1' }) as unknown as Array<{ errors: unknown[] }>)
    assert.deepEqual(d.errors, [], out);
  assert.doesNotThrow(() => loadManifests(out, { file: 'x', stage: 'bigbang' }), out);
  assert.ok(!out.includes(M), `no value shown:\n${out}`);
  return out;
}

const values = (text: string): Record<string, unknown> => {
  const [m] = loadManifests(text, { file: 'x', stage: 'bigbang' });
  return { ...(m.obj.data as object), ...(m.obj.stringData as object) };
};

test('the spellings line patterns missed: JSON, a comment after kind, a flow map, "password : x", multi-line plain', () => {
  const cases = [
    `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"t"},"type":"kubernetes.io/tls","data":{"tls.crt":"${M}","tls.key":"${M}"}}\n`,
    `{\n  "apiVersion": "v1",\n  "kind": "Secret",\n  "metadata": {"name": "t"},\n  "stringData": {\n    "password": "${M}"\n  }\n}\n`,
    `apiVersion: v1\nkind: Secret # a TLS key\nmetadata: {name: t}\ntype: kubernetes.io/tls\ndata:\n  tls.key: ${M}\n`,
    `apiVersion: v1\nkind: Secret\nmetadata: {name: t}\ntype: kubernetes.io/tls\ndata: {tls.crt: ${M}, "tls.key": '${M}'}\n`,
    `apiVersion: v1\nkind: Secret\nmetadata: {name: t}\ntype: kubernetes.io/basic-auth\nstringData:\n  username : ${M}\n  password : ${M}\n`,
    `apiVersion: v1\nkind: Secret\nmetadata: {name: t}\nstringData:\n  password: ${M}\n    ${M} continued\n\n    ${M} after a blank line\n  next: ${M}\n`,
  ];
  for (const text of cases) {
    const out = redacted(text);
    assert.ok(out.includes(REDACTED), out);
    for (const v of Object.values(values(out))) assert.ok(String(v).startsWith('<redacted by bbmesh'), `${v} in\n${out}`);
  }
  // JSON stays JSON
  assert.doesNotThrow(() => JSON.parse(redacted(cases[0])));
});

test('block scalars, quoted and explicit keys, aliases to anchors elsewhere, merge keys, tags', () => {
  const text = [
    'apiVersion: v1',
    'kind: "Secret"',
    'metadata:',
    '  name: t',
    `  annotations: {note: &k ${M}}`,
    'type: kubernetes.io/ssh-auth',
    'data:',
    '  "ssh-privatekey": |',
    '    -----BEGIN OPENSSH PRIVATE KEY-----',
    `    ${M}`,
    '    -----END OPENSSH PRIVATE KEY-----',
    `  'single': >-`,
    `    ${M}`,
    `    ${M}`,
    '  ? explicit',
    `  : "${M}`,
    `    ${M}"`,
    '  aliased: *k',
    `  <<: {merged: ${M}}`,
    `  tagged: !!str ${M} # trailing comment`,
  ].join('\n');
  const out = redacted(text + '\n');
  assert.match(out, /^ {2}"ssh-privatekey": \|\n {4}<redacted[^\n]*\n {4}<redacted[^\n]*\n {4}<redacted/m);
  assert.match(out, /^ {2}tagged: !!str "<redacted by bbmesh; --show-secrets prints it>" # trailing comment$/m);
  // the anchored value lives in metadata: blanked there, the alias keeps pointing at it
  assert.match(out, /annotations: \{note: &k "<redacted/);
  assert.match(out, /^ {2}aliased: \*k$/m);
});

test('passdowns Big Bang builds for Flux stay visible; a PEM private key inside one loses its lines only', () => {
  const text = [
    'apiVersion: v1',
    'kind: Secret',
    'metadata: {name: bigbang-podinfo-values, namespace: bigbang}',
    'type: generic',
    'stringData:',
    '  common: |',
    '    istio: {enabled: true}',
    '  defaults: |',
    '    hostname: bigbang.dev',
    '    tls:',
    '      key: |',
    '        -----BEGIN RSA PRIVATE KEY-----',
    `        ${M}`,
    '        -----END RSA PRIVATE KEY-----',
    '  overlays: |',
    '    podinfo: {replicas: 2}',
    `  token: ${M}`,
  ].join('\n');
  const out = redacted(text + '\n');
  assert.match(out, /istio: \{enabled: true\}/);
  assert.match(out, /hostname: bigbang\.dev/);
  assert.match(
    out,
    /-----BEGIN RSA PRIVATE KEY-----\n {8}<redacted by bbmesh; --show-secrets prints it>\n {8}-----END RSA PRIVATE KEY-----/,
  );
  assert.match(out, /podinfo: \{replicas: 2\}/);
  assert.match(out, /^ {2}token: "<redacted/m, 'other keys of the same Secret are hidden');
  // a credential type hides even a passdown-named key
  const tls = redacted(`apiVersion: v1\nkind: Secret\nmetadata: {name: t}\ntype: kubernetes.io/tls\nstringData:\n  common: ${M}\n`);
  assert.match(tls, /common: "<redacted/);
});

test('Secrets inside a List and inside another object; wrong-typed data and metadata; key material in any document', () => {
  const list = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: a}\n  data: {x: ${M}}\n`;
  assert.match(redacted(list), /data: \{x: "<redacted/);
  const nested = [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata: {name: app, namespace: bigbang}',
    'spec:',
    '  values:',
    '    extraObjects:',
    '      - apiVersion: v1',
    '        kind: Secret',
    '        metadata: {name: inner}',
    `        stringData: {password: ${M}}`,
  ].join('\n');
  assert.match(redacted(nested + '\n'), /stringData: \{password: "<redacted/);
  const scalars = `apiVersion: v1\nkind: Secret\nmetadata: "-----BEGIN PRIVATE KEY-----${M}"\ndata: ${M}\n`;
  assert.equal(redacted(scalars), `apiVersion: v1\nkind: Secret\nmetadata: "${REDACTED}"\ndata: "${REDACTED}"\n`);
  const configMap = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: c}',
    'data:',
    '  key.pem: |',
    '    -----BEGIN EC PRIVATE KEY-----',
    `    ${M}`,
    '    -----END EC PRIVATE KEY-----',
    `  inline: "-----BEGIN PRIVATE KEY-----\\n${M}\\n-----END PRIVATE KEY-----"`,
    '  other: visible',
    '',
  ].join('\n');
  const cm = redacted(configMap);
  assert.match(cm, /-----BEGIN EC PRIVATE KEY-----\n {4}<redacted/);
  assert.match(cm, /inline: "<redacted/);
  assert.match(cm, /other: visible/);
});

test('documents without a Secret or a key come back byte for byte; a broken possible Secret is withheld, lines kept', () => {
  for (const text of [
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "x\\ty", password: visible}\n',
    'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {note: "mentions Secret but is not one"}\n',
  ])
    assert.equal(redactSecret(text), text);
  const broken = `apiVersion: v1\nkind: Secret\nmetadata: {name: b}\ndata:\n  tls.key: [${M}\n`;
  const out = redactSecret(broken);
  assert.ok(!out.includes(M));
  assert.equal(out.split('\n').length, broken.split('\n').length);
  assert.match(out, /^# bbmesh: withheld/);
});

test('bbmesh render on a chart with these spellings: redacted unless --show-secrets, positions unchanged', () => {
  const pkg = tempCopy();
  const spellings = [
    `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"json-tls"},"type":"kubernetes.io/tls","data":{"tls.key":"${M}"}}`,
    `apiVersion: v1\nkind: Secret # comment\nmetadata:\n  name: flow\ndata: {password: ${M}}\nstringData:\n  password : ${M}\n    ${M}\n`,
  ];
  spellings.forEach((s, i) => writeFileSync(join(pkg, 'chart', 'templates', `spelled-${i}.yaml`), s + '\n'));
  const r = cli(['render', pkg]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!r.stdout.includes(M), r.stdout);
  assert.match(r.stdout, /"tls\.key":"<redacted by bbmesh; --show-secrets prints it>"/);
  const shown = cli(['render', pkg, '--show-secrets']);
  assert.equal(shown.code, 0, shown.stderr);
  assert.ok(shown.stdout.includes(M));
  assert.equal(r.stdout.split('\n').length, shown.stdout.split('\n').length, 'the same lines either way');
  const json = cli(['render', pkg, '-o', 'json']);
  assert.equal(json.code, 0, json.stderr);
  assert.ok(!json.stdout.includes(M));
});
