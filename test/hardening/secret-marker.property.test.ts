// No value of a Secret in any output: 1,000 random spellings of a Secret (test/hardening/secret-spellings.ts),
// each with a marker in every value that must stay hidden, through render (text and json), check (text,
// json, sarif, junit), trace (text and json) and verify --snapshot (text, json, junit), and through
// every error; then a sample through the built CLI, with --debug.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { checkManifests } from '../../src/analysis/check.js';
import { RULES } from '../../src/analysis/rules/catalogue.js';
import { traceRequest } from '../../src/analysis/trace/index.js';
import { verifyWith, SnapshotReader, parseSnapshot } from '../../src/analysis/verify/index.js';
import { UserError } from '../../src/core/errors.js';
import { loadManifests, splitDocuments } from '../../src/manifest/load.js';
import { checkToJson } from '../../src/report/check-json.js';
import { checkToJunit } from '../../src/report/junit.js';
import { renderToJson } from '../../src/report/render-json.js';
import { checkToSarif } from '../../src/report/sarif.js';
import { formatText } from '../../src/report/text.js';
import { traceToText } from '../../src/report/trace-text.js';
import { formatJson, formatJunit, formatText as verifyText } from '../../src/report/verify.js';
import { meshFromManifests } from '../../src/sources/index.js';
import { redactSecret } from '../../src/sources/render/redact.js';
import { cli, ROOT, tempCopy, tempDir } from '../helpers/pkg.js';
import { brokenSpelling, BREAKAGES, secretSpec, spell, type Spelling } from './secret-spellings.js';

const MESH = readFileSync(join(ROOT, 'test', 'fixtures', 'trace', 'podinfo-integrated.yaml'), 'utf8');
const SNAPSHOT = readFileSync(join(ROOT, 'examples', 'podinfo-cluster-snapshot.yaml'), 'utf8');
const RUNS = 1000;

function assertHidden(out: string, sp: Spelling, where: string): void {
  if (out.includes(sp.marker)) assert.fail(`${where} shows a Secret value:\n${sp.text}\n--- output ---\n${out}`);
}

/** Runs `f`; an error is allowed (a broken Secret is exit 2) but must not carry the marker, nor be an internal one. */
async function outputsOf(f: () => Promise<string[]> | string[], sp: Spelling, where: string): Promise<string[]> {
  try {
    return await f();
  } catch (err) {
    assert.ok(err instanceof UserError, `${where}: not a UserError (exit 3): ${String(err)}\n${sp.text}`);
    assertHidden(`${err.format()}\n${err.stack}`, sp, `${where} error`);
    return [];
  }
}

test(`${RUNS} random Secret spellings: no marker in render, check, trace or verify output, nor in an error`, async () => {
  const dir = tempDir();
  let n = 0;
  await fc.assert(
    fc.asyncProperty(secretSpec, async (spec) => {
      const sp = spell(spec);
      const file = join(dir, `case-${n++}.yaml`);
      // render: the printed text (same lines, valid YAML, passdowns visible) and -o json
      const text = redactSecret(sp.text);
      assertHidden(text, sp, 'render');
      assert.equal(text.split('\n').length, sp.text.split('\n').length, 'redaction keeps every line');
      assert.deepEqual(parseDocument(text, { version: '1.1' }).errors, [], `redacted text is valid YAML:\n${text}`);
      for (const v of sp.visible) assert.ok(text.includes(v), `passdown value ${v} stays visible:\n${text}`);
      const manifests = loadManifests(text, { file: 'rendered', stage: 'bigbang' });
      const rendered = { packageDir: dir, packageName: 'p', text, manifests, releases: [], bigbangValues: {} };
      assertHidden(JSON.stringify(renderToJson(rendered)), sp, 'render -o json');

      // check -f, trace -f: the raw spelling next to a working mesh
      writeFileSync(file, `${MESH}\n---\n${sp.text}`);
      const checked = await outputsOf(
        async () => {
          const r = await checkManifests([file]);
          return [formatText(r), JSON.stringify(checkToJson(r)), JSON.stringify(checkToSarif(r, RULES, '0')), checkToJunit(r, RULES)];
        },
        sp,
        'check',
      );
      const traced = await outputsOf(
        async () => {
          const mesh = await meshFromManifests(
            loadManifests(`${MESH}\n---\n${sp.text}`, { file, stage: 'input', defaultNamespace: 'default' }),
          );
          const t = traceRequest(mesh.model, { url: 'https://podinfo.bigbang.dev/' });
          return [traceToText(t), JSON.stringify(t)];
        },
        sp,
        'trace',
      );
      // verify --snapshot: the Secret next to the cluster's objects
      const verified = await outputsOf(
        async () => {
          const reader = new SnapshotReader(parseSnapshot(`${SNAPSHOT}\n---\n${sp.text}`, file), 'snapshot');
          const report = await verifyWith(reader, { packageName: 'podinfo' });
          return [verifyText(report), formatJson(report), formatJunit(report)];
        },
        sp,
        'verify',
      );
      for (const out of [...checked, ...traced, ...verified]) assertHidden(out, sp, 'an output');
      assert.ok(checked.length && traced.length && verified.length, 'a valid Secret is read without an error');
    }),
    { numRuns: RUNS },
  );
});

