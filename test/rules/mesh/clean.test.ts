// No false alarms: a correctly integrated Big Bang package plus the assumed platform gives
// no MESH finding at warning or above, in both layouts and with Istio on or off.
import { RULE_CODES } from '../../../src/analysis/rules/codes.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { findingsFor } from '../tester.js';
import { MESH_RULES } from '../../../src/analysis/rules/mesh/index.js';
import type { LayoutName as Layout } from '../../../src/core/layout.js';

const yaml = readFileSync(new URL('../fixtures/mesh/clean-podinfo.yaml', import.meta.url), 'utf8');
// In 3.x the gateway runs in istio-gateway: the route and the AuthorizationPolicy admitting it both move.
const bb3 = yaml
  .replace('- istio-system/public', '- istio-gateway/public-ingressgateway')
  .replace('namespaces: ["istio-system"]', 'namespaces: ["istio-gateway"]');

function loud(layout: Layout, text: string, istioEnabled = true): string[] {
  return MESH_RULES.flatMap((r) => findingsFor(r, { name: 'clean', yaml: text, layout, istioEnabled }))
    .filter((f) => f.severity !== 'info')
    .map((f) => `${f.code} ${f.object.kind}/${f.object.namespace}/${f.object.name}:${f.source?.line} ${f.message}`);
}

test('MESH rules are registered in code order, one per MESH code of the catalogue', () => {
  assert.deepEqual(
    MESH_RULES.map((r) => r.meta.code),
    RULE_CODES.filter((c) => c.startsWith('MESH')),
  );
  for (const r of MESH_RULES) {
    for (const k of ['title', 'explanation', 'symptom', 'hint'] as const) assert.ok(r.meta[k].length > 10, `${r.meta.code} ${k}`);
    assert.ok(r.meta.reads.length, `${r.meta.code} reads`);
  }
});

test('clean Big Bang package (bb2): no MESH finding at warning or above', () => {
  assert.deepEqual(loud('bb2', yaml), []);
});

test('clean Big Bang package (bb3): no MESH finding at warning or above', () => {
  assert.deepEqual(loud('bb3', bb3), []);
});

test('clean Big Bang package: no info findings either', () => {
  const all = MESH_RULES.flatMap((r) => findingsFor(r, { name: 'clean', yaml, layout: 'bb2' }));
  assert.deepEqual(
    all.map((f) => `${f.code} ${f.message}`),
    [],
  );
});

test('the platform alone is clean', () => {
  for (const layout of ['bb2', 'bb3'] as const) {
    const all = MESH_RULES.flatMap((r) => findingsFor(r, { name: 'platform', yaml: '', layout }));
    assert.deepEqual(
      all.map((f) => `${f.code} ${f.message}`),
      [],
    );
  }
});
