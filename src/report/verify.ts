// Text, JUnit and JSON renderings of a VerifyReport. JSON is the report itself, with the findings
// in the shape of `bbmesh check --format json` (schemas/verify.schema.json).
import { sortFindings } from '../analysis/rules/engine.js';
import type { Finding } from '../analysis/rules/types.js';
import type { StepStatus, VerifyReport } from '../analysis/verify/types.js';
import { findingToJson } from './check-json.js';
import { escapeLine, escapeMaybe } from './escape.js';
import { findingLines, findingText, objectLabel, severityCounts, style, xmlEscape, type Style } from './common.js';

export const MARK: Record<StepStatus, string> = { pass: '✓', warn: '!', fail: '✗', 'cannot-check': '?', skip: '-' };

export function painter(c: Style): (st: StepStatus, s: string) => string {
  return (st, s) => (st === 'pass' ? c.green(s) : st === 'warn' ? c.yellow(s) : st === 'fail' ? c.red(s) : c.dim(s));
}

/** `(cannot check)`, `(warning)`, `(skipped)` after a step title. */
export function statusLabel(st: StepStatus): string {
  return st === 'cannot-check' ? ' (cannot check)' : st === 'warn' ? ' (warning)' : st === 'skip' ? ' (skipped)' : '';
}

/** The summary line's parts: `5 passed, 1 failed, 1 could not be checked`. */
export function countParts(n: VerifyReport['summary']): string[] {
  const parts = [`${n.pass} passed`];
  if (n.warn) parts.push(`${n.warn} warning${n.warn > 1 ? 's' : ''}`);
  if (n.fail) parts.push(`${n.fail} failed`);
  if (n.cannotCheck) parts.push(`${n.cannotCheck} could not be checked`);
  if (n.skip) parts.push(`${n.skip} skipped`);
  return parts;
}

export function formatText(report: VerifyReport, c: Style = style(false)): string {
  const paint = painter(c);
  const p = report.package;
  const lines: string[] = [];
  // Names, hosts, details and messages come from the cluster: none reaches the terminal raw.
  lines.push(
    c.bold(
      escapeLine(
        `bbmesh verify: package ${p.name} (namespace ${p.namespace}${p.host ? `, host ${p.host}` : ''}), layout ${report.layout}, ${report.source.description}`,
      ),
    ),
  );
  if (report.wait) {
    lines.push(
      c.dim(
        `waited ${(report.wait.waitedMs / 1000).toFixed(0)} s (${report.wait.polls} polls): ${report.wait.ready ? 'ready' : 'not ready in time'}`,
      ),
    );
  }
  for (const s of report.steps) {
    const title = escapeLine(s.title);
    lines.push(`${paint(s.status, MARK[s.status])} ${String(s.step).padStart(2)} ${title}${paint(s.status, statusLabel(s.status))}`);
    for (const d of s.details) lines.push(`     ${c.dim(escapeLine(d))}`);
    const fix = escapeMaybe(s.fix);
    if (fix) lines.push(`     ${paint(s.status, 'fix:')} ${fix}`);
  }
  lines.push(...findingsText(report.findings, c));
  const n = report.summary;
  const parts = countParts(n);
  if (report.findings.length)
    parts.push(`${report.findings.length} finding${report.findings.length > 1 ? 's' : ''}${severityCounts(report.findings)}`);
  lines.push('');
  const took = report.durationMs < 1000 ? `${report.durationMs} ms` : `${(report.durationMs / 1000).toFixed(1)} s`;
  lines.push((report.ok ? c.green : c.red)(`${parts.join(', ')} (${took})`));
  if (!report.ok && n.fail === 0 && !report.findings.some((f) => f.severity === 'error')) lines.push(c.red(notOkWhy(report)));
  return lines.join('\n') + '\n';
}

/** Why a report without failures is not ok: what a CI gate exiting 1 must say. */
export function notOkWhy(report: VerifyReport): string {
  if (report.wait && !report.wait.ready) return `not ready within --wait (${(report.wait.waitedMs / 1000).toFixed(0)} s): exit 1`;
  const n = report.summary.unchecked;
  return `${n} step${n === 1 ? '' : 's'} could not be checked: exit 1 (pass --allow-unchecked to accept that)`;
}

