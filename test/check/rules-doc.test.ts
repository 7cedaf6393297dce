import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderRulesDoc, RULES_DOC } from '../../scripts/gen-rules-doc.js';
import { RULES } from '../../src/analysis/rules/catalogue.js';

test('docs/rules.md is generated from the catalogue (run `npm run docs:rules`)', () => {
  assert.equal(readFileSync(RULES_DOC, 'utf8'), renderRulesDoc(), 'docs/rules.md is stale: run `npm run docs:rules`');
});

test('every rule documents itself: code, severity, title, explanation, symptom, hint, reads; codes unique', () => {
  const seen = new Set<string>();
  for (const r of RULES) {
    const m = r.meta;
    assert.match(m.code, /^(MESH|BB|K8S)\d{3}$/);
    assert.ok(!seen.has(m.code), `duplicate ${m.code}`);
    seen.add(m.code);
    assert.ok(['error', 'warning', 'info'].includes(m.severity));
    for (const k of ['title', 'explanation', 'symptom', 'hint'] as const) assert.ok(m[k].length > 10, `${m.code} ${k}`);
    assert.ok(m.reads.length > 0, `${m.code} reads`);
  }
});
