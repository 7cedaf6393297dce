// What `bbmesh verify` prints (-o) and, with --apply, writes: the PolicyReports, server-side applied
// with the reader that did the verifying (same credentials, same bound on calls in flight).
import type { PackageEntry, VerifyAllReport, VerifyReport } from '../analysis/verify/types.js';
import type { KubeReader } from '../sources/cluster/kube.js';
import { style } from '../report/common.js';
import { write } from './common.js';

export interface Emit {
  output: string;
  apply: boolean;
  color: boolean;
  kube?: KubeReader;
}

/** Prints one package's report; false when --apply failed. */
export async function emitOne(report: VerifyReport, e: Emit): Promise<boolean> {
  const v = await import('../report/verify.js');
  if (e.output === 'json') write(v.formatJson(report));
  else if (e.output === 'junit') write(v.formatJunit(report));
  else if (e.output === 'text') write(v.formatText(report, style(e.color)));
  else {
    const { entriesOf } = await import('../report/policyreport.js');
    return emitEntries(entriesOf(report), report.durationMs, e, () => v.countParts(report.summary).join(', '));
  }
  return true;
}

export async function emitAll(report: VerifyAllReport, e: Emit): Promise<boolean> {
  const v = await import('../report/verify-all.js');
  if (e.output === 'json') write(v.formatAllJson(report));
  else if (e.output === 'junit') write(v.formatAllJunit(report));
  else if (e.output === 'text') write(v.formatAllText(report, style(e.color)));
  else return emitEntries(report.packages, report.durationMs, e, () => v.formatAllText(report).trimEnd().split('\n').at(-1) ?? '');
  return true;
}

async function emitEntries(entries: PackageEntry[], durationMs: number, e: Emit, summary: () => string): Promise<boolean> {
  if (e.output === 'prometheus') {
    const { formatPrometheus } = await import('../report/prometheus.js');
    write(formatPrometheus(entries, { durationMs }));
    return true;
  }
  const pr = await import('../report/policyreport.js');
  const reports = pr.policyReports(entries);
  if (!e.apply) {
    write(pr.formatPolicyReports(reports));
    return true;
  }
  if (!e.kube) return false;
  const { applyObject } = await import('../sources/cluster/apply.js');
  const results = await Promise.all(reports.map((r) => applyObject(e.kube!, r, pr.POLICY_REPORT_PLURAL)));
  let ok = true;
  for (const [i, r] of results.entries()) {
    const s = reports[i].summary as Record<string, number>;
    const counts = Object.entries(s)
      .filter(([, n]) => n)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    if (r.error) {
      ok = false;
      process.stderr.write(`bbmesh: PolicyReport ${r.object.namespace}/${r.object.name} not written: ${r.error}\n`);
    } else {
      write(
        `policyreport.wgpolicyk8s.io/${r.object.name} serverside-applied in namespace ${r.object.namespace} (${counts || 'no results'})`,
      );
    }
  }
  write(summary());
  return ok;
}
