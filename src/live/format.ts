// Text and JUnit renderings of a VerifyReport (JSON is the report itself).
import type { StepStatus, VerifyReport } from './types.js';

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
  lines.push(style.bold(`bbmesh verify: package ${p.name} (namespace ${p.namespace}${p.host ? `, host ${p.host}` : ''}), layout ${report.layout}, ${report.source.description}`));
  if (report.wait) {
    lines.push(style.dim(`waited ${(report.wait.waitedMs / 1000).toFixed(0)} s (${report.wait.polls} polls): ${report.wait.ready ? 'ready' : 'not ready in time'}`));
  }
  for (const s of report.steps) {
    const label = s.status === 'cannot-check' ? ' (cannot check)' : s.status === 'warn' ? ' (warning)' : '';
    lines.push(`${paint(s.status, MARK[s.status])} ${String(s.step).padStart(2)} ${s.title}${paint(s.status, label)}`);
    for (const d of s.details) lines.push(`     ${style.dim(d)}`);
    if (s.fix) lines.push(`     ${paint(s.status, 'fix:')} ${s.fix}`);
  }
  const n = report.summary;
  const parts = [`${n.pass} passed`];
  if (n.warn) parts.push(`${n.warn} warning${n.warn > 1 ? 's' : ''}`);
  if (n.fail) parts.push(`${n.fail} failed`);
  if (n.cannotCheck) parts.push(`${n.cannotCheck} could not be checked`);
  if (report.findings.length) parts.push(`${report.findings.length} finding${report.findings.length > 1 ? 's' : ''}`);
  lines.push('');
  const took = report.durationMs < 1000 ? `${report.durationMs} ms` : `${(report.durationMs / 1000).toFixed(1)} s`;
  lines.push((n.fail ? style.red : style.green)(`${parts.join(', ')} (${took})`));
  return lines.join('\n') + '\n';
}

function xml(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function formatJunit(report: VerifyReport): string {
  const n = report.summary;
  const secs = (report.durationMs / 1000).toFixed(3);
  const suite = `bbmesh verify ${report.package.name}`;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="bbmesh verify" tests="${report.steps.length}" failures="${n.fail}" skipped="${n.cannotCheck}" time="${secs}">`);
  out.push(`  <testsuite name="${xml(suite)}" tests="${report.steps.length}" failures="${n.fail}" errors="0" skipped="${n.cannotCheck}" time="${secs}">`);
  out.push(`    <properties><property name="layout" value="${report.layout}"/><property name="source" value="${xml(report.source.description)}"/></properties>`);
  for (const s of report.steps) {
    const name = `step ${s.step}: ${s.title}`;
    const body = [...s.details, ...(s.fix ? [`fix: ${s.fix}`] : [])].join('\n');
    out.push(`    <testcase classname="bbmesh.verify" name="${xml(name)}">`);
    if (s.status === 'fail') out.push(`      <failure message="${xml(s.fix ?? s.details[0] ?? 'failed')}" type="fail">${xml(body)}</failure>`);
    else if (s.status === 'cannot-check') out.push(`      <skipped message="${xml(`cannot check: ${s.details.at(-1) ?? ''}`)}"/>`);
    out.push(`      <system-out>${xml(`${s.status}\n${body}`)}</system-out>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>');
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
