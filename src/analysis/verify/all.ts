// verify --all: every Big Bang package the cluster's HelmReleases deploy (bigbang/<name> into its
// targetNamespace), each verified like `verify --package`, concurrently. Reads are shared (one per
// kind and namespace), the API calls in flight are bounded by the reader, the HTTPS probes here.
import { ISTIO_RELEASES } from '../../core/layout.js';
import type { Manifest } from '../../manifest/index.js';
import { FLUX_NAMESPACE, detectLayout } from '../../sources/cluster/gather.js';
import { Slots } from '../../sources/cluster/limit.js';
import type { ClusterReader } from '../../sources/cluster/reader.js';
import { SharedReader } from '../../sources/cluster/shared.js';
import { SnapshotReader } from '../../sources/cluster/snapshot.js';
import { withClusterReader } from './reader.js';
import { verifyWith } from './run.js';
import type { PackageEntry, VerifyAllReport, VerifyOptions, VerifyReport } from './types.js';

export interface AllOptions extends Omit<VerifyOptions, 'packageName' | 'host' | 'namespace' | 'exposure' | 'probeSlots' | 'waitMs'> {
  /** Only the packages that deploy into this namespace (-n). */
  namespace?: string;
  /** HTTPS probes (step 12) at once (default 16). */
  maxProbes?: number;
}

export interface ClusterAllOptions extends AllOptions {
  kubeconfig?: string;
  context?: string;
  maxInFlight?: number;
}

/** Releases that are Big Bang's platform rather than packages: Istio's, gateways, the umbrella. */
function isPlatformRelease(name: string): boolean {
  return ISTIO_RELEASES.has(name) || name.endsWith('-ingressgateway') || name === 'bigbang';
}

/** The packages the HelmReleases in the Big Bang namespace deploy, sorted by name. */
export function discoverPackages(helmReleases: Manifest[]): { name: string; namespace: string }[] {
  return helmReleases
    .filter((m) => m.namespace === FLUX_NAMESPACE && !isPlatformRelease(m.name))
    .map((m) => {
      const target = (m.obj.spec as { targetNamespace?: unknown } | undefined)?.targetNamespace;
      return { name: m.name, namespace: typeof target === 'string' && target ? target : m.name };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function verifyAll(reader: ClusterReader, opts: AllOptions = {}, started = performance.now()): Promise<VerifyAllReport> {
  const shared = new SharedReader(reader);
  const hrs = await shared.list('HelmRelease', FLUX_NAMESPACE);
  const detected = opts.layout ? { layout: opts.layout, reason: '--layout' } : detectLayout(hrs.value, undefined);
  const found = discoverPackages(hrs.value ?? []);
  const pkgs = opts.namespace ? found.filter((p) => p.namespace === opts.namespace) : found;
  const probeSlots = new Slots(opts.maxProbes ?? 16);
  const { maxProbes: _m, namespace: _n, ...rest } = opts;
  const packages = await Promise.all(
    pkgs.map(async (p): Promise<PackageEntry> => {
      try {
        const report = await verifyWith(shared, {
          ...rest,
          packageName: p.name,
          namespace: p.namespace,
          exposure: 'optional',
          probeSlots,
        });
        return report.unreadable ? { ...p, verified: false, reason: report.unreadable, report } : { ...p, verified: true, report };
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        return { ...p, verified: false, reason: `internal error: ${msg}`, internalError: (err as Error)?.stack ?? msg };
      }
    }),
  );
  const reports = packages.map((p) => p.report).filter((r): r is VerifyReport => !!r);
  const sum = (f: (r: VerifyReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  const findings = (sev: string) => sum((r) => r.findings.filter((f) => f.severity === sev).length);
  const verified = packages.filter((p) => p.verified).length;
  const okCount = packages.filter((p) => p.report?.ok && (p.verified || opts.allowUnchecked)).length;
  const live = 'context' in reader && 'server' in reader ? (reader as unknown as { context: string; server: string }) : undefined;
  const peak = (reader as { peakInFlight?: unknown }).peakInFlight;
  const limit = (reader as { rest?: { slots?: { size?: unknown } } }).rest?.slots?.size;
  const file = !reader.live ? reader.description.replace(/^snapshot /, '') : undefined;
  return {
    schemaVersion: 1,
    tool: 'bbmesh',
    command: 'verify',
    mode: 'all',
    source: {
      kind: reader.live ? 'cluster' : 'snapshot',
      description: reader.description,
      ...(file ? { file } : {}),
      ...(live ? { context: live.context, server: live.server } : {}),
    },
    layout: detected.layout,
    layoutReason: detected.reason,
    discovery: {
      namespace: FLUX_NAMESPACE,
      helmReleases: hrs.value?.length ?? 0,
      ...(hrs.error ? { error: hrs.error.message } : {}),
      ...(opts.namespace ? { filter: `packages deploying into namespace ${opts.namespace}` } : {}),
    },
    packages,
    summary: {
      packages: packages.length,
      verified,
      notVerified: packages.length - verified,
      ok: okCount,
      notOk: packages.length - okCount,
      steps: {
        pass: sum((r) => r.summary.pass),
        warn: sum((r) => r.summary.warn),
        fail: sum((r) => r.summary.fail),
        cannotCheck: sum((r) => r.summary.cannotCheck),
        skip: sum((r) => r.summary.skip),
        unchecked: sum((r) => r.summary.unchecked),
      },
      findings: { error: findings('error'), warning: findings('warning'), info: findings('info') },
    },
    ok: !hrs.error && packages.length > 0 && okCount === packages.length,
    ...(typeof peak === 'number' && typeof limit === 'number' ? { apiCalls: { peakInFlight: peak, maxInFlight: limit } } : {}),
    durationMs: Math.round(performance.now() - started),
  };
}

export async function verifyAllCluster(opts: ClusterAllOptions): Promise<VerifyAllReport> {
  const started = performance.now();
  return withClusterReader(opts, (reader) => verifyAll(reader, opts, started));
}

export async function verifyAllSnapshot(file: string, opts: AllOptions = {}): Promise<VerifyAllReport> {
  const started = performance.now();
  return verifyAll(SnapshotReader.fromFile(file), opts, started);
}
