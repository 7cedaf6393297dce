// The rule engine: runs rules over a model (as ESLint's engine runs visitors), locates their findings,
// applies suppression annotations and the supersessions the rules declare, and orders the result.
import { sourceOf, type TemplateText } from '../../manifest/source.js';
import type { Manifest } from '../../manifest/types.js';
import type { Finding, FindingDraft, FindingRender, Rule, RuleContext, Severity } from './types.js';

export const SEVERITY_RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };
export const IGNORE_ANNOTATION = 'bbmesh.dev/ignore';

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
  render?: FindingRender;
  /** Template text for template lines (a package's files). */
  files?: TemplateText;
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
    } catch (err) {
      throw new Error(`rule ${rule.meta.code} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    for (const d of drafts) {
      // Other packages' objects of an umbrella render are context: read, never reported.
      if (d.object.origin.stage === 'context' || suppressed(d.object, rule.meta.code)) continue;
      out.push(toFinding(rule, d, opts.render, opts.files));
    }
  }
  return sortFindings(out);
}

export function toFinding(rule: Rule, d: FindingDraft, render?: FindingRender, files?: TemplateText): Finding {
  const m = d.object;
  const source = d.file
    ? { file: d.file.path, templatePath: d.file.path, line: d.file.line, column: d.file.column }
    : sourceOf(m, d.path, files);
  return {
    code: rule.meta.code,
    severity: d.severity ?? rule.meta.severity,
    title: rule.meta.title,
    message: d.message,
    object: { apiVersion: m.apiVersion, kind: m.kind, namespace: m.namespace, name: m.name },
    ...(d.path ? { path: d.path } : {}),
    source,
    symptom: d.symptom ?? rule.meta.symptom,
    hint: d.hint ?? rule.meta.hint,
    assumed: m.origin.stage === 'platform' || m.origin.stage === 'operator',
    render,
    related: (d.related ?? []).map((r) => ({
      object: { kind: r.object.kind, namespace: r.object.namespace, name: r.object.name },
      source: sourceOf(r.object, r.path, files),
      message: r.message,
    })),
  };
}

const placeKey = (f: Finding) =>
  [f.code, f.object.kind, f.object.namespace, f.object.name, f.message, f.source?.file, f.source?.line, f.source?.column].join('\u0000');

/**
 * Findings made redundant by another rule's finding (the rules' `supersedes`), and repeats of one
 * finding across renders (same code, object, message and place: the first render's is kept).
 */
export function settle(rules: Rule[], findings: Finding[]): Finding[] {
  const byCode = new Map<string, Finding[]>();
  for (const f of findings) {
    const l = byCode.get(f.code);
    if (l) l.push(f);
    else byCode.set(f.code, [f]);
  }
  const dropped = new Set<Finding>();
  for (const r of rules) {
    for (const s of r.meta.supersedes ?? []) {
      const mine = byCode.get(r.meta.code) ?? [];
      if (!mine.length) continue;
      for (const theirs of byCode.get(s.code) ?? []) if (mine.some((f) => s.when(f, theirs))) dropped.add(theirs);
    }
  }
  const seen = new Set<string>();
  return findings.filter((f) => {
    if (dropped.has(f)) return false;
    const k = placeKey(f);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// Code-point order: the same on every machine whatever its locale, and cheap for many findings.
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The one order of findings in every output: file, line, column, code, message. */
export function sortFindings(fs: Finding[]): Finding[] {
  return fs.sort(
    (a, b) =>
      byText(a.source?.file ?? '', b.source?.file ?? '') ||
      (a.source?.line ?? 0) - (b.source?.line ?? 0) ||
      (a.source?.column ?? 0) - (b.source?.column ?? 0) ||
      byText(a.code, b.code) ||
      byText(a.message, b.message),
  );
}

/** Exit code for findings: 1 when any is at or above `failOn`. */
export function exitCodeFor(findings: Finding[], failOn: Severity = 'warning'): number {
  return findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0;
}
