// Per-model lookup tables for tracing, built lazily, once per model (WeakMap), so that a trace
// is a handful of map lookups: ingress Service by port -> gateway workloads -> Gateways selecting
// them -> servers by listener port -> route table (vhosts by domain) -> merged routes.
import { selectorMatches } from '../../model/hosts.js';
import type {
  AuthorizationPolicyInfo,
  GatewayInfo,
  MeshModel,
  PeerAuthenticationInfo,
  ServiceInfo,
  ServicePort,
  VirtualServiceInfo,
  Workload,
} from '../../model/types.js';

export interface IngressEntry {
  svc: ServiceInfo;
  port: ServicePort;
}

export interface TraceIndex {
  model: MeshModel;
  /** LoadBalancer and NodePort Services by Service port (what a client outside the cluster reaches). */
  ingressByPort: Map<number, IngressEntry[]>;
  cache: Map<string, unknown>;
  objCache: WeakMap<object, Map<string, unknown>>;
}

const indexes = new WeakMap<MeshModel, TraceIndex>();

export function traceIndex(model: MeshModel): TraceIndex {
  let ix = indexes.get(model);
  if (ix) return ix;
  const ingressByPort = new Map<number, IngressEntry[]>();
  for (const svc of model.services.values()) {
    if (svc.type !== 'LoadBalancer' && svc.type !== 'NodePort') continue;
    for (const port of svc.ports) {
      const l = ingressByPort.get(port.port);
      if (l) l.push({ svc, port });
      else ingressByPort.set(port.port, [{ svc, port }]);
    }
  }
  // Istio's own ingress Services first (label istio: ingressgateway or a *-ingressgateway name).
  const rank = (e: IngressEntry) =>
    e.svc.m.obj.metadata?.labels?.istio === 'ingressgateway' || /ingressgateway$/.test(e.svc.name) ? 0 : 1;
  for (const l of ingressByPort.values()) l.sort((a, b) => rank(a) - rank(b));
  ix = { model, ingressByPort, cache: new Map(), objCache: new WeakMap() };
  indexes.set(model, ix);
  return ix;
}

/** Memoise `make()` under `key` (global per model). */
export function memo<T>(ix: TraceIndex, key: string, make: () => T): T {
  if (ix.cache.has(key)) return ix.cache.get(key) as T;
  const v = make();
  ix.cache.set(key, v);
  return v;
}

/** Memoise `make()` under (object, key). */
export function memoOn<T>(ix: TraceIndex, obj: object, key: string, make: () => T): T {
  let m = ix.objCache.get(obj);
  if (!m) {
    m = new Map();
    ix.objCache.set(obj, m);
  }
  if (m.has(key)) return m.get(key) as T;
  const v = make();
  m.set(key, v);
  return v;
}

/** Pods (workloads) a Service selects, in its namespace. */
export function workloadsOf(ix: TraceIndex, svc: ServiceInfo): Workload[] {
  return memoOn(ix, svc, 'workloads', () => {
    if (!svc.selector) return [];
    return (ix.model.workloadsByNamespace.get(svc.namespace) ?? []).filter((w) => selectorMatches(svc.selector, w.labels));
  });
}

/** Services in the workload's namespace that select it. */
export function servicesOf(ix: TraceIndex, w: Workload): ServiceInfo[] {
  return memoOn(ix, w, 'services', () =>
    (ix.model.servicesByNamespace.get(w.namespace) ?? []).filter((s) => s.selector && selectorMatches(s.selector, w.labels)),
  );
}

/** Gateways whose selector is a subset of the workload's labels (any namespace; an empty selector selects all). */
export function gatewaysOf(ix: TraceIndex, w: Workload): GatewayInfo[] {
  return memoOn(ix, w, 'gateways', () => {
    const out: GatewayInfo[] = [];
    for (const g of ix.model.gateways.values()) if (selectorMatches(g.selector, w.labels)) out.push(g);
    return out.sort(byAge);
  });
}

function created(m: { obj: any }): string {
  return String(m.obj.metadata?.creationTimestamp ?? '');
}

/** Istio's config order: creationTimestamp, then name, then namespace. */
export function byAge(
  a: { m: { obj: any }; name: string; namespace: string },
  b: { m: { obj: any }; name: string; namespace: string },
): number {
  const ca = created(a.m);
  const cb = created(b.m);
  if (ca !== cb) return ca < cb ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0;
}

/** VirtualServices by host as written (lower-cased), and those with wildcard hosts; for diagnosis. */
export function virtualServicesForHost(ix: TraceIndex, host: string): VirtualServiceInfo[] {
  const t = memo(ix, 'vsByHost', () => {
    const exact = new Map<string, VirtualServiceInfo[]>();
    const wild: VirtualServiceInfo[] = [];
    for (const vs of ix.model.virtualServices) {
      for (const h of vs.hosts) {
        const k = h.toLowerCase();
        if (k.startsWith('*')) {
          if (!wild.includes(vs)) wild.push(vs);
        } else {
          const l = exact.get(k);
          if (l) {
            if (!l.includes(vs)) l.push(vs);
          } else exact.set(k, [vs]);
        }
      }
    }
    return { exact, wild };
  });
  const h = host.toLowerCase();
  const out = [...(t.exact.get(h) ?? [])];
  for (const vs of t.wild)
    if (!out.includes(vs) && vs.hosts.some((p) => p === '*' || (p.startsWith('*.') && h.endsWith(p.slice(1).toLowerCase())))) out.push(vs);
  return out;
}

export function policiesByNamespace<T extends { namespace: string }>(ix: TraceIndex, key: string, list: T[]): Map<string, T[]> {
  return memo(ix, key, () => {
    const out = new Map<string, T[]>();
    for (const p of list) {
      const l = out.get(p.namespace);
      if (l) l.push(p);
      else out.set(p.namespace, [p]);
    }
    return out;
  });
}

export function authorizationPoliciesIn(ix: TraceIndex, ns: string): AuthorizationPolicyInfo[] {
  return policiesByNamespace(ix, 'aps', ix.model.authorizationPolicies).get(ns) ?? [];
}

export function peerAuthenticationsIn(ix: TraceIndex, ns: string): PeerAuthenticationInfo[] {
  return policiesByNamespace(ix, 'pas', ix.model.peerAuthentications).get(ns) ?? [];
}

/**
 * Visibility of a VirtualService to a proxy namespace (push_context VirtualServicesForGateway):
 * 0 private (exportTo `.` and same namespace), 1 exported to that namespace by name, 2 public, -1 hidden.
 */
export function visibility(exportTo: string[], ownNamespace: string, proxyNamespace: string): number {
  if (exportTo.length === 0) return 2;
  let best = -1;
  for (const e of exportTo) {
    let g = -1;
    if (e === '.') g = ownNamespace === proxyNamespace ? 0 : -1;
    else if (e === '*') g = 2;
    else if (e === proxyNamespace) g = 1;
    if (g >= 0 && (best < 0 || g < best)) best = g;
  }
  return best;
}