/** The findings section of the text output: one line per finding, then symptom, fix and position. */
function findingsText(findings: Finding[], c: Style): string[] {
  const head = 'Findings from the check rules on the live objects';
  if (!findings.length) return ['', `${c.bold(head)}: ${c.green('none')}`];
  const lines = ['', c.bold(head)];
  for (const f of sortFindings([...findings])) lines.push(...findingLines(f, c, { withObject: true }));
  return lines;
}

/** `--format json`: the report, with findings in the shape of `bbmesh check --format json`. */
export function formatJson(report: VerifyReport): string {
  return JSON.stringify({ ...report, findings: report.findings.map((f) => findingToJson(f, 'cluster')) }, null, 2);
}

export function formatJunit(report: VerifyReport): string {
  const n = report.summary;
  const secs = (report.durationMs / 1000).toFixed(3);
  const tests = report.steps.length + report.findings.filter((f) => f.severity !== 'info').length;
  const failures = n.fail + report.findings.filter((f) => f.severity !== 'info').length;
  const skipped = n.cannotCheck - n.unchecked + n.skip;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="bbmesh verify" tests="${tests}" failures="${failures}" errors="${n.unchecked}" skipped="${skipped}" time="${secs}">`,
  );
  out.push(...junitSuite(report));
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

/** One `<testsuite>` for a package: a testcase per step, a failing one per error or warning finding. */
export function junitSuite(report: VerifyReport): string[] {
  const n = report.summary;
  const secs = (report.durationMs / 1000).toFixed(3);
  const suite = `bbmesh verify ${report.package.name}`;
  // One failing testcase per error or warning finding (infos are not failures).
  const findings = sortFindings([...report.findings]).filter((f) => f.severity !== 'info');
  const tests = report.steps.length + findings.length;
  const failures = n.fail + findings.length;
  // A step that could not be checked is an error (the gate fails on it), except step 12 on a snapshot.
  const skipped = n.cannotCheck - n.unchecked + n.skip;
  const out: string[] = [];
  out.push(
    `  <testsuite name="${xmlEscape(suite)}" tests="${tests}" failures="${failures}" errors="${n.unchecked}" skipped="${skipped}" time="${secs}">`,
  );
  out.push(
    `    <properties><property name="layout" value="${report.layout}"/><property name="source" value="${xmlEscape(report.source.description)}"/></properties>`,
  );
  for (const s of report.steps) {
    const name = `step ${s.step}: ${s.title}`;
    const body = [...s.details, ...(s.fix ? [`fix: ${s.fix}`] : [])].join('\n');
    out.push(`    <testcase classname="bbmesh.verify" name="${xmlEscape(name)}">`);
    if (s.status === 'fail')
      out.push(`      <failure message="${xmlEscape(s.fix ?? s.details[0] ?? 'failed')}" type="fail">${xmlEscape(body)}</failure>`);
    else if (s.status === 'cannot-check' && s.reason !== 'snapshot')
      out.push(
        `      <error message="${xmlEscape(`cannot check: ${s.details.at(-1) ?? ''}`)}" type="cannot-check">${xmlEscape(body)}</error>`,
      );
    else if (s.status === 'cannot-check') out.push(`      <skipped message="${xmlEscape(`cannot check: ${s.details.at(-1) ?? ''}`)}"/>`);
    else if (s.status === 'skip') out.push(`      <skipped message="${xmlEscape(`does not apply: ${s.details[0] ?? ''}`)}"/>`);
    out.push(`      <system-out>${xmlEscape(`${s.status}\n${body}`)}</system-out>`);
    out.push('    </testcase>');
  }
  for (const f of findings) {
    const body = findingText(f);
    out.push(
      `    <testcase classname="bbmesh.verify.findings" name="${xmlEscape(`${f.code} ${objectLabel(f.object)}`)}"${f.source ? ` file="${xmlEscape(f.source.file)}" line="${f.source.line}"` : ''}>`,
    );
    out.push(`      <failure message="${xmlEscape(f.message)}" type="${f.severity}">${xmlEscape(body)}</failure>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>');
  return out;
}
