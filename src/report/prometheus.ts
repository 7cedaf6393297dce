// `-o prometheus`: the results as OpenMetrics text, for node-exporter's textfile collector or a
// Pushgateway. Every (package, step) is a gauge set per status, 1 for the current one and 0 for the
// others (as kube-state-metrics does for phases), so alerts can match `== 1` and series never vanish.
import type { StepStatus } from '../analysis/verify/types.js';
import type { PackageEntry } from '../analysis/verify/types.js';

const STATUSES: StepStatus[] = ['pass', 'warn', 'fail', 'cannot-check', 'skip'];
const SEVERITIES = ['error', 'warning', 'info'] as const;

/** A label value as OpenMetrics escapes it: backslash, double quote and line feed. */
export function labelValue(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(l: Record<string, string>): string {
  return `{${Object.entries(l)
    .map(([k, v]) => `${k}="${labelValue(v)}"`)
    .join(',')}}`;
}

interface Family {
  name: string;
  help: string;
  unit?: string;
  samples: string[];
}

export function formatPrometheus(entries: PackageEntry[], opts: { now?: Date; durationMs?: number } = {}): string {
  const step: Family = {
    name: 'bbmesh_verify_step_status',
    help: 'Outcome of a verify step for a package: 1 for its current status, 0 for the others.',
    samples: [],
  };
  const ok: Family = {
    name: 'bbmesh_verify_package_ok',
    help: 'Whether the package passed verify: no failed step, no error finding, every step checked.',
    samples: [],
  };
  const verified: Family = {
    name: 'bbmesh_verify_package_verified',
    help: "Whether the package's own objects could be read and judged.",
    samples: [],
  };
  const findings: Family = {
    name: 'bbmesh_verify_findings',
    help: "Findings of the check rules on the package's live objects, by severity.",
    samples: [],
  };
  for (const p of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
    const id = { package: p.name, namespace: p.namespace };
    for (const s of p.report?.steps ?? []) {
      for (const st of STATUSES)
        step.samples.push(`${step.name}${labels({ ...id, step: String(s.step), status: st })} ${s.status === st ? 1 : 0}`);
    }
    ok.samples.push(`${ok.name}${labels(id)} ${p.verified && p.report?.ok ? 1 : 0}`);
    verified.samples.push(`${verified.name}${labels(id)} ${p.verified ? 1 : 0}`);
    for (const sev of SEVERITIES) {
      const n = p.report?.findings.filter((f) => f.severity === sev).length ?? 0;
      findings.samples.push(`${findings.name}${labels({ ...id, severity: sev })} ${n}`);
    }
  }
  const families = [step, ok, verified, findings];
  const now = opts.now ?? new Date();
  families.push({
    name: 'bbmesh_verify_last_run_timestamp_seconds',
    help: 'When verify ran, in seconds since the Unix epoch.',
    unit: 'seconds',
    samples: [`bbmesh_verify_last_run_timestamp_seconds ${(now.getTime() / 1000).toFixed(3)}`],
  });
  if (opts.durationMs !== undefined) {
    families.push({
      name: 'bbmesh_verify_duration_seconds',
      help: 'How long the verify run took.',
      unit: 'seconds',
      samples: [`bbmesh_verify_duration_seconds ${(opts.durationMs / 1000).toFixed(3)}`],
    });
  }
  const out: string[] = [];
  for (const f of families) {
    out.push(`# TYPE ${f.name} gauge`);
    if (f.unit) out.push(`# UNIT ${f.name} ${f.unit}`);
    out.push(`# HELP ${f.name} ${f.help}`);
    out.push(...f.samples);
  }
  out.push('# EOF');
  return out.join('\n') + '\n';
}