test('a Secret that is not valid YAML: exit 2 without quoting it, and render withholds it', () => {
  BREAKAGES.forEach((_, i) => {
    const marker = `SeKrEtbroken${i}`;
    const text = brokenSpelling(marker, i);
    assert.throws(
      () => loadManifests(text, { file: 'x.yaml', stage: 'input' }),
      (err: unknown) =>
        err instanceof UserError && !`${err.format()}${err.stack}`.includes(marker) && /^x\.yaml:\d+:\d+: /.test(err.format()),
    );
    const red = redactSecret(text);
    assert.ok(!red.includes(marker), red);
    assert.equal(red.split('\n').length, text.split('\n').length);
  });
});

test('a Secret whose metadata is a string holding a key is read without quoting it (no internal error)', () => {
  const text = 'apiVersion: v1\nkind: Secret\nmetadata: "-----BEGIN PRIVATE KEY-----SeKrEtmeta"\ntype: kubernetes.io/tls\n';
  const [m] = loadManifests(text, { file: 'x.yaml', stage: 'input' });
  assert.equal(m.name, '');
  assert.equal(m.obj.metadata, '-----BEGIN PRIVATE KEY-----SeKrEtmeta', 'the object is left as written, for K8S001 to report');
  const r = cli(['check', '-', '-o', 'json'], { input: text });
  assert.equal(r.code, 1, r.stderr);
  assert.ok(!r.stdout.includes('SeKrEt') && !r.stderr.includes('SeKrEt'), r.stdout + r.stderr);
  assert.match(r.stdout, /"metadata: must be object, got a value"/);
});

test('the built CLI on a sample: render, check, trace, verify --snapshot, each format, with --debug', () => {
  // Helm itself reads each template's metadata: a string there is Helm's error, not a sample for render.
  const sample = fc
    .sample(secretSpec, { numRuns: 12, seed: 4242 })
    .filter((s) => !s.metadataString)
    .map(spell);
  const broken = [0, 1, 4].map((i) => brokenSpelling(`SeKrEtcli${i}`, i)); // every breakage runs in the library test above
  const markers = [...sample.map((s) => s.marker), 'SeKrEtcli'];
  const pkg = tempCopy(join(ROOT, 'test', 'fixtures', 'check', 'podinfo-integrated'));
  // Helm itself parses each template's YAML: valid spellings only, one template each.
  sample.forEach((s, i) => writeFileSync(join(pkg, 'chart', 'templates', `secret-${i}.yaml`), s.text));
  const dir = tempDir();
  const input = join(dir, 'input.yaml');
  writeFileSync(input, `${MESH}\n---\n${sample.map((s) => s.text).join('---\n')}`);
  const snapshot = join(dir, 'snapshot.yaml');
  writeFileSync(snapshot, `${SNAPSHOT}\n---\n${sample.map((s) => s.text).join('---\n')}`);
  const runs: Array<[string[], number[]]> = [
    [['render', pkg], [0]],
    [['render', pkg, '-o', 'json', '--debug'], [0]],
    ...['text', 'json', 'sarif', 'junit'].map((f): [string[], number[]] => [
      ['check', pkg, '-o', f],
      [0, 1],
    ]),
    ...['text', 'json', 'sarif', 'junit'].map((f): [string[], number[]] => [
      ['check', input, '-o', f, '--debug'],
      [0, 1],
    ]),
    [
      ['trace', 'https://podinfo.bigbang.dev/', pkg, '--debug'],
      [0, 1],
    ],
    [
      ['trace', 'https://podinfo.bigbang.dev/', input, '-o', 'json'],
      [0, 1],
    ],
    ...['text', 'json', 'junit'].map((f): [string[], number[]] => [
      ['verify', '--snapshot', snapshot, '--package', 'podinfo', '-o', f],
      [0, 1],
    ]),
    ...broken.flatMap((b, i): Array<[string[], number[]]> => {
      const f = join(dir, `broken-${i}.yaml`);
      writeFileSync(f, `${MESH}\n---\n${b}`);
      return [
        [['check', f, '--debug'], [2]],
        [['verify', '--snapshot', f, '--package', 'podinfo', '--debug'], [2]],
      ];
    }),
  ];
  for (const [args, codes] of runs) {
    const r = cli(args);
    assert.ok(codes.includes(r.code), `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
    for (const m of markers) assert.ok(!r.stdout.includes(m) && !r.stderr.includes(m), `${args.join(' ')} shows ${m}`);
    if (args[0] === 'render' && args.length === 2) {
      assert.equal(splitDocuments(r.stdout, 'x').length >= sample.length, true);
      for (const s of sample) for (const v of s.visible) assert.ok(r.stdout.includes(v), `render shows the passdown ${v}`);
    }
  }
});
