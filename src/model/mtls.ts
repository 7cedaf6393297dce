// mTLS between a client proxy and a workload: the PeerAuthentication mode the workload's sidecar
// enforces (policy_applier ComposePeerAuthentication: workload > namespace > root namespace, oldest
// first at one level, UNSET inherits, default PERMISSIVE; portLevelMtls keys are container ports),
// and what the client sends (an explicit DestinationRule tls mode overrides auto-mTLS, which sends
// ISTIO_MUTUAL only to pods with a sidecar).
import { visibleTo } from './export.js';
import { memo } from './memo.js';
import { byAge, isEmptySelector, selectorMatches } from './selectors.js';
import type { DestinationRuleInfo, MeshModel, PeerAuthenticationInfo, Workload } from './types.js';

export interface EffectiveMtls {
  /** STRICT, PERMISSIVE or DISABLE. */
  mode: string;
  policy?: PeerAuthenticationInfo;
}

function peerAuthByNamespace(model: MeshModel): Map<string, PeerAuthenticationInfo[]> {
  return memo(model, 'peerAuthByNamespace', () => {
    const idx = new Map<string, PeerAuthenticationInfo[]>();
    for (const pa of [...model.peerAuthentications].sort(byAge)) {
      const l = idx.get(pa.namespace);
      if (l) l.push(pa);
      else idx.set(pa.namespace, [pa]);
    }
    return idx;
  });
}

/** The mode a workload's sidecar enforces, on one container port when given. */
export function effectiveMtls(model: MeshModel, w: Workload, containerPort?: number): EffectiveMtls {
  return memo(w, `mtls:${containerPort ?? ''}`, () => {
    const idx = peerAuthByNamespace(model);
    const root = model.rootNamespace;
    const own = idx.get(w.namespace) ?? [];
    const workloadPa =
      w.namespace === root ? undefined : own.find((p) => !isEmptySelector(p.selector) && selectorMatches(p.selector, w.labels));
    const nsPa = own.find((p) => isEmptySelector(p.selector));
    const meshPa = w.namespace === root ? undefined : (idx.get(root) ?? []).find((p) => isEmptySelector(p.selector));
    const levels: Array<{ mode?: string; policy: PeerAuthenticationInfo }> = [];
    if (workloadPa) {
      if (containerPort !== undefined) levels.push({ mode: workloadPa.portLevel[String(containerPort)], policy: workloadPa });
      levels.push({ mode: workloadPa.mode, policy: workloadPa });
    }
    if (nsPa) levels.push({ mode: nsPa.mode, policy: nsPa });
    if (meshPa) levels.push({ mode: meshPa.mode, policy: meshPa });
    for (const l of levels) if (l.mode && l.mode.toUpperCase() !== 'UNSET') return { mode: l.mode.toUpperCase(), policy: l.policy };
    return { mode: 'PERMISSIVE' };
  });
}

/** The DestinationRule a client in `clientNamespace` uses for a host: its own namespace, then the Service's, then the root's. */
export function destinationRuleFor(
  model: MeshModel,
  fqdn: string,
  clientNamespace: string,
  serviceNamespace: string,
): DestinationRuleInfo | undefined {
  const drs = model.destinationRulesByHost.get(fqdn);
  if (!drs?.length) return undefined;
  for (const ns of [clientNamespace, serviceNamespace, model.rootNamespace]) {
    const d = drs.find((x) => x.namespace === ns && visibleTo(x.exportTo, x.namespace, clientNamespace));
    if (d) return d;
  }
  return undefined;
}

/** Whether the workload runs a sidecar: an istio-proxy container, else the injection decision (undefined: unknown). */
export function hasSidecar(w: Workload): boolean | undefined {
  return w.hasProxy ? true : w.injection.injected;
}

export interface ClientTls {
  /** ISTIO_MUTUAL, DISABLE, SIMPLE, MUTUAL. */
  mode: string;
  why: string;
  rule?: DestinationRuleInfo;
}

/** What a client proxy sends to a Service port on a pod: an explicit DestinationRule tls mode, else auto-mTLS. */
export function clientTls(
  model: MeshModel,
  clientNamespace: string,
  fqdn: string,
  serviceNamespace: string,
  servicePort: number,
  pod: Workload,
): ClientTls {
  const dr = destinationRuleFor(model, fqdn, clientNamespace, serviceNamespace);
  const drMode = (dr?.portTls.find((p) => p.port === servicePort)?.mode ?? dr?.tlsMode)?.toUpperCase();
  if (dr && drMode) return { mode: drMode, why: `DestinationRule ${dr.namespace}/${dr.name} tls.mode ${drMode}`, rule: dr };
  const sidecar = hasSidecar(pod);
  return { mode: sidecar ? 'ISTIO_MUTUAL' : 'DISABLE', why: `auto mTLS (${sidecar ? 'the pod has a sidecar' : 'no sidecar'})` };
}
