// One package verified with any reader: gather (or wait), one mesh model over what was read, the
// steps, the check rules on the live objects, and the outcome a CI gate can trust.
import type { Manifest } from '../../manifest/index.js';
import type { MeshModel } from '../../model/types.js';
import { meshFromManifests } from '../../sources/index.js';
import { ISTIO_RELEASES, LAYOUTS as LAYOUTS_BY_NAME, type LayoutName as Layout } from '../../core/layout.js';
import { RULES } from '../rules/catalogue.js';
import { runRules } from '../rules/engine.js';
import type { Finding } from '../rules/types.js';
import { FLUX_NAMESPACE, gather } from '../../sources/cluster/gather.js';
import type { ClusterState } from '../../sources/cluster/gather.js';
import type { ClusterReader } from '../../sources/cluster/reader.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../../sources/cluster/timeout.js';
import { step12 } from './https.js';
import { packageVirtualService, step10, step11, step5, step7, step8, step9 } from './steps.js';
import type { ObjectRef, StepResult, VerifyOptions, VerifyReport } from './types.js';
import { waitForReady } from './wait.js';

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

/** The ingress steps, which do not apply to a package that exposes nothing (verify --all). */
const INGRESS_STEPS = [7, 8, 9, 10, 12];

export async function verifyWith(reader: ClusterReader, opts: VerifyOptions, started = performance.now()): Promise<VerifyReport> {
  // --request-timeout 0 leaves API calls unbounded; the HTTPS probes keep a bound.
  const timeoutMs = opts.timeoutMs || DEFAULT_REQUEST_TIMEOUT_MS;
  const gatherOpts = { packageName: opts.packageName, namespace: opts.namespace, layout: opts.layout, host: opts.host };
  let state: ClusterState;
  let wait: VerifyReport['wait'];
  if (reader.live && opts.waitMs !== undefined && opts.waitMs > 0) {
    ({ state, wait } = await waitForReady(reader, gatherOpts, opts));
  } else {
    state = await gather(reader, gatherOpts);
  }
  const now = opts.now ?? new Date();
  // One mesh model over what was read: the steps judge with the same resolvers check and trace use.
  const { model } = await meshFromManifests(objectsOf(state), { layout: state.layout, platform: false });
  const exposed = !(
    opts.exposure === 'optional' &&
    state.virtualServices.value &&
    !packageVirtualService(model, state.pkg.namespace, undefined)
  );
  const probe = () => step12(state, { address: opts.address, caPem: opts.caPem, insecure: opts.insecure, timeoutMs });
  const steps: StepResult[] = [
    step5(state),
    step7(state, now),
    step8(state),
    step9(state, model),
    step10(state, model),
    step11(state),
    exposed ? await (opts.probeSlots ? opts.probeSlots.run(probe) : probe()) : skipped(12),
  ];
  for (const s of steps) {
    if (!exposed && INGRESS_STEPS.includes(s.step)) Object.assign(s, skipped(s.step, s.title));
    if (s.status === 'cannot-check') s.reason ??= 'other';
    const objects = objectsOfStep(s.step, state, model);
    if (objects.length) s.objects = objects;
  }
  const findings = liveFindings(model, state.pkg, state.layout);
  const count = (st: StepResult['status']) => steps.filter((s) => s.status === st).length;
  const unchecked = steps.filter((s) => s.status === 'cannot-check' && s.reason !== 'snapshot').length;
  const summary = {
    pass: count('pass'),
    warn: count('warn'),
    fail: count('fail'),
    cannotCheck: count('cannot-check'),
    skip: count('skip'),
    unchecked,
  };
  const ok =
    summary.fail === 0 &&
    !findings.some((f) => f.severity === 'error') &&
    (opts.allowUnchecked || unchecked === 0) &&
    wait?.ready !== false;
  const own = [state.pods.error, state.services.error, state.virtualServices.error];
  const unreadable =
    state.pods.error && own.filter((e) => e && e.reason !== 'crd-absent').length >= 2 ? state.pods.error.message : undefined;
  const k = 'context' in reader && 'server' in reader ? (reader as unknown as { context: string; server: string }) : undefined;
  const file = !reader.live ? reader.description.replace(/^snapshot /, '') : undefined;
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
    ok,
    ...(wait ? { wait } : {}),
    ...(unreadable ? { unreadable } : {}),
    durationMs: Math.round(performance.now() - started),
  };
}

