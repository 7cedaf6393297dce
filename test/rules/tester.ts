// RuleTester: a rule's tests are a table of valid inputs (no finding) and invalid inputs
// (exact findings: code, object, line). Inputs are YAML streams; the Big Bang platform
// (public Gateway, ingress gateway, public-cert) is added unless `platform: false`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadManifests } from '../../src/manifest/load.js';
import { buildModel } from '../../src/model/build.js';
import { LAYOUTS, type LayoutName as Layout } from '../../src/core/layout.js';
import { withPlatform } from '../../src/sources/platform.js';
import { runRules } from '../../src/analysis/rules/engine.js';
import type { Finding, PackageContext, Rule, Severity } from '../../src/analysis/rules/types.js';

export interface Case {
  name: string;
  yaml: string;
  platform?: boolean;
  layout?: Layout;
  istioEnabled?: boolean;
  domain?: string;
  pkg?: PackageContext;
}

export interface Expected {
  code?: string;
  /** `Kind/namespace/name` */
  object?: string;
  line?: number;
  column?: number;
  message?: RegExp;
  severity?: Severity;
}

export function findingsFor(rule: Rule, c: Case): Finding[] {
  const layout = c.layout ?? 'bb2';
  let manifests = loadManifests(c.yaml, { file: 'input.yaml', stage: 'input', defaultNamespace: 'default' });
  if (c.platform !== false) manifests = withPlatform(manifests, { layout, domain: c.domain ?? 'bigbang.dev' });
  const model = buildModel(manifests, { layout: LAYOUTS[layout] });
  return runRules([rule], { model, layout: LAYOUTS[layout], istioEnabled: c.istioEnabled ?? true, pkg: c.pkg }, { render: 'input' });
}

export function ruleTester(rule: Rule, cases: { valid: Case[]; invalid: Array<Case & { errors: Expected[] }> }): void {
  for (const c of cases.valid) {
    test(`${rule.meta.code} valid: ${c.name}`, () => {
      const fs = findingsFor(rule, c);
      assert.deepEqual(
        fs.map((f) => `${f.code} ${f.object.kind}/${f.object.namespace}/${f.object.name}: ${f.message}`),
        [],
      );
    });
  }
  for (const c of cases.invalid) {
    test(`${rule.meta.code} invalid: ${c.name}`, () => {
      const fs = findingsFor(rule, c);
      assert.equal(
        fs.length,
        c.errors.length,
        `expected ${c.errors.length} finding(s), got:\n${fs.map((f) => `  ${f.code} ${f.object.kind}/${f.object.namespace}/${f.object.name} @${f.source?.line}:${f.source?.column} ${f.message}`).join('\n')}`,
      );
      c.errors.forEach((e, i) => {
        const f = fs[i];
        assert.equal(f.code, e.code ?? rule.meta.code);
        if (e.object) assert.equal(`${f.object.kind}/${f.object.namespace}/${f.object.name}`, e.object);
        if (e.line !== undefined) assert.equal(f.source?.line, e.line, `line of ${f.message}`);
        if (e.column !== undefined) assert.equal(f.source?.column, e.column, `column of ${f.message}`);
        if (e.message) assert.match(f.message, e.message);
        if (e.severity) assert.equal(f.severity, e.severity, `severity of ${f.message}`);
      });
    });
  }
}
