// `bbmesh check -o codequality`: GitLab's Code Quality report (a subset of the Code Climate issue
// format), shown in merge requests: description, check_name, fingerprint, severity, location.path
// (relative to the repository root) and location.lines.begin for every finding.
import { createHash } from 'node:crypto';
import type { CheckResult } from '../analysis/check.js';
import type { Finding, Severity } from '../analysis/rules/types.js';
import { objectLabel } from './common.js';
import { findingFile, type FileOptions } from './sarif.js';

/** GitLab's scale: info, minor, major, critical, blocker. */
const SEVERITY: Record<Severity, CodeQualityIssue['severity']> = { error: 'critical', warning: 'major', info: 'info' };

export interface CodeQualityIssue {
  type: 'issue';
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  categories: string[];
  content: { body: string };
  location: { path: string; lines: { begin: number } };
}

export interface CodeQualityOptions extends FileOptions {
  /** Path (relative to the root) blamed for findings with no file of their own, e.g. stdin input or assumed objects. */
  fallbackPath: string;
}

export function checkToCodeQuality(r: CheckResult, opts: CodeQualityOptions): CodeQualityIssue[] {
  const seen = new Map<string, number>();
  return r.findings.map((f) => {
    const file = findingFile(f, opts);
    const path = file?.path ?? opts.fallbackPath;
    const line = file?.line ?? 1;
    // Stable across line moves (GitLab matches issues between branches by fingerprint), unique within the report.
    const key = [f.code, f.render ?? 'input', f.object.kind, f.object.namespace, f.object.name, f.message, path].join('\u0000');
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return {
      type: 'issue' as const,
      description: `${f.code} ${objectLabel(f.object)}: ${f.message}${f.render === 'istio-disabled' ? ' [Istio disabled]' : ''}`,
      check_name: f.code,
      fingerprint: createHash('sha256')
        .update(n ? `${key}\u0000${n}` : key)
        .digest('hex')
        .slice(0, 32),
      severity: SEVERITY[f.severity],
      categories: ['Bug Risk'],
      content: { body: body(f, file === undefined) },
      location: { path, lines: { begin: Math.max(1, line) } },
    };
  });
}

function body(f: Finding, noFile: boolean): string {
  const where = f.source?.file === 'rendered' ? ` (line ${f.source.line}:${f.source.column} of \`bbmesh render\`)` : '';
  const extra = noFile
    ? f.assumed
      ? ' The object is part of the assumed Big Bang platform.'
      : ' The finding has no file of its own.'
    : '';
  return `${f.title}${where}.${extra}\n\n**Symptom:** ${f.symptom}\n\n**Fix:** ${f.hint}`;
}
