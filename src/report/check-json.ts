// `bbmesh check --format json` (schema: schemas/check.schema.json, schemaVersion 1).
import type { CheckResult } from '../analysis/check.js';
import type { Finding, FindingSource } from '../analysis/rules/types.js';
import type { UmbrellaRead } from '../sources/umbrella/types.js';
import { umbrellaFields } from './common.js';
import { jsonChunks, lazy } from './json-stream.js';

/** What the result itself does not carry: the umbrella read for manifest files given with --umbrella. */
export interface CheckJsonExtra {
  umbrella?: UmbrellaRead;
}

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

export function checkToJson(r: CheckResult, extra: CheckJsonExtra = {}) {
  return { ...checkJsonDocument(r, extra), findings: r.findings.map((f) => findingToJson(f)) };
}

/** The JSON report's text as it is made: findings are converted one at a time while written. */
export function checkJsonChunks(r: CheckResult, extra: CheckJsonExtra = {}): Iterable<string> {
  return jsonChunks(checkJsonDocument(r, extra));
}

function checkJsonDocument(r: CheckResult, extra: CheckJsonExtra) {
  return {
    schemaVersion: 1 as const,
    input: r.input,
    layout: r.layout,
    ...(r.layoutReason ? { layoutReason: r.layoutReason } : {}),
    ...(r.platformGateways ? { platformGateways: r.platformGateways } : {}),
    ...umbrellaFields(extra.umbrella ?? r.render?.umbrella, r.render?.notRendered),
    failOn: r.failOn,
    rules: { run: r.rulesRun, skipped: r.rulesSkipped },
    findings: lazy(r.findings, (f) => findingToJson(f)),
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
