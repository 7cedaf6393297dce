// The terminal escaping text reports apply to what comes from the input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeFinding, escapeLine, escapeText } from '../../src/report/escape.js';
import type { Finding } from '../../src/analysis/rules/types.js';

test('control, C1 and bidi characters become visible escapes; printable text (any script) is unchanged', () => {
  assert.equal(escapeText('a\u001b[31mred\u001b]0;title\u0007\r\tb'), 'a\\e[31mred\\e]0;title\\x07\\r\tb');
  assert.equal(escapeText('x\u009b2J \u202eabc\u2066 \u0000 \u007f'), 'x\\x9b2J \\u202eabc\\u2066 \\x00 \\x7f');
  assert.equal(escapeText('two\nlines'), 'two\nlines');
  assert.equal(escapeLine('two\nlines\u2028x'), 'two\\nlines\\u2028x');
  for (const s of ['podinfo.bigbang.dev', 'naïve ünïcode 名前 🚀', 'tab\tok', '']) assert.equal(escapeText(s), s);
});

test('escapeFinding escapes every string a text report prints and leaves the rest', () => {
  const f = {
    code: 'MESH005',
    severity: 'error',
    title: 't',
    message: 'selector x=\u001b[2J',
    symptom: 's\u0007',
    hint: 'h\n',
    object: { kind: 'Service', namespace: 'ns', name: 'evil\u001b]0;x\u0007', apiVersion: 'v1' },
    source: { file: 'f\u001b.yaml', line: 3, column: 1 },
    assumed: false,
    related: [{ object: { kind: 'Pod', namespace: 'ns', name: 'p\u009b' }, message: 'm\u202e' }],
  } as unknown as Finding;
  const e = escapeFinding(f);
  assert.equal(e.message, 'selector x=\\e[2J');
  assert.equal(e.symptom, 's\\x07');
  assert.equal(e.hint, 'h\\n');
  assert.equal(e.object.name, 'evil\\e]0;x\\x07');
  assert.equal(e.source?.file, 'f\\e.yaml');
  assert.equal(e.source?.line, 3);
  assert.equal(e.related[0].object.name, 'p\\x9b');
  assert.equal(e.related[0].message, 'm\\u202e');
  assert.equal(f.object.name, 'evil\u001b]0;x\u0007', 'the finding itself is not changed');
});
