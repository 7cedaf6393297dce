// The key finder reads lines by hand for speed; the regexes it replaced are the reference. On random
// block-style lines (keys with colons and quotes, list dashes, block scalars, comments, tabs, CRLF),
// both give the same keys, items, chains, positions and values, in every mode.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { scanLines, type KeyLine, type ScanOptions } from '../../src/manifest/keys.js';

const KEY_LINE = /^( *)((?:- +)*)(?:"([^"\n]*)"|'([^'\n]*)'|((?:[A-Za-z0-9_./-]|:(?=[^\s:]))+))[ \t]*:(?:[ \t]+(.*))?$/;
const ITEM_LINE = /^( *)- +(.*)$/;
const BLOCK_SCALAR = /^[|>][-+0-9]*[ \t]*(#.*)?$/;

function stripComment(v: string): string {
  const i = v.search(/\s#/);
  return (i >= 0 ? v.slice(0, i) : v).trim();
}

/** The regex walk, as it was. */
function reference(lines: string[], opts: ScanOptions): KeyLine[] | undefined {
  const out: KeyLine[] = [];
  const stack: Array<{ indent: number; key: string | number }> = [];
  let blockIndent = -1;
  const item = (dash: number) => {
    while (stack.length && stack[stack.length - 1].indent > dash) stack.pop();
    const top = stack[stack.length - 1];
    let ordinal = 0;
    if (top && typeof top.key === 'number' && top.indent === dash) {
      stack.pop();
      ordinal = top.key + 1;
    }
    stack.push({ indent: dash, key: ordinal });
  };
  const emit = (line: number, column: number, indent: number, kind: KeyLine['kind'], value: string) =>
    out.push({ line, column, indent, key: stack[stack.length - 1].key, chain: stack.map((e) => e.key), kind, value: stripComment(value) });
  for (let i = 0; i < lines.length; i++) {
    let raw = lines[i];
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    const trimmed = raw.replace(/^[ \t]+/, '');
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('---') || trimmed.startsWith('...')) continue;
    const indent = raw.length - trimmed.length;
    if (blockIndent >= 0) {
      if (indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (opts.template && trimmed.startsWith('{{')) continue;
    if (raw.slice(0, indent).includes('\t')) {
      if (opts.strict) return undefined;
      continue;
    }
    if (opts.strict && /^- +- /.test(trimmed)) return undefined;
    const km = KEY_LINE.exec(raw);
    if (km) {
      const dashIndent = km[1].length;
      const keyIndent = dashIndent + km[2].length;
      if (km[2]) {
        item(dashIndent);
        emit(i + 1, keyIndent + 1, dashIndent, 'item', '');
      }
      while (stack.length && stack[stack.length - 1].indent >= keyIndent) stack.pop();
      stack.push({ indent: keyIndent, key: km[3] ?? km[4] ?? km[5] });
      emit(i + 1, keyIndent + 1, keyIndent, 'key', km[6] ?? '');
      if (BLOCK_SCALAR.test(km[6] ?? '')) blockIndent = keyIndent;
      continue;
    }
    const im = ITEM_LINE.exec(raw);
    if (im) {
      item(im[1].length);
      emit(i + 1, raw.length - im[2].length + 1, im[1].length, 'item', im[2]);
      if (BLOCK_SCALAR.test(im[2])) blockIndent = im[1].length;
    }
  }
  return out;
}

const piece = fc.constantFrom(
  'a',
  'b',
  'x1',
  'port',
  'tls.crt',
  'portal-docs',
  '8080',
  'api/v1',
  ':',
  '::',
  ' ',
  '\t',
  '"',
  "'",
  '#',
  '-',
  '|',
  '>',
  '{{',
  '}}',
  '.',
  '*',
);
const key = fc.oneof(
  fc.constantFrom('name', 'spec', 'metadata', 'ports', 'routes', 'app.kubernetes.io/name', 'portal-docs:8080', 'a:b'),
  fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join('')),
);
const value = fc.oneof(
  fc.constant(''),
  fc.constantFrom('x', '|', '|-', '>+2', '"q"', "'s'", 'a # c', '{a: 1}', '[1, 2]', '- z', '{{ .Values.x }}', 'http://x:80'),
  fc.array(piece, { maxLength: 5 }).map((p) => p.join('')),
);
const line = fc
  .record({
    indent: fc.integer({ min: 0, max: 8 }),
    tab: fc.boolean(),
    dashes: fc.integer({ min: 0, max: 2 }),
    quote: fc.constantFrom('', '"', "'"),
    key,
    gap: fc.constantFrom('', ' ', '\t'),
    colon: fc.constantFrom(':', ': ', ':\t', ' : ', ''),
    value,
    cr: fc.boolean(),
    shape: fc.constantFrom('key', 'item', 'comment', 'blank', 'marker', 'raw'),
  })
  .map((r) => {
    const pad = ' '.repeat(r.indent) + (r.tab && r.indent % 3 === 0 ? '\t' : '');
    const cr = r.cr ? '\r' : '';
    if (r.shape === 'comment') return `${pad}# ${r.value}${cr}`;
    if (r.shape === 'blank') return `${pad}${cr}`;
    if (r.shape === 'marker') return `${pad}--- ${r.value}${cr}`;
    if (r.shape === 'item') return `${pad}- ${r.value}${cr}`;
    if (r.shape === 'raw') return `${pad}${r.value}${cr}`;
    const dash = '- '.repeat(r.dashes);
    return `${pad}${dash}${r.quote}${r.key}${r.quote}${r.gap}${r.colon}${r.value}${cr}`;
  });

test('the hand-written line reader agrees with the regex reference', () => {
  fc.assert(
    fc.property(fc.array(line, { maxLength: 25 }), fc.boolean(), fc.boolean(), (lines, template, strict) => {
      const opts = { template, strict };
      assert.deepEqual(scanLines(lines, opts), reference(lines, opts));
    }),
    { numRuns: 3000 },
  );
});
