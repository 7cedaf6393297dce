// `-o policyreport`: one wgpolicyk8s.io/v1alpha2 PolicyReport per package namespace, so that the
// policy reporter (shipped with Big Bang's Kyverno) shows bbmesh's results next to Kyverno's. A step
// is policy `step-<n>`, a check rule its code; messages and fixes are the report's own words.
import { stringify } from 'yaml';
import type { Finding } from '../analysis/rules/types.js';
import type { ObjectRef, PackageEntry, StepResult, StepStatus, VerifyReport } from '../analysis/verify/types.js';
import type { K8sObject } from '../manifest/index.js';

export const POLICY_REPORT_API_VERSION = 'wgpolicyk8s.io/v1alpha2';
export const POLICY_REPORT_PLURAL = 'policyreports';
/** One report per namespace, always this name: applying it again replaces the last run's results. */
export const POLICY_REPORT_NAME = 'bbmesh-verify';
export const SOURCE = 'bbmesh';

export type PolicyResult = 'pass' | 'fail' | 'warn' | 'error' | 'skip';
export type PolicySeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export interface PolicyReportResult {
  source: string;
  policy: string;
  rule: string;
  category: string;
  result: PolicyResult;
  severity: PolicySeverity;
  scored: boolean;
  timestamp: { seconds: number; nanos: number };
  message: string;
  resources?: ObjectRef[];
  properties: Record<string, string>;
}

const MAX_MESSAGE = 1024;

/** cannot-check is `error` (the policy could not be evaluated), except step 12 on a snapshot: `skip`. */
function resultOf(s: StepResult): PolicyResult {
  const map: Record<StepStatus, PolicyResult> = { pass: 'pass', fail: 'fail', warn: 'warn', 'cannot-check': 'error', skip: 'skip' };
  return s.status === 'cannot-check' && s.reason === 'snapshot' ? 'skip' : map[s.status];
}

function clip(s: string, n = MAX_MESSAGE): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function stepResult(pkg: string, s: StepResult, ts: PolicyReportResult['timestamp']): PolicyReportResult {
  const result = resultOf(s);
  const properties: Record<string, string> = { package: pkg, step: String(s.step), status: s.status };
  if (s.details.length) properties.details = clip(s.details.join('\n'), 4096);
  if (s.fix) properties.fix = clip(s.fix, 2048);
  if (s.reason) properties.reason = s.reason;
  return {
    source: SOURCE,
    policy: `step-${s.step}`,
    rule: s.title,
    category: 'Big Bang service mesh: verify',
    result,
    // How bad a failure of this step is: a missing sidecar degrades, the others break the route.
    severity: s.step === 11 ? 'medium' : 'high',
    scored: true,
    timestamp: ts,
    message: clip(result === 'pass' ? s.title : `${s.title}: ${s.details.join('; ')}`),
    ...(s.objects?.length ? { resources: s.objects } : {}),
    properties,
  };
}

function findingResult(pkg: string, f: Finding, ts: PolicyReportResult['timestamp']): PolicyReportResult {
  const o = f.object;
  return {
    source: SOURCE,
    policy: f.code,
    rule: f.title,
    category: 'Big Bang service mesh: check',
    result: f.severity === 'error' ? 'fail' : 'warn',
    severity: f.severity === 'error' ? 'high' : f.severity === 'warning' ? 'medium' : 'info',
    scored: f.severity === 'error',
    timestamp: ts,
    message: clip(f.message),
    resources: [{ apiVersion: o.apiVersion, kind: o.kind, ...(o.namespace ? { namespace: o.namespace } : {}), name: o.name }],
    properties: { package: pkg, symptom: clip(f.symptom, 2048), fix: clip(f.hint, 2048) },
  };
}

function unverifiedResult(p: PackageEntry, ts: PolicyReportResult['timestamp']): PolicyReportResult {
  return {
    source: SOURCE,
    policy: 'package',
    rule: `package ${p.name} can be verified`,
    category: 'Big Bang service mesh: verify',
    result: 'error',
    severity: 'high',
    scored: true,
    timestamp: ts,
    message: clip(`package ${p.name} could not be verified: ${p.reason ?? 'unknown reason'}`),
    resources: [{ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', namespace: 'bigbang', name: p.name }],
    properties: { package: p.name, ...(p.reason ? { reason: clip(p.reason, 2048) } : {}) },
  };
}

/** The packages of a single-package report, in verify --all's shape. */
export function entriesOf(report: VerifyReport): PackageEntry[] {
  const p = report.package;
  return [
    {
      name: p.name,
      namespace: p.namespace,
      verified: !report.unreadable,
      ...(report.unreadable ? { reason: report.unreadable } : {}),
      report,
    },
  ];
}

/** One PolicyReport per namespace holding a package, in namespace order. */
export function policyReports(entries: PackageEntry[], now = new Date()): K8sObject[] {
  const ts = { seconds: Math.floor(now.getTime() / 1000), nanos: 0 };
  const byNs = new Map<string, PolicyReportResult[]>();
  for (const p of entries) {
    const results: PolicyReportResult[] = [];
    if (p.report) {
      for (const s of p.report.steps) results.push(stepResult(p.name, s, ts));
      for (const f of p.report.findings) results.push(findingResult(p.name, f, ts));
    }
    if (!p.verified) results.unshift(unverifiedResult(p, ts));
    const list = byNs.get(p.namespace) ?? [];
    list.push(...results);
    byNs.set(p.namespace, list);
  }
  return [...byNs.keys()].sort().map((namespace) => {
    const results = byNs.get(namespace)!;
    const count = (r: PolicyResult) => results.filter((x) => x.result === r).length;
    return {
      apiVersion: POLICY_REPORT_API_VERSION,
      kind: 'PolicyReport',
      metadata: {
        name: POLICY_REPORT_NAME,
        namespace,
        labels: { 'app.kubernetes.io/managed-by': 'bbmesh', 'app.kubernetes.io/name': 'bbmesh' },
      },
      summary: { pass: count('pass'), fail: count('fail'), warn: count('warn'), error: count('error'), skip: count('skip') },
      results,
    } as K8sObject;
  });
}

/** The reports as a YAML stream (`kubectl apply --server-side -f -` takes it as is). */
export function formatPolicyReports(reports: K8sObject[]): string {
  return reports.map((r) => stringify(r, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}
