// Derived lookups over a built model, computed once per model on first use and cached
// (the model is immutable after buildModel). Additive helpers for rules and trace.
import { hostMatches, parseServerHost, type ServerHost } from './hosts.js';
import type {
  GatewayInfo,
  GatewayServer,
  Labels,
  MeshModel,
  PeerAuthenticationInfo,
  ServiceEntryInfo,
  ServiceInfo,
  Workload,
} from './types.js';
import { selectorMatches } from './hosts.js';

interface Derived {
  /** Workloads by `key=value` label pair. */
  byLabel?: Map<string, Workload[]>;
  /** ServiceEntries with a wildcard host, with that host. */
  wildcardEntries?: Array<{ host: string; se: ServiceEntryInfo }>;
  /** Namespaces that have any object in the model (Namespace, Service or workload). */
  knownNamespaces?: Set<string>;
  /** PeerAuthentications by namespace. */
  peerAuthByNamespace?: Map<string, PeerAuthenticationInfo[]>;
  serverHosts?: WeakMap<GatewayInfo, ServerHost[][]>;
}

const cache = new WeakMap<MeshModel, Derived>();

function derived(model: MeshModel): Derived {
  let d = cache.get(model);
  if (!d) {
    d = {};
    cache.set(model, d);
  }
  return d;
}

/**
 * Workloads in any namespace whose labels contain `selector`, through a label index
 * (same result as selectWorkloadsAnywhere, without scanning every workload).
 * An empty or missing selector returns [] (callers decide what "select all" means).
 */
export function workloadsWithLabels(model: MeshModel, selector: Labels | undefined): Workload[] {
  if (!selector) return [];
  const entries = Object.entries(selector);
  if (!entries.length) return [];
  const d = derived(model);
  if (!d.byLabel) {
    const idx = new Map<string, Workload[]>();
    for (const w of model.workloads) {
      for (const [k, v] of Object.entries(w.labels)) {
        const key = `${k}=${v}`;
        const l = idx.get(key);
        if (l) l.push(w);
        else idx.set(key, [w]);
      }
    }
    d.byLabel = idx;
  }
  let smallest: Workload[] | undefined;
  for (const [k, v] of entries) {
    const l = d.byLabel.get(`${k}=${v}`);
    if (!l) return [];
    if (!smallest || l.length < smallest.length) smallest = l;
  }
  return (smallest ?? []).filter((w) => selectorMatches(selector, w.labels));
}

/** Workloads a Gateway applies to (selector ⊆ pod labels, cluster-wide). [] for an empty selector. */
export function gatewayWorkloads(model: MeshModel, gw: GatewayInfo): Workload[] {
  return workloadsWithLabels(model, gw.selector);
}

/** A ServiceEntry whose hosts cover `host` (exact, or a wildcard SE host), if any. */
export function serviceEntryFor(model: MeshModel, host: string): ServiceEntryInfo | undefined {
  const h = host.toLowerCase();
  const exact = model.serviceEntriesByHost.get(h);
  if (exact?.length) return exact[0];
  const d = derived(model);
  if (!d.wildcardEntries) {
    d.wildcardEntries = [];
    for (const se of model.serviceEntries)
      for (const x of se.hosts) if (x.startsWith('*')) d.wildcardEntries.push({ host: x.toLowerCase(), se });
  }
  for (const w of d.wildcardEntries) if (hostMatches(w.host, h)) return w.se;
  return undefined;
}

/** Does the input say anything about this namespace (a Namespace object, a Service or a workload in it)? */
export function isKnownNamespace(model: MeshModel, ns: string): boolean {
  const d = derived(model);
  if (!d.knownNamespaces) {
    d.knownNamespaces = new Set([...model.namespaces.keys(), ...model.servicesByNamespace.keys(), ...model.workloadsByNamespace.keys()]);
  }
  return d.knownNamespaces.has(ns);
}

/** All namespaces the input knows about. */
export function knownNamespaces(model: MeshModel): Set<string> {
  isKnownNamespace(model, '');
  return derived(model).knownNamespaces as Set<string>;
}

/** Parsed server hosts of each server (`./` resolved to the Gateway's namespace), cached. */
export function serverHosts(gw: GatewayInfo, model: MeshModel): ServerHost[][] {
  const d = derived(model);
  if (!d.serverHosts) d.serverHosts = new WeakMap();
  let hit = d.serverHosts.get(gw);
  if (!hit) {
    hit = gw.servers.map((s) => s.hosts.map((h) => parseServerHost(h, gw.namespace)));
    d.serverHosts.set(gw, hit);
  }
  return hit;
}