function skipped(step: number, title = 'HTTPS request to the package host'): StepResult {
  return {
    step,
    title,
    status: 'skip',
    details: ['the package has no VirtualService: it exposes nothing through the ingress gateway, so this step does not apply'],
  };
}

function refOf(m: Manifest | undefined, fallback?: Omit<ObjectRef, 'apiVersion'> & { apiVersion?: string }): ObjectRef | undefined {
  if (m) {
    const uid = m.obj.metadata?.uid;
    return {
      apiVersion: m.apiVersion,
      kind: m.kind,
      ...(m.namespace ? { namespace: m.namespace } : {}),
      name: m.name,
      ...(typeof uid === 'string' ? { uid } : {}),
    };
  }
  return fallback ? { apiVersion: fallback.apiVersion ?? 'v1', ...fallback } : undefined;
}

/** The objects a step is about, for PolicyReport `resources`. */
function objectsOfStep(step: number, state: ClusterState, model: MeshModel): ObjectRef[] {
  const ns = state.pkg.namespace;
  const vs = () => {
    const info = packageVirtualService(model, ns, state.pkg.host);
    return info ? refOf(state.virtualServices.value?.find((m) => m.name === info.name)) : undefined;
  };
  let ref: ObjectRef | undefined;
  switch (step) {
    case 5:
      ref = refOf(
        state.helmReleases.value?.find((m) => m.name === state.pkg.name),
        {
          apiVersion: 'helm.toolkit.fluxcd.io/v2',
          kind: 'HelmRelease',
          namespace: FLUX_NAMESPACE,
          name: state.pkg.name,
        },
      );
      break;
    case 7:
      ref = refOf(state.secret.value, { kind: 'Secret', namespace: state.secretRef.namespace, name: state.secretRef.name });
      break;
    case 8:
      ref = refOf(state.ingressService.value, { kind: 'Service', ...state.names.ingressService });
      break;
    case 9: {
      const g = state.gatewayRef;
      const gw = state.gateways.value?.find((m) => m.namespace === g.namespace && m.name === g.name);
      ref = refOf(gw, { apiVersion: 'networking.istio.io/v1beta1', kind: 'Gateway', namespace: g.namespace, name: g.name });
      break;
    }
    case 10:
    case 12:
      ref = vs();
      break;
    case 11:
      ref = refOf(state.namespace.value, { kind: 'Namespace', name: ns });
      break;
  }
  return ref ? [ref] : [];
}

/**
 * Every object read, deduplicated. Of the Flux objects only the package's own HelmRelease, Istio's,
 * the ones it depends on and their GitRepositories: with --all, 200 packages would otherwise each
 * model all 200 releases.
 */
export function objectsOf(state: ClusterState): Manifest[] {
  const seen = new Set<string>();
  const out: Manifest[] = [];
  const add = (m: Manifest | undefined) => {
    if (!m) return;
    const key = `${m.apiVersion}/${m.kind}/${m.namespace}/${m.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(m);
  };
  const hrs = state.helmReleases.value ?? [];
  const own = hrs.find((m) => m.name === state.pkg.name);
  const deps = (own?.obj.spec as { dependsOn?: unknown } | undefined)?.dependsOn;
  const wanted = new Set<string>([state.pkg.name, ...ISTIO_RELEASES, ...state.names.istioReleases]);
  if (Array.isArray(deps)) for (const d of deps as Array<{ name?: unknown }>) if (typeof d?.name === 'string') wanted.add(d.name);
  const keptHrs = hrs.filter((m) => wanted.has(m.name));
  const sources = new Set(
    keptHrs.map((m) => (m.obj.spec as { chart?: { spec?: { sourceRef?: { name?: unknown } } } } | undefined)?.chart?.spec?.sourceRef?.name),
  );
  for (const m of keptHrs) add(m);
  for (const m of state.gitRepositories.value ?? []) if (sources.has(m.name)) add(m);
  for (const list of [state.pods, state.services, state.virtualServices, state.gateways, state.gatewayPods]) {
    for (const m of list.value ?? []) add(m);
  }
  add(state.namespace.value);
  add(state.ingressService.value);
  add(state.secret.value);
  return out;
}
