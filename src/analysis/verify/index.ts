// `bbmesh verify` as a library: the guide's validation steps 5 and 7-12 against a live cluster
// (verifyCluster) or a dump of one (verifySnapshot).
import type { Manifest } from '../../manifest/index.js';
import type { MeshModel } from '../../model/types.js';
import { meshFromManifests } from '../../sources/index.js';
import { LAYOUTS as LAYOUTS_BY_NAME, type LayoutName as Layout } from '../../core/layout.js';
import { RULES } from '../rules/catalogue.js';
import { runRules } from '../rules/engine.js';
import type { Finding } from '../rules/types.js';
import { gather } from '../../sources/cluster/gather.js';
import type { ClusterState } from '../../sources/cluster/gather.js';
import { step12 } from './https.js';
import type { ClusterReader } from '../../sources/cluster/reader.js';
import { SnapshotReader } from '../../sources/cluster/snapshot.js';
import { readiness, step10, step11, step5, step7, step8, step9 } from './steps.js';
import type { ClusterVerifyOptions, StepResult, VerifyOptions, VerifyReport } from './types.js';

export * from './types.js';
export type { ClusterReader, ReadKind, TlsInfo, CertInfo } from '../../sources/cluster/reader.js';
// kube.ts (and @kubernetes/client-node, ~1.3 s to import) is loaded only for live clusters.
export type { KubeReader } from '../../sources/cluster/kube.js';
export { SnapshotReader, parseSnapshot, SNAPSHOT_COMMAND } from '../../sources/cluster/snapshot.js';
export { parseDuration } from '../../core/duration.js';
export { LAYOUTS } from '../../sources/cluster/gather.js';

/**
 * The `check` rules on the live objects: one mesh model, fed from the cluster instead of Helm.
 * Rules that need the package sources are skipped; findings are kept for the package's own
 * objects (its namespace and its HelmRelease), since verify reads only part of the cluster.
 */
export function liveFindings(model: MeshModel, pkg: { name: string; namespace: string }, layout: Layout): Finding[] {
  const rules = RULES.filter((r) => !r.meta.needsPackage);
  const all = runRules(rules, { model, layout: LAYOUTS_BY_NAME[layout], istioEnabled: true }, { render: 'cluster' });
  return all.filter((f) => f.object.namespace === pkg.namespace || (f.object.kind === 'HelmRelease' && f.object.name === pkg.name));
}

/** Runs all steps with any reader (the seam for tests and other sources). */
export async function verifyWith(reader: ClusterReader, opts: VerifyOptions, started = performance.now()): Promise<VerifyReport> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const gatherOpts = { packageName: opts.packageName, layout: opts.layout, host: opts.host };
  let state: ClusterState;
  let wait: VerifyReport['wait'];
  if (opts.waitMs !== undefined && opts.waitMs > 0) {
    const r = await waitForReady(reader, gatherOpts, opts);
    state = r.state;
    wait = r.wait;
  } else {
    state = await gather(reader, gatherOpts);
  }
  const now = opts.now ?? new Date();
  // One mesh model over what was read: the steps judge with the same resolvers check and trace use.
  const { model } = await meshFromManifests(objectsOf(state), { layout: state.layout, platform: false });
  const steps: StepResult[] = [
    step5(state),
    step7(state, now),
    step8(state),
    step9(state, model),
    step10(state, model),
    step11(state),
    await step12(state, { address: opts.address, caPem: opts.caPem, insecure: opts.insecure, timeoutMs }),
  ];
  const summary = {
    pass: steps.filter((s) => s.status === 'pass').length,
    warn: steps.filter((s) => s.status === 'warn').length,
    fail: steps.filter((s) => s.status === 'fail').length,
    cannotCheck: steps.filter((s) => s.status === 'cannot-check').length,
  };
  const findings = liveFindings(model, state.pkg, state.layout);
  const k =
    reader.live && 'context' in reader && 'server' in reader ? (reader as unknown as { context: string; server: string }) : undefined;
  const file = reader instanceof SnapshotReader ? reader.description.replace(/^snapshot /, '') : undefined;
  return {
    schemaVersion: 1,
    tool: 'bbmesh',
    command: 'verify',
    source: {
      kind: reader.live ? 'cluster' : 'snapshot',
      description: reader.description,
      ...(file ? { file } : {}),
      ...(k ? { context: k.context, server: k.server } : {}),
    },
    layout: state.layout,
    layoutReason: state.layoutReason,
    package: { ...state.pkg },
    steps,
    findings,
    summary,
    ok: summary.fail === 0 && !findings.some((f) => f.severity === 'error'),
    ...(wait ? { wait } : {}),
    durationMs: Math.round(performance.now() - started),
  };
}

