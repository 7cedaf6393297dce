// The loader's bounds and error positions, in the library: aliases counted across the documents of an
// input, depth stopped before the parser's stack, NUL bytes and size limits at their line, parse errors
// in Secrets without what they quote, wrong-typed metadata read without a crash.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../src/core/errors.js';
import { assertWithinBounds, loadManifests, toManifest } from '../../src/manifest/load.js';
import { loadYaml11, YamlBoundError } from '../../src/manifest/yaml11.js';
import { aliasBomb, aliasChain, ALIAS_CYCLE, deepBlock, deepFlow } from '../hardening/hostile.js';

const load = (text: string) => loadManifests(text, { file: 'in.yaml', stage: 'input', defaultNamespace: 'default' });

function rejects(text: string, message: RegExp, where?: { line: number; column?: number }): UserError {
  let caught: unknown;
  try {
    load(text);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof UserError, `a UserError, not ${String(caught)}`);
  assert.match(caught.message, message);
  assert.equal(caught.file, 'in.yaml');
  if (where) {
    assert.equal(caught.line, where.line, caught.format());
    if (where.column !== undefined) assert.equal(caught.column, where.column, caught.format());
  }
  return caught;
}

test('aliases that stay small are read as before; shared values are what js-yaml gives', () => {
  const [m] = load('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nbase: &x {k: v}\ncopy: *x\nmerged: {<<: *x, extra: 1}\n');
  assert.deepEqual(m.obj.copy, { k: 'v' });
  assert.deepEqual(m.obj.merged, { k: 'v', extra: 1 });
  assert.doesNotThrow(() => load(aliasBomb(4))); // 9^4 = 6,561 values
});

test('an alias bomb is stopped at the alias limit, at the first alias, before anything walks it', () => {
  for (const levels of [7, 9, 12])
    rejects(aliasBomb(levels), /aliases expand the input by more than the alias limit of 100,000 values/, { line: 6 });
});

test('the alias budget is per input: a bomb split over many documents is stopped too', () => {
  const small = aliasBomb(4); // 6,561 values each: under the limit alone
  const stream = Array.from({ length: 40 }, () => small).join('---\n');
  const err = rejects(stream, /alias limit/);
  assert.ok(err.line! > 6, 'the document where the budget ran out');
});

test('nesting deeper than the limit stops the parser with the position of the level that went over', () => {
  rejects(deepFlow(50_000), /mappings and sequences nest deeper than the nesting limit of 500 levels/, { line: 4, column: 507 });
  rejects(deepBlock(50_000), /nest deeper than the nesting limit/, { line: 5 });
  assert.doesNotThrow(() => load(deepFlow(400)));
  // Raised past what the stack holds: still exit 2, never a RangeError.
  process.env.BBMESH_MAX_DEPTH = '1000000';
  try {
    rejects(deepFlow(50_000), /nest deeper than the parser's stack allows/);
  } finally {
    delete process.env.BBMESH_MAX_DEPTH;
  }
});

test('an alias chain (linear text, deep tree) and an alias cycle are exit 2, not a stack overflow or a hang', () => {
  rejects(aliasChain(5_000), /aliases nest the document deeper than the nesting limit/);
  rejects(ALIAS_CYCLE, /an alias names a mapping or sequence that contains it \(a cycle\)/, { line: 4 });
});

test('YamlBoundError looks like a js-yaml error (reason, 0-based mark) for every caller that reports those', () => {
  try {
    loadYaml11(deepFlow(1000));
    assert.fail('no error');
  } catch (err) {
    assert.ok(err instanceof YamlBoundError);
    assert.equal(err.limit, 'depth');
    assert.deepEqual(err.mark, { line: 3, column: 506 });
    assert.match(err.reason, /nesting limit/);
  }
});

test('a NUL byte is reported on its own line and column, in any document of the stream', () => {
  rejects('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "b\0c"\n', /a NUL byte/, { line: 6, column: 8 });
  rejects(
    '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: y}\ndata:\n  a: b\0c\n',
    /a NUL byte/,
    {
      line: 10,
      column: 7,
    },
  );
});

test('the document size limit: one oversized document is refused at its line; a List is bounded by the input limit', () => {
  process.env.BBMESH_MAX_DOCUMENT_MB = '0.01';
  try {
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  a: "${'x'.repeat(20_000)}"\n`;
    rejects(
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n---\n${big}`,
      /a YAML document of 20,0\d\d characters, over the document limit of 0\.01 MiB/,
      { line: 4 }, // the document starts at its `---`
    );
    const items = Array.from({ length: 300 }, (_, i) => `- {apiVersion: v1, kind: Namespace, metadata: {name: n${i}}}`);
    const list = `apiVersion: v1\nkind: List\nitems:\n${items.join('\n')}\n`;
    assert.ok(list.length > 10_486);
    assert.equal(load(list).length, 300);
  } finally {
    delete process.env.BBMESH_MAX_DOCUMENT_MB;
  }
});

test('a parse error in a document that may be a Secret quotes nothing of it; elsewhere the parser says what it saw', () => {
  const secret = rejects('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  tls.key: *SeKrEt\n', /unidentified alias "…"/, {
    line: 5,
  });
  assert.ok(!secret.format().includes('SeKrEt'));
  const tag = rejects('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  tls.key: !!binary abc\n', /unknown tag !<…>/);
  assert.ok(!tag.format().includes('binary'));
  rejects('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\ndata:\n  a: !!binary abc\n', /unknown tag !<tag:yaml\.org,2002:binary>/);
});

test('toManifest: wrong-typed metadata, name and kind are read as empty, never written into, never a TypeError', () => {
  const origin = { stage: 'input' as const };
  const str = toManifest({ apiVersion: 'v1', kind: 'Secret', metadata: '-----BEGIN PRIVATE KEY-----' as never }, origin, 'ns');
  assert.deepEqual([str.name, str.namespace, str.obj.metadata], ['', 'ns', '-----BEGIN PRIVATE KEY-----']);
  const list = toManifest({ apiVersion: 'v1', kind: 'ConfigMap', metadata: ['a'] as never }, origin);
  assert.deepEqual([list.name, list.namespace], ['', 'default']);
  const objName = toManifest({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: { a: 1 } as never, namespace: 7 as never } }, origin);
  assert.deepEqual([objName.name, objName.namespace], ['', '7']);
  const kind = toManifest({ apiVersion: 'v1', kind: 12 as never, metadata: { name: 'x' } }, origin);
  assert.equal(kind.kind, '12');
  const none = toManifest({ apiVersion: 'v1', kind: 'ConfigMap' }, origin, 'ns');
  assert.deepEqual(none.obj.metadata, { namespace: 'ns' });
});

test('assertWithinBounds (render prints without parsing): only documents with an alias are parsed, errors other than bounds pass', () => {
  assert.doesNotThrow(() => assertWithinBounds('a: [unclosed\n---\nb: *x\n', 'rendered'));
  assert.throws(
    () => assertWithinBounds(`apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n---\n${aliasBomb(9)}`, 'rendered'),
    (e: unknown) => e instanceof UserError && /^rendered:10:12: aliases expand/.test(e.format()),
  );
});