/** Does any server of `gw` serve `host` for a VirtualService in `vsNamespace`? (serversForHost without allocating) */
export function gatewayServesHost(model: MeshModel, gw: GatewayInfo, host: string, vsNamespace: string): boolean {
  const parsed = serverHosts(gw, model);
  for (const hs of parsed)
    for (const sh of hs) if ((sh.namespace === '*' || sh.namespace === vsNamespace) && hostMatches(sh.host, host)) return true;
  return false;
}

/** Servers of `gw` that serve `host` for a VirtualService in `vsNamespace` (namespace filter + wildcard matching). */
export function serversForHost(model: MeshModel, gw: GatewayInfo, host: string, vsNamespace: string): GatewayServer[] {
  const parsed = serverHosts(gw, model);
  const out: GatewayServer[] = [];
  gw.servers.forEach((s, i) => {
    if (parsed[i].some((sh) => (sh.namespace === '*' || sh.namespace === vsNamespace) && hostMatches(sh.host, host))) out.push(s);
  });
  return out;
}

export interface EffectiveMtls {
  /** STRICT, PERMISSIVE or DISABLE (PERMISSIVE when no policy applies). */
  mode: string;
  policy?: PeerAuthenticationInfo;
}

/**
 * Effective PeerAuthentication mode for a workload, optionally on one container port:
 * workload policy (selector, same namespace) > namespace policy > root-namespace policy;
 * UNSET inherits from the parent. Several policies at one level: the first in the input
 * (istiod takes the oldest, which the input cannot tell).
 */
export function effectiveMtls(model: MeshModel, w: Workload, containerPort?: number): EffectiveMtls {
  const d = derived(model);
  if (!d.peerAuthByNamespace) {
    const idx = new Map<string, PeerAuthenticationInfo[]>();
    for (const pa of model.peerAuthentications) {
      const l = idx.get(pa.namespace);
      if (l) l.push(pa);
      else idx.set(pa.namespace, [pa]);
    }
    d.peerAuthByNamespace = idx;
  }
  const inNs = d.peerAuthByNamespace.get(w.namespace) ?? [];
  const root = w.namespace === model.rootNamespace ? [] : (d.peerAuthByNamespace.get(model.rootNamespace) ?? []);
  const workloadPa = inNs.find(
    (p) => p.selector && Object.keys(p.selector).length && w.namespace !== model.rootNamespace && selectorMatches(p.selector, w.labels),
  );
  const nsPa = inNs.find((p) => !p.selector || !Object.keys(p.selector).length);
  const rootPa = root.find((p) => !p.selector || !Object.keys(p.selector).length);
  const set = (m: string | undefined) => m !== undefined && m !== 'UNSET';
  if (workloadPa) {
    const portMode = containerPort !== undefined ? workloadPa.portLevel[String(containerPort)] : undefined;
    if (set(portMode)) return { mode: String(portMode), policy: workloadPa };
    if (set(workloadPa.mode)) return { mode: String(workloadPa.mode), policy: workloadPa };
  }
  if (nsPa && set(nsPa.mode)) return { mode: String(nsPa.mode), policy: nsPa };
  if (rootPa && set(rootPa.mode)) return { mode: String(rootPa.mode), policy: rootPa };
  return { mode: 'PERMISSIVE' };
}

/** Container port numbers a Service port's targetPort reaches on a workload (named ports resolved). */
export function targetContainerPorts(svcPort: ServiceInfo['ports'][number], w: Workload): number[] {
  const t = svcPort.targetPort;
  if (typeof t === 'number') return [t];
  const out: number[] = [];
  for (const c of w.containers) for (const p of c.ports) if (p.name === t) out.push(p.containerPort);
  return out;
}

const serviceWorkloads = new WeakMap<ServiceInfo, Workload[]>();

/** Workloads a Service selects (its namespace, selector ⊆ pod labels); [] without selector. Cached per Service. */
export function workloadsOfService(model: MeshModel, svc: ServiceInfo): Workload[] {
  let hit = serviceWorkloads.get(svc);
  if (!hit) {
    const sel = svc.selector;
    hit = [];
    if (sel) {
      const keys = Object.keys(sel);
      for (const w of model.workloadsByNamespace.get(svc.namespace) ?? []) {
        let ok = true;
        for (const k of keys)
          if (w.labels[k] !== sel[k]) {
            ok = false;
            break;
          }
        if (ok) hit.push(w);
      }
    }
    serviceWorkloads.set(svc, hit);
  }
  return hit;
}
