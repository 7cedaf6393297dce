// The fast locator must agree with the full positional parser wherever it answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadManifests } from '../../src/manifest/load.js';
import { fastLocate, locateSlow } from '../../src/manifest/locate.js';
import type { Manifest, Path } from '../../src/manifest/types.js';
import { renderPackage } from '../../src/sources/render/index.js';
import { syntheticMesh } from '../../bench/synthetic.js';
import { ROOT, EXAMPLE } from '../helpers/pkg.js';

function* paths(v: unknown, prefix: Path = []): Generator<Path> {
  if (prefix.length) yield prefix;
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* paths(v[i], [...prefix, i]);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) yield* paths(x, [...prefix, k]);
}

function agree(ms: Manifest[]): number {
  let fast = 0;
  for (const m of ms) {
    const d = m.origin.doc!;
    for (const p of paths(m.obj)) {
      const f = fastLocate(d, p);
      if (!f) continue;
      fast++;
      const s = locateSlow(m, p)!;
      assert.deepEqual(
        { line: d.line + f.line - 1, column: f.column },
        { line: s.line, column: s.column },
        `${m.kind}/${m.name} ${p.join('.')}`,
      );
    }
  }
  return fast;
}

test('fast and full locators agree on every node of real renders', async () => {
  const dirs = [EXAMPLE, ...readdirSync(join(ROOT, 'test/fixtures/realistic')).map((d) => join(ROOT, 'test/fixtures/realistic', d))];
  let n = 0;
  for (const dir of dirs) n += agree((await renderPackage(dir, { set: ['istio.enabled=true'] })).manifests);
  assert.ok(n > 1000, `the fast path answered ${n} lookups`);
});

test('fast and full locators agree on the synthetic mesh', () => {
  assert.ok(agree(loadManifests(syntheticMesh(200), { file: 's', stage: 'input' })) > 1000);
});

test('property: agree on generated block-style documents (lists of maps and scalars, block scalars, quoted keys)', () => {
  const key = fc.constantFrom('a', 'b', 'name', 'app.kubernetes.io/name', 'x-y', '"quoted key"', 'port');
  const scalar = fc.constantFrom('1', 'v', '"s: t"', "'q'", '|\n  text\n  more', 'true', '[1, 2]', '{a: 1}');
  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('list')),
    map: fc.dictionary(key, tie('node'), { minKeys: 1, maxKeys: 3 }),
    list: fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
  })).node;
  const render = (v: unknown, indent: number): string => {
    const pad = ' '.repeat(indent);
    if (Array.isArray(v))
      return v
        .map((x) => {
          if (typeof x === 'string') return `${pad}- ${x.replace(/\n/g, `\n${pad}  `)}\n`;
          const inner = render(x, indent + 2);
          return `${pad}- ${inner.slice(indent + 2)}`;
        })
        .join('');
    if (v && typeof v === 'object')
      return Object.entries(v)
        .map(([k, x]) => {
          if (typeof x === 'string') return `${pad}${k}: ${x.replace(/\n/g, `\n${pad}`)}\n`;
          return `${pad}${k}:\n${render(x, Array.isArray(x) ? indent : indent + 2)}`;
        })
        .join('');
    return `${pad}${String(v)}\n`;
  };
  let valid = 0;
  let answered = 0;
  fc.assert(
    fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }), (obj) => {
      const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n${render(obj, 2)}`;
      let ms: Manifest[];
      try {
        ms = loadManifests(text, { file: 'g', stage: 'input' });
      } catch {
        return; // a generated document that is not valid YAML says nothing about locators
      }
      valid++;
      answered += agree(ms);
    }),
    { numRuns: 300 },
  );
  assert.ok(valid > 200 && answered > 1000, `valid documents ${valid}, fast answers ${answered}`);
});
