// Text, JSON and JUnit renderings of verify --all: one line per package, the details of what did
// not pass, and a summary a CronJob's log can be read by.
import { sortFindings } from '../analysis/rules/engine.js';
import type { PackageEntry, VerifyAllReport } from '../analysis/verify/types.js';
import { findingToJson } from './check-json.js';
import { findingLines, plural, style, xmlEscape, type Style } from './common.js';
import { MARK, countParts, junitSuite, painter, statusLabel } from './verify.js';

/** ✓ ok, ✗ a failed step or an error finding, ? not verified or not fully checked. */
function packageMark(p: PackageEntry): 'pass' | 'fail' | 'cannot-check' {
  const r = p.report;
  if (r && (r.summary.fail || r.findings.some((f) => f.severity === 'error'))) return 'fail';
  if (!p.verified || !r?.ok) return 'cannot-check';
  return 'pass';
}

export function formatAllText(report: VerifyAllReport, c: Style = style(false)): string {
  const paint = painter(c);
  const d = report.discovery;
  const lines: string[] = [
    c.bold(
      `bbmesh verify --all: ${plural(report.packages.length, 'package')} from ${plural(d.helmReleases, 'HelmRelease')} in ${d.namespace}` +
        `${d.filter ? ` (${d.filter})` : ''}, layout ${report.layout}, ${report.source.description}`,
    ),
  ];
  if (d.error) lines.push(`${paint('cannot-check', '?')} no package could be found: ${d.error}`);
  else if (!report.packages.length)
    lines.push(
      `${paint('cannot-check', '?')} no Big Bang package: no HelmRelease in ${d.namespace} deploys one${d.filter ? ' there' : ''}`,
    );
  const width = Math.min(40, Math.max(...report.packages.map((p) => `${p.name} (${p.namespace})`.length), 0));
  for (const p of report.packages) {
    const st = packageMark(p);
    const label = `${p.name} (${p.namespace})`.padEnd(width);
    const r = p.report;
    const what = !p.verified ? `not verified: ${p.reason}` : countParts(r!.summary).join(', ');
    lines.push(`${paint(st, MARK[st])} ${label}  ${st === 'pass' ? c.dim(what) : what}`);
    if (!r || !p.verified) continue;
    for (const s of r.steps) {
      if (s.status === 'pass' || s.status === 'skip' || (s.status === 'cannot-check' && s.reason === 'snapshot')) continue;
      lines.push(
        `    ${paint(s.status, MARK[s.status])} ${String(s.step).padStart(2)} ${s.title}${paint(s.status, statusLabel(s.status))}`,
      );
      for (const x of s.details) lines.push(`         ${c.dim(x)}`);
      if (s.fix) lines.push(`         ${paint(s.status, 'fix:')} ${s.fix}`);
    }
    for (const f of sortFindings(r.findings.filter((x) => x.severity !== 'info')))
      lines.push(...findingLines(f, c, { indent: '    ', withObject: true }));
  }
  const n = report.summary;
  const failed = report.packages.filter((p) => packageMark(p) === 'fail').length;
  const parts = [`${n.ok} ok`];
  if (failed) parts.push(`${failed} failed`);
  if (n.notVerified) parts.push(`${n.notVerified} not verified`);
  const unchecked = n.notOk - failed - n.notVerified;
  if (unchecked > 0) parts.push(`${unchecked} not fully checked`);
  const took = report.durationMs < 1000 ? `${report.durationMs} ms` : `${(report.durationMs / 1000).toFixed(1)} s`;
  const calls = report.apiCalls ? `, at most ${report.apiCalls.peakInFlight} API calls in flight` : '';
  lines.push('', (report.ok ? c.green : c.red)(`${plural(n.packages, 'package')}: ${parts.join(', ')} (${took}${calls})`));
  return lines.join('\n') + '\n';
}

/** `-o json`: the report, with findings in the shape of `bbmesh check -o json`. */
export function formatAllJson(report: VerifyAllReport): string {
  const packages = report.packages.map((p) => {
    const { internalError: _bug, ...entry } = p;
    return p.report ? { ...entry, report: { ...p.report, findings: p.report.findings.map((f) => findingToJson(f, 'cluster')) } } : entry;
  });
  return JSON.stringify({ ...report, packages }, null, 2);
}

export function formatAllJunit(report: VerifyAllReport): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const p of report.packages) {
    if (p.report && p.verified) {
      suites.push(...junitSuite(p.report));
      const counted = p.report.findings.filter((f) => f.severity !== 'info').length;
      tests += p.report.steps.length + counted;
      failures += p.report.summary.fail + counted;
      errors += p.report.summary.unchecked;
      continue;
    }
    tests++;
    errors++;
    suites.push(
      `  <testsuite name="${xmlEscape(`bbmesh verify ${p.name}`)}" tests="1" failures="0" errors="1" skipped="0">`,
      `    <testcase classname="bbmesh.verify" name="${xmlEscape(`package ${p.name} in ${p.namespace}`)}">`,
      `      <error message="${xmlEscape(`not verified: ${p.reason ?? ''}`)}" type="not-verified"/>`,
      '    </testcase>',
      '  </testsuite>',
    );
  }
  const secs = (report.durationMs / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="bbmesh verify --all" tests="${tests}" failures="${failures}" errors="${errors}" time="${secs}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
