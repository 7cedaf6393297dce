// integrate never leaves a chart that does not render: the result is rendered (Istio on and off) before
// anything is written, and the shapes that used to break (flow maps in namespace.yaml, a values file
// ending in `...`) are edited so that the result renders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { integratePackage } from '../../src/integrate/index.js';
import { UserError } from '../../src/core/errors.js';
import { bbmesh, copyPackage, find, PODINFO, render, snapshot } from './helpers.js';

const NS = 'bigbang/templates/podinfo/namespace.yaml';

function schemaForbiddingNewKeys(dir: string): void {
  const keys = Object.keys(
    Object.fromEntries(
      readFileSync(join(dir, 'chart/values.yaml'), 'utf8')
        .split('\n')
        .filter((l) => /^[A-Za-z]/.test(l))
        .map((l) => [l.split(':')[0], 1]),
    ),
  );
  const schema = {
    $schema: 'https://json-schema.org/draft-07/schema#',
    type: 'object',
    additionalProperties: false,
    properties: {} as Record<string, object>,
  };
  for (const k of keys) schema.properties[k] = {};
  writeFileSync(join(dir, 'chart/values.schema.json'), JSON.stringify(schema, null, 2));
}

test("a values schema that rejects the new keys: refused with Helm's message, exit 2, nothing written", async () => {
  const dir = copyPackage(PODINFO);
  schemaForbiddingNewKeys(dir);
  await render(dir); // it renders before integrate
  const before = snapshot(dir);
  await assert.rejects(integratePackage(dir), (err: unknown) => {
    assert.ok(err instanceof UserError);
    assert.match(
      err.message,
      /^integrate would break the chart, so nothing was written: with Istio (on|off) \(istio\.enabled=(true|false)\) helm template failed/,
    );
    assert.match(err.message, /values don't meet the specifications of the schema/);
    assert.doesNotMatch(err.format(), /\.bbmesh|preview/, 'paths point at the package, not the scratch copy');
    return true;
  });
  assert.deepEqual(snapshot(dir), before);
  assert.equal(existsSync(join(dir, '.bbmesh')), false, 'no staging directory left');
  // The CLI: exit 2, one line; a dry run shows the diff it would have written, then the same refusal.
  const cli = bbmesh(['integrate', dir]);
  assert.equal(cli.code, 2);
  assert.match(cli.stderr, /^bbmesh: .*integrate would break the chart/m);
  const dry = bbmesh(['integrate', dir, '--dry-run']);
  assert.equal(dry.code, 2);
  assert.match(dry.stdout, /^\+\+\+ b\/chart\/values\.yaml$/m);
  assert.match(dry.stderr, /integrate would break the chart/);
  assert.deepEqual(snapshot(dir), before);
});

test('a package that does not render even before integrate is reported as such', async () => {
  const dir = copyPackage(PODINFO);
  const f = join(dir, 'chart/templates/service.yaml');
  writeFileSync(
    f,
    readFileSync(f, 'utf8').replace(
      '{{- if .Values.service.enabled -}}',
      '{{- if .Values.service.enabled -}}\n{{ fail "broken on purpose" }}',
    ),
  );
  // The Service cannot be learned (no render): so pass it, and the port.
  await assert.rejects(integratePackage(dir, { service: ['podinfo'], port: '9898' }), (err: unknown) => {
    assert.ok(err instanceof UserError);
    assert.match(err.message, /does not render with Istio (on|off) .* even before integrate; nothing written: .*broken on purpose/);
    return true;
  });
});

const FLOW_NAMESPACES: Array<[string, string]> = [
  [
    'labels as a flow map',
    '{{- if .Values.podinfo.enabled }}\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: podinfo\n  labels: {app.kubernetes.io/name: podinfo, app.kubernetes.io/component: "sandbox"}\n{{- end }}\n',
  ],
  [
    'empty labels flow map',
    '{{- if .Values.podinfo.enabled }}\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: podinfo\n  labels: {}\n{{- end }}\n',
  ],
  [
    'metadata as a flow map with labels',
    '{{- if .Values.podinfo.enabled }}\napiVersion: v1\nkind: Namespace\nmetadata: {name: podinfo, labels: {app.kubernetes.io/name: podinfo, }}\n{{- end }}\n',
  ],
  [
    'metadata as a flow map, no labels',
    '{{- if .Values.podinfo.enabled }}\napiVersion: v1\nkind: Namespace\nmetadata: {name: podinfo}\n{{- end }}\n',
  ],
  [
    'multi-line metadata flow map with a template value',
    '{{- if .Values.podinfo.enabled }}\napiVersion: v1\nkind: Namespace\nmetadata: {\n  name: podinfo,\n  labels: {app.kubernetes.io/name: {{ "podinfo" | quote }}}\n}\n{{- end }}\n',
  ],
  [
    'labels from an include with nindent',
    '{{- if .Values.podinfo.enabled }}\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: podinfo\n  labels: {{- include "commonLabels" . | nindent 4 }}\n{{- end }}\n',
  ],
];

for (const [name, text] of FLOW_NAMESPACES) {
  test(`namespace.yaml with ${name}: the label is added and the chart still renders`, async () => {
    const dir = copyPackage(PODINFO);
    writeFileSync(join(dir, NS), text);
    const r = await integratePackage(dir);
    assert.equal(r.steps[1].status, 'done', r.steps[1].reason);
    const on = find(await render(dir, ['istio.enabled=true']), 'Namespace')[0];
    assert.equal(on.obj.metadata!.labels!['istio-injection'], 'enabled');
    const off = find(await render(dir, ['istio.enabled=false']), 'Namespace')[0];
    assert.equal(off.obj.metadata?.labels?.['istio-injection'], undefined);
    if (/app\.kubernetes\.io\/name/.test(text))
      assert.equal(off.obj.metadata!.labels!['app.kubernetes.io/name'], 'podinfo', 'the other labels stay');
    assert.equal((await integratePackage(dir)).alreadyIntegrated, true);
  });
}

test('values files ending in `...`: the keys go inside the document, and the chart renders them', async () => {
  const dir = copyPackage(PODINFO);
  for (const f of ['chart/values.yaml', 'bigbang/values.yaml']) {
    const p = join(dir, f);
    writeFileSync(p, readFileSync(p, 'utf8') + '...\n');
  }
  await integratePackage(dir);
  const values = readFileSync(join(dir, 'chart/values.yaml'), 'utf8');
  assert.ok(values.endsWith('...\n'), 'the end marker stays last');
  assert.ok(values.indexOf('istio:') < values.indexOf('\n...'));
  const ms = await render(dir);
  const vs = find(ms, 'VirtualService');
  assert.equal(vs.length, 1, 'istio.enabled=true from bigbang/values.yaml reaches the render');
  assert.deepEqual((vs[0].obj.spec as Record<string, unknown>).hosts, ['podinfo.bigbang.dev']);
});
