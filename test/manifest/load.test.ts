import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadManifests, splitDocuments } from '../../src/manifest/load.js';
import { locate } from '../../src/manifest/locate.js';
import { loadYaml11 } from '../../src/manifest/yaml11.js';

test('scalars are read as Kubernetes reads them (YAML 1.1)', () => {
  const v = loadYaml11('a: yes\nb: off\nc: 0755\nd: 1_000\ne: "yes"\nf: 2020-01-01\ng: ~\nh: 0x1F\ni: 1.5e3\nj: .inf\nk: Y\n') as any;
  assert.deepEqual(v, { a: true, b: false, c: 493, d: 1000, e: 'yes', f: '2020-01-01', g: null, h: 31, i: 1500, j: Infinity, k: true });
});

test('documents keep their Helm template, line and column; namespaces default to the release namespace', () => {
  const text = [
    '---',
    '# Source: app/templates/svc.yaml',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: web',
    'spec:',
    '  ports:',
    '    - name: http',
    '      port: 8080',
    '---',
    '# Source: app/templates/ns.yaml',
    'apiVersion: v1',
    'kind: Namespace',
    'metadata: {name: app}',
    '',
    '---',
    '# only a comment',
    '',
  ].join('\n');
  const ms = loadManifests(text, { file: 'out.yaml', stage: 'input', defaultNamespace: 'app' });
  assert.deepEqual(
    ms.map((m) => [m.kind, m.name, m.namespace, m.origin.template]),
    [
      ['Service', 'web', 'app', 'app/templates/svc.yaml'],
      ['Namespace', 'app', '', 'app/templates/ns.yaml'],
    ],
  );
  assert.deepEqual(locate(ms[0], ['spec', 'ports', 0, 'port']), {
    file: 'out.yaml',
    template: 'app/templates/svc.yaml',
    line: 10,
    column: 7,
  });
  assert.deepEqual(locate(ms[0], ['spec', 'ports', 0]), { file: 'out.yaml', template: 'app/templates/svc.yaml', line: 9, column: 7 });
  // a path that does not exist falls back to its deepest existing ancestor
  assert.equal(locate(ms[0], ['spec', 'selector', 'app'])!.line, 7);
  assert.equal(locate(ms[1], ['metadata', 'name'])!.line, 15);
});

test('List documents are expanded, each item locatable', () => {
  const text =
    'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: b\n    namespace: x\n';
  const ms = loadManifests(text, { file: 'dump.yaml', stage: 'cluster' });
  assert.deepEqual(
    ms.map((m) => `${m.namespace}/${m.name}`),
    ['default/a', 'x/b'],
  );
  assert.equal(locate(ms[1], ['metadata', 'namespace'])!.line, 12);
});

test('document markers: `---` and `...` split; indented dashes do not', () => {
  const docs = splitDocuments('a: 1\n---\nb: |\n  ---\n  text\n...\n--- \nc: 3\n', 'x');
  assert.equal(docs.length, 3);
  assert.deepEqual(
    docs.map((d) => d.line),
    [1, 2, 7],
  );
});

test('malformed YAML is a user error at file:line:col', () => {
  assert.throws(
    () => loadManifests('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n', { file: 'dup.yaml', stage: 'input' }),
    (e: any) => e.name === 'UserError' && e.file === 'dup.yaml' && e.line === 5 && /duplicated mapping key/.test(e.message),
  );
  assert.throws(() => loadManifests('- just\n- a list\n', { file: 'l.yaml', stage: 'input' }), /not a Kubernetes object/);
});