export async function verifyCluster(opts: ClusterVerifyOptions): Promise<VerifyReport> {
  const started = performance.now();
  const { KubeReader } = await import('../../sources/cluster/kube.js');
  const reader = KubeReader.fromOptions({ kubeconfig: opts.kubeconfig, context: opts.context, timeoutMs: opts.timeoutMs });
  return verifyWith(reader, opts, started);
}

export async function verifySnapshot(file: string, opts: VerifyOptions): Promise<VerifyReport> {
  const started = performance.now();
  return verifyWith(SnapshotReader.fromFile(file), { ...opts, waitMs: undefined }, started);
}

/** Every object read, deduplicated (pods of a shared namespace appear once). */
function objectsOf(state: ClusterState): Manifest[] {
  const seen = new Set<string>();
  const out: Manifest[] = [];
  const add = (m: Manifest | undefined) => {
    if (!m) return;
    const key = `${m.apiVersion}/${m.kind}/${m.namespace}/${m.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(m);
  };
  for (const list of [
    state.helmReleases,
    state.gitRepositories,
    state.pods,
    state.services,
    state.virtualServices,
    state.gateways,
    state.gatewayPods,
  ]) {
    for (const m of list.value ?? []) add(m);
  }
  add(state.namespace.value);
  add(state.ingressService.value);
  add(state.secret.value);
  return out;
}

function progressSummary(state: ClusterState): string {
  const r = readiness(state);
  const errs = [state.helmReleases.error, state.gitRepositories.error, state.pods.error].filter(Boolean);
  if (errs.length) return errs[0]!.message;
  const notReady = (state.pods.value ?? []).length - r.pods.ready;
  return (
    `HelmReleases ${r.helmReleases.ready}/${r.helmReleases.total} ready, GitRepositories ${r.gitRepositories.ready}/${r.gitRepositories.total}, ` +
    `pods in ${state.pkg.namespace} ${r.pods.ready}/${r.pods.total}${notReady > 0 ? '' : r.pods.total ? '' : ' (none yet)'}`
  );
}

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/** Polls until step 5 is satisfied, a permanent error shows up, or waitMs runs out. */
async function waitForReady(
  reader: ClusterReader,
  gatherOpts: Parameters<typeof gather>[1],
  opts: VerifyOptions,
): Promise<{ state: ClusterState; wait: NonNullable<VerifyReport['wait']> }> {
  const total = opts.waitMs!;
  const pollMs = Math.max(50, opts.pollMs ?? 3000);
  const t0 = performance.now();
  let polls = 0;
  while (true) {
    const state = await gather(reader, gatherOpts);
    polls++;
    const r = readiness(state);
    const elapsed = performance.now() - t0;
    const done = r.allReady || r.permanent || !reader.live || elapsed >= total;
    opts.onProgress?.({ elapsedMs: elapsed, totalMs: total, poll: polls, summary: progressSummary(state), done });
    if (done) return { state, wait: { waitedMs: Math.round(elapsed), ready: r.allReady, polls } };
    await sleep(Math.min(pollMs, Math.max(0, total - elapsed)));
  }
}
