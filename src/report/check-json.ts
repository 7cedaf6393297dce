// `bbmesh check --format json` (schema: schemas/check.schema.json, schemaVersion 1).
import type { CheckResult } from '../analysis/check.js';
import type { Finding, FindingSource } from '../analysis/rules/types.js';
import { LAYOUTS } from '../core/layout.js';
import { defaultGateways } from '../sources/platform.js';

function source(s: FindingSource | undefined) {
  if (!s) return null;
  return {
    file: s.file,
    template: s.template ?? null,
    templatePath: s.templatePath ?? null,
    templateLine: s.templateLine ?? null,
    line: s.line,
    column: s.column,
    ...(s.values ? { values: s.values, library: s.library ?? null } : {}),
  };
}

/** The assumed Big Bang gateways, as `ns/name` of their Gateway objects (3.x: public and passthrough). */
export function platformGateways(r: CheckResult): string[] {
  const p = r.platform;
  if (!p) return [];
  const L = LAYOUTS[p.layout];
  return (p.gateways ?? defaultGateways(p.layout, p.domain)).map((g) => L.gatewayRef(g.name));
}

export function checkToJson(r: CheckResult) {
  return {
    schemaVersion: 1 as const,
    input: r.input,
    layout: r.layout,
    ...(r.layoutReason ? { layoutReason: r.layoutReason } : {}),
    ...(r.platform ? { platformGateways: platformGateways(r) } : {}),
    failOn: r.failOn,
    rules: { run: r.rulesRun, skipped: r.rulesSkipped },
    findings: r.findings.map((f) => findingToJson(f)),
    summary: r.summary,
  };
}

/** One finding as `check --format json` (and `verify --format json`) print it. */
export function findingToJson(f: Finding, defaultRender: NonNullable<Finding['render']> = 'input') {
  return {
    code: f.code,
    severity: f.severity,
    title: f.title,
    message: f.message,
    object: { apiVersion: f.object.apiVersion, kind: f.object.kind, namespace: f.object.namespace, name: f.object.name },
    source: source(f.source),
    symptom: f.symptom,
    hint: f.hint,
    assumed: f.assumed,
    render: f.render ?? defaultRender,
    related: f.related.map((x) => ({ object: x.object, source: source(x.source), message: x.message })),
  };
}
