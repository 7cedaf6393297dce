// The streamed JSON is the very text JSON.stringify(value, null, 2) gives, wherever the lazy arrays sit.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import fc from 'fast-check';
import { Lazy, jsonChunks, lazy } from '../../src/report/json-stream.js';
import { writeChunks } from '../../src/report/sink.js';

/** Replaces some arrays of a JSON value by lazy ones (chosen by the generated flags). */
function withLazy(v: unknown, flags: boolean[], i = { n: 0 }): unknown {
  if (Array.isArray(v)) {
    const items = v.map((x) => withLazy(x, flags, i));
    return flags[i.n++ % flags.length] ? new Lazy(items) : items;
  }
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withLazy(x, flags, i)]));
  return v;
}

test('streamed JSON equals JSON.stringify(value, null, 2)', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (value, flags) => {
      const expected = JSON.stringify(value, null, 2);
      assert.equal([...jsonChunks(withLazy(value, flags))].join(''), expected);
    }),
    { numRuns: 500 },
  );
});

test('a lazy array is made one element at a time, while it is written', () => {
  let made = 0;
  const chunks = jsonChunks({ findings: lazy([1, 2, 3], (n) => ({ n, made: ++made })) });
  const seen: number[] = [];
  for (const _ of chunks) seen.push(made);
  assert.deepEqual([...new Set(seen)], [0, 1, 2, 3]);
});

test('writeChunks waits for a slow reader and loses nothing', async () => {
  const out = new PassThrough({ highWaterMark: 1024 });
  let text = '';
  const reading = (async () => {
    for await (const b of out) {
      text += String(b);
      await new Promise((r) => setImmediate(r));
    }
  })();
  const parts = Array.from({ length: 2000 }, (_, i) => `line ${i}\n`);
  await writeChunks(parts, out);
  out.end();
  await reading;
  assert.equal(text, parts.join(''));
});

test('check -o json, sarif and text stream the same document they would build whole', async () => {
  const { checkManifests } = await import('../../src/analysis/check.js');
  const { checkJsonChunks, checkToJson } = await import('../../src/report/check-json.js');
  const { formatText, textChunks } = await import('../../src/report/text.js');
  const { syntheticMesh } = await import('../../bench/synthetic.js');
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'bbmesh-stream-'));
  const file = join(dir, 'mesh.yaml');
  writeFileSync(file, syntheticMesh(100, { heavy: true }));
  const r = await checkManifests([file]);
  assert.ok(r.findings.length > 3, 'the fixture has findings to stream');
  assert.equal([...checkJsonChunks(r)].join(''), JSON.stringify(checkToJson(r), null, 2));
  assert.equal([...textChunks(r)].join(''), formatText(r));
  const { checkSarifChunks, checkToSarif } = await import('../../src/report/sarif.js');
  const { RULES } = await import('../../src/analysis/rules/catalogue.js');
  assert.equal([...checkSarifChunks(r, RULES, '1.0.0')].join(''), JSON.stringify(checkToSarif(r, RULES, '1.0.0'), null, 2));
  rmSync(dir, { recursive: true, force: true });
});
