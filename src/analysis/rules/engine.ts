// Runs rules over a model, locates and filters their findings.
import { relative, join } from 'node:path';
import { locate } from '../../manifest/locate.js';
import { templateLine } from '../../manifest/template-line.js';
import type { Manifest, Path } from '../../manifest/types.js';
import type { Finding, FindingDraft, FindingSource, Rule, RuleContext, Severity } from './types.js';

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };
export const IGNORE_ANNOTATION = 'bbmesh.dev/ignore';

export function sourceOf(m: Manifest, path?: Path, cwd = process.cwd()): FindingSource | undefined {
  const loc = locate(m, path ?? []);
  if (!loc) return undefined;
  let templatePath: string | undefined;
  let tl: number | undefined;
  if (m.origin.template && m.origin.chartDir) {
    const abs = join(m.origin.chartDir, m.origin.template.split('/').slice(1).join('/'));
    templatePath = relative(cwd, abs);
    tl = templateLine(abs, path ?? [])?.line;
  }
  return { file: loc.file, template: m.origin.template, templatePath, templateLine: tl, line: loc.line, column: loc.column };
}

function suppressed(m: Manifest, code: string): boolean {
  const v = m.obj.metadata?.annotations?.[IGNORE_ANNOTATION];
  if (!v) return false;
  return String(v)
    .split(',')
    .map((s) => s.trim())
    .some((c) => c === code || c === '*');
}

export interface RunOptions {
  ignore?: string[];
  render?: Finding['render'];
}

export function runRules(rules: Rule[], ctx: RuleContext, opts: RunOptions = {}): Finding[] {
  const ignore = new Set((opts.ignore ?? []).map((s) => s.trim().toUpperCase()));
  const out: Finding[] = [];
  for (const rule of rules) {
    if (ignore.has(rule.meta.code)) continue;
    if (rule.meta.needsPackage && !ctx.pkg) continue;
    let drafts: FindingDraft[];
    try {
      drafts = rule.check(ctx);
    } catch (err: any) {
      throw new Error(`rule ${rule.meta.code} failed: ${err?.message ?? err}`, { cause: err });
    }
    for (const d of drafts) {
      if (suppressed(d.object, rule.meta.code)) continue;
      out.push(toFinding(rule, d, opts.render));
    }
  }
  return sortFindings(out);
}

export function toFinding(rule: Rule, d: FindingDraft, render?: Finding['render']): Finding {
  const m = d.object;
  const source: FindingSource | undefined = d.file
    ? { file: d.file.path, templatePath: d.file.path, line: d.file.line, column: d.file.column }
    : sourceOf(m, d.path);
  return {
    code: rule.meta.code,
    severity: d.severity ?? rule.meta.severity,
    title: rule.meta.title,
    message: d.message,
    object: { apiVersion: m.apiVersion, kind: m.kind, namespace: m.namespace, name: m.name },
    source,
    symptom: d.symptom ?? rule.meta.symptom,
    hint: d.hint ?? rule.meta.hint,
    assumed: m.origin.stage === 'platform',
    render,
    related: (d.related ?? []).map((r) => ({
      object: { kind: r.object.kind, namespace: r.object.namespace, name: r.object.name },
      source: sourceOf(r.object, r.path),
      message: r.message,
    })),
  };
}

export function sortFindings(fs: Finding[]): Finding[] {
  return fs.sort(
    (a, b) =>
      (a.source?.file ?? '').localeCompare(b.source?.file ?? '') ||
      (a.source?.line ?? 0) - (b.source?.line ?? 0) ||
      (a.source?.column ?? 0) - (b.source?.column ?? 0) ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}

/** Exit code for findings: 1 when any is at or above `failOn`. */
export function exitCodeFor(findings: Finding[], failOn: Severity = 'warning'): number {
  return findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0;
}
