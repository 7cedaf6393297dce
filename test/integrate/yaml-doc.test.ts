// Edits of YAML values files through the document API: what is missing is added where it belongs,
// block or flow, and every other byte stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import fc from 'fast-check';
import { ensureValues } from '../../src/integrate/yaml-doc.js';
import type { Edits, Spec } from '../../src/integrate/yaml-text.js';

const ISTIO: Spec[] = [
  {
    key: 'istio',
    children: [
      { key: 'enabled', value: 'false' },
      {
        key: 'app',
        children: [
          { key: 'gateways', list: ['istio-system/main'] },
          { key: 'hosts', list: ['app.{{ .Values.domain }}'] },
        ],
      },
    ],
  },
];
const WANT = { enabled: false, app: { gateways: ['istio-system/main'], hosts: ['app.{{ .Values.domain }}'] } };

function edit(text: string, specs: Spec[] = ISTIO, lead?: string[]): { text: string; edits: Edits } {
  const edits: Edits = { count: 0, conflicts: [], lead };
  const r = ensureValues(text, specs, edits);
  if ('error' in r) assert.fail(r.error);
  return { text: r.text, edits };
}

test('a missing block goes after the last key, before trailing comments and a `...` end marker', () => {
  const before = 'a: 1 # one\nb:\n  c: 2\n  # about d\n\n# the end\n...\n';
  const { text } = edit(before);
  assert.equal(
    text,
    'a: 1 # one\nb:\n  c: 2\nistio:\n  enabled: false\n  app:\n    gateways:\n    - istio-system/main\n    hosts:\n    - app.{{ .Values.domain }}\n  # about d\n\n# the end\n...\n',
  );
  assert.deepEqual(parse(text).istio, WANT);
});

test('an existing block is merged into at its own indentation; what the user set is kept', () => {
  const before = 'istio:\n    enabled: true   # mine\n    sidecar: {}\nother: x\n';
  const { text } = edit(before);
  assert.equal(
    text,
    'istio:\n    enabled: true   # mine\n    sidecar: {}\n    app:\n        gateways:\n        - istio-system/main\n        hosts:\n        - app.{{ .Values.domain }}\nother: x\n',
  );
});

test('flow mappings: merged in flow style; `{}`, `~` and an empty value become blocks', () => {
  const flow = edit('istio: {enabled: true, app: {gateways: [x]}}\n').text;
  assert.equal(flow, 'istio: {enabled: true, app: {gateways: [x], hosts: ["app.{{ .Values.domain }}"]}}\n');
  for (const v of ['{}', '~', 'null', '']) {
    const t = edit(`istio: ${v} # c\nz: 1\n`).text;
    assert.deepEqual(parse(t), { istio: WANT, z: 1 }, t);
    assert.match(t, /# c\n/, 'the comment stays');
  }
  assert.deepEqual(parse(edit('{}\n').text), { istio: WANT });
  assert.deepEqual(parse(edit('{a: 1, }\n').text), { a: 1, istio: WANT });
});

test('set replaces only the scalar, keeping quotes elsewhere and comments', () => {
  const { text, edits } = edit('istio:\n  enabled: false # off for now\n', [
    { key: 'istio', children: [{ key: 'enabled', value: 'true', set: true }] },
  ]);
  assert.equal(text, 'istio:\n  enabled: true # off for now\n');
  assert.equal(edits.count, 1);
  assert.equal(edit(text, [{ key: 'istio', children: [{ key: 'enabled', value: 'true', set: true }] }]).edits.count, 0);
});

test('not a mapping: reported, not edited', () => {
  const { edits } = edit('istio: true\n');
  assert.deepEqual(edits.conflicts, ['istio']);
  assert.ok('error' in ensureValues('- a\n- b\n', ISTIO, { count: 0, conflicts: [] }));
  assert.ok('error' in ensureValues('a: [\n', ISTIO, { count: 0, conflicts: [] }));
});

test('line endings: CRLF and CR-only files get their own line ending; a last line without one is completed', () => {
  for (const eol of ['\r\n', '\r']) {
    const t = edit(`a: 1${eol}b:${eol}  c: 2`, [...ISTIO, { key: 'b', children: [{ key: 'd', value: '3' }] }]).text;
    assert.equal(t.replace(new RegExp(eol, 'g'), ''), t.replace(/\r\n|\r|\n/g, ''), 'no other line ending');
    assert.deepEqual(parse(t.replace(/\r(?!\n)/g, '\n')), { a: 1, b: { c: 2, d: 3 }, istio: WANT });
  }
});

test('property: any mapping of scalars and comments keeps its bytes as a prefix, and the result parses to the merge', () => {
  const key = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/).filter((k) => k !== 'istio');
  const line = fc.tuple(
    key,
    fc.oneof(fc.integer(), fc.constantFrom('x', '"q"', "'s'", 'true', '~')),
    fc.option(fc.constantFrom(' # c', '  #x'), { nil: '' }),
  );
  fc.assert(
    fc.property(
      fc.uniqueArray(line, { selector: (l) => l[0], minLength: 1, maxLength: 8 }),
      fc.constantFrom('\n', '\r\n', '\r'),
      (lines, eol) => {
        const before = lines.map(([k, v, c]) => `${k}: ${v}${c}`).join(eol) + eol;
        const { text } = edit(before);
        assert.ok(text.startsWith(before));
        const parsed = parse(text.replace(/\r(?!\n)/g, '\n'));
        assert.deepEqual(parsed.istio, WANT);
        assert.deepEqual(Object.keys(parsed), [...lines.map((l) => l[0]), 'istio']);
      },
    ),
    { numRuns: 200 },
  );
});
