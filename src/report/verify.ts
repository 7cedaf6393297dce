// Text, JUnit and JSON renderings of a VerifyReport. JSON is the report itself, with the findings
// in the shape of `bbmesh check --format json` (schemas/verify.schema.json).
import type { Finding, FindingSource, Severity } from '../analysis/rules/types.js';
import type { StepStatus, VerifyReport } from '../analysis/verify/types.js';
import { findingToJson } from './check-json.js';
import { placeText } from './position.js';

export interface TextStyle {
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const plain: TextStyle = { green: (s) => s, yellow: (s) => s, red: (s) => s, dim: (s) => s, bold: (s) => s };

export const MARK: Record<StepStatus, string> = { pass: '✓', warn: '!', fail: '✗', 'cannot-check': '?' };

export function formatText(report: VerifyReport, style: TextStyle = plain): string {
  const paint = (st: StepStatus, s: string) =>
    st === 'pass' ? style.green(s) : st === 'warn' ? style.yellow(s) : st === 'fail' ? style.red(s) : style.dim(s);
  const p = report.package;
  const lines: string[] = [];
  lines.push(
    style.bold(
      `bbmesh verify: package ${p.name} (namespace ${p.namespace}${p.host ? `, host ${p.host}` : ''}), layout ${report.layout}, ${report.source.description}`,
    ),
  );
  if (report.wait) {
    lines.push(
      style.dim(
        `waited ${(report.wait.waitedMs / 1000).toFixed(0)} s (${report.wait.polls} polls): ${report.wait.ready ? 'ready' : 'not ready in time'}`,
      ),
    );
  }
  for (const s of report.steps) {
    const label = s.status === 'cannot-check' ? ' (cannot check)' : s.status === 'warn' ? ' (warning)' : '';
    lines.push(`${paint(s.status, MARK[s.status])} ${String(s.step).padStart(2)} ${s.title}${paint(s.status, label)}`);
    for (const d of s.details) lines.push(`     ${style.dim(d)}`);
    if (s.fix) lines.push(`     ${paint(s.status, 'fix:')} ${s.fix}`);
  }
  lines.push(...findingsText(report.findings, style));
  const n = report.summary;
  const parts = [`${n.pass} passed`];
  if (n.warn) parts.push(`${n.warn} warning${n.warn > 1 ? 's' : ''}`);
  if (n.fail) parts.push(`${n.fail} failed`);
  if (n.cannotCheck) parts.push(`${n.cannotCheck} could not be checked`);
  if (report.findings.length)
    parts.push(`${report.findings.length} finding${report.findings.length > 1 ? 's' : ''}${findingCounts(report.findings)}`);
  lines.push('');
  const took = report.durationMs < 1000 ? `${report.durationMs} ms` : `${(report.durationMs / 1000).toFixed(1)} s`;
  const bad = n.fail > 0 || report.findings.some((f) => f.severity === 'error');
  lines.push((bad ? style.red : style.green)(`${parts.join(', ')} (${took})`));
  return lines.join('\n') + '\n';
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** ` (1 error, 2 warnings)` */
function findingCounts(findings: Finding[]): string {
  const parts: string[] = [];
  for (const sev of ['error', 'warning', 'info'] as const) {
    const k = findings.filter((f) => f.severity === sev).length;
    if (k) parts.push(`${k} ${sev}${k > 1 ? 's' : ''}`);
  }
  return ` (${parts.join(', ')})`;
}

/** `Kind ns/name` (cluster-scoped objects: `Kind name`). */
export function objectLabel(o: { kind: string; namespace: string; name: string }): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/** `file:line:col`, when the finding has a position (snapshot files do; a live cluster does not). */
export function sourceLabel(s: FindingSource | undefined): string | undefined {
  return placeText(s);
}

/** Errors first, then by code and object: the order of the text and JUnit outputs. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.code.localeCompare(b.code) ||
      objectLabel(a.object).localeCompare(objectLabel(b.object)) ||
      (a.source?.line ?? 0) - (b.source?.line ?? 0),
  );
}

/** The findings section of the text output: one line per finding, then symptom, fix and position. */
function findingsText(findings: Finding[], style: TextStyle): string[] {
  const head = 'Findings from the check rules on the live objects';
  if (!findings.length) return ['', `${style.bold(head)}: ${style.green('none')}`];
  const lines = ['', style.bold(head)];
  const paint = (sev: Severity, s: string) => (sev === 'error' ? style.red(s) : sev === 'warning' ? style.yellow(s) : style.dim(s));
  for (const f of sortFindings(findings)) {
    lines.push(`${paint(f.severity, f.severity.padEnd(7))} ${style.bold(f.code)} ${objectLabel(f.object)}: ${f.message}`);
    lines.push(`     ${style.dim('symptom:')} ${f.symptom}`);
    lines.push(`     ${paint(f.severity, 'fix:')} ${f.hint}`);
    const at = sourceLabel(f.source);
    if (at) lines.push(`     ${style.dim(at)}`);
  }
  return lines;
}

/** `--format json`: the report, with findings in the shape of `bbmesh check --format json`. */
export function formatJson(report: VerifyReport): string {
  return JSON.stringify({ ...report, findings: report.findings.map((f) => findingToJson(f, 'cluster')) }, null, 2);
}

function xml(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

export function formatJunit(report: VerifyReport): string {
  const n = report.summary;
  const secs = (report.durationMs / 1000).toFixed(3);
  const suite = `bbmesh verify ${report.package.name}`;
  // One failing testcase per error or warning finding (infos are not failures).
  const findings = sortFindings(report.findings).filter((f) => f.severity !== 'info');
  const tests = report.steps.length + findings.length;
  const failures = n.fail + findings.length;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="bbmesh verify" tests="${tests}" failures="${failures}" skipped="${n.cannotCheck}" time="${secs}">`);
  out.push(
    `  <testsuite name="${xml(suite)}" tests="${tests}" failures="${failures}" errors="0" skipped="${n.cannotCheck}" time="${secs}">`,
  );
  out.push(
    `    <properties><property name="layout" value="${report.layout}"/><property name="source" value="${xml(report.source.description)}"/></properties>`,
  );
  for (const s of report.steps) {
    const name = `step ${s.step}: ${s.title}`;
    const body = [...s.details, ...(s.fix ? [`fix: ${s.fix}`] : [])].join('\n');
    out.push(`    <testcase classname="bbmesh.verify" name="${xml(name)}">`);
    if (s.status === 'fail')
      out.push(`      <failure message="${xml(s.fix ?? s.details[0] ?? 'failed')}" type="fail">${xml(body)}</failure>`);
    else if (s.status === 'cannot-check') out.push(`      <skipped message="${xml(`cannot check: ${s.details.at(-1) ?? ''}`)}"/>`);
    out.push(`      <system-out>${xml(`${s.status}\n${body}`)}</system-out>`);
    out.push('    </testcase>');
  }
  for (const f of findings) {
    const at = sourceLabel(f.source);
    const body = [
      `${f.severity} ${f.code} ${objectLabel(f.object)}: ${f.message}`,
      `symptom: ${f.symptom}`,
      `fix: ${f.hint}`,
      ...(at ? [at] : []),
    ].join('\n');
    out.push(
      `    <testcase classname="bbmesh.verify.findings" name="${xml(`${f.code} ${objectLabel(f.object)}`)}"${f.source ? ` file="${xml(f.source.file)}" line="${f.source.line}"` : ''}>`,
    );
    out.push(`      <failure message="${xml(f.message)}" type="${f.severity}">${xml(body)}</failure>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>');
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
