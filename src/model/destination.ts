// From a route destination to a Service port and the pods behind it, as istiod and Envoy resolve it:
// the host (a Service, a ServiceEntry, nothing), the port (route.go GetDestinationCluster: explicit;
// else the only port; else the listener port), and the container port a targetPort reaches.
import { serviceExportTo, visibleTo } from './export.js';
import { CLUSTER_DOMAIN, hostMatches, looksLikeServiceDotNamespace } from './hosts.js';
import { memo } from './memo.js';
import type { Container, MeshModel, RouteDestination, ServiceEntryInfo, ServiceInfo, ServicePort, Workload } from './types.js';

export type DestinationResolution =
  | { kind: 'service'; service: ServiceInfo }
  /** The Service exists but its `networking.istio.io/exportTo` hides it from the calling proxy's namespace. */
  | { kind: 'hidden'; service: ServiceInfo; exportTo: string[] }
  | { kind: 'serviceEntry'; entry: ServiceEntryInfo }
  /** `svc.ns`: Istio takes it literally. */
  | { kind: 'svcDotNs'; service?: ServiceInfo; name: string; namespace: string }
  /** A cluster name in a namespace the input says nothing about: cannot be told offline. */
  | { kind: 'outside'; namespace: string }
  /** Nothing to resolve (`*`, an IP address, empty). */
  | { kind: 'skip' }
  | { kind: 'missing' };

const SVC_SUFFIX = `.svc.${CLUSTER_DOMAIN}`;
const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:]*)$/i;

/** Namespaces the input says anything about (a Namespace object, a Service or a workload in it). */
export function knownNamespaces(model: MeshModel): Set<string> {
  return memo(
    model,
    'knownNamespaces',
    () => new Set([...model.namespaces.keys(), ...model.servicesByNamespace.keys(), ...model.workloadsByNamespace.keys()]),
  );
}

/** A ServiceEntry whose hosts cover `host` (exact, or a wildcard entry host), visible to `clientNamespace` when given. */
export function serviceEntryFor(model: MeshModel, host: string, clientNamespace?: string): ServiceEntryInfo | undefined {
  const visible = (se: ServiceEntryInfo) => clientNamespace === undefined || visibleTo(se.exportTo, se.namespace, clientNamespace);
  const exact = model.serviceEntriesByHost.get(host)?.find(visible);
  if (exact) return exact;
  const wild = memo(model, 'wildcardEntries', () => {
    const out: Array<{ host: string; se: ServiceEntryInfo }> = [];
    for (const se of model.serviceEntries) for (const h of se.hosts) if (h.startsWith('*')) out.push({ host: h, se });
    return out;
  });
  for (const w of wild) if (hostMatches(w.host, host) && visible(w.se)) return w.se;
  return undefined;
}

/**
 * How Istio resolves a destination host (`d.fqdn`, already short-name expanded in the VirtualService's
 * namespace) for a proxy in `clientNamespace` (the gateway's, for an ingress route; omit for no proxy).
 */
export function resolveDestination(model: MeshModel, d: RouteDestination, clientNamespace?: string): DestinationResolution {
  const fqdn = d.fqdn;
  const service = model.services.get(fqdn);
  if (service) {
    const exportTo = serviceExportTo(service.m.obj.metadata?.annotations);
    if (clientNamespace !== undefined && !visibleTo(exportTo, service.namespace, clientNamespace))
      return { kind: 'hidden', service, exportTo };
    return { kind: 'service', service };
  }
  if (!fqdn || fqdn === '*' || IP.test(fqdn)) return { kind: 'skip' };
  const entry = serviceEntryFor(model, fqdn, clientNamespace);
  if (entry) return { kind: 'serviceEntry', entry };
  if (looksLikeServiceDotNamespace(fqdn, knownNamespaces(model))) {
    const [name, namespace] = fqdn.split('.');
    return { kind: 'svcDotNs', name, namespace, service: model.services.get(`${name}.${namespace}${SVC_SUFFIX}`) };
  }
  if (fqdn.endsWith(SVC_SUFFIX)) {
    const parts = fqdn.slice(0, -SVC_SUFFIX.length).split('.');
    if (parts.length === 2 && !knownNamespaces(model).has(parts[1])) return { kind: 'outside', namespace: parts[1] };
  }
  return { kind: 'missing' };
}

export interface PortChoice {
  /** The Service port the cluster is for; undefined when the Service has no such port (503 NC). */
  port?: ServicePort;
  wanted: number;
  /** Why this port: `destination.port`, the only port, or the listener port. */
  why: string;
}

/** The Service port Istio routes to (route.go GetDestinationCluster). */
export function selectServicePort(svc: ServiceInfo, d: RouteDestination, listenerPort: number): PortChoice {
  if (d.port !== undefined) return { port: svc.ports.find((p) => p.port === d.port), why: 'destination.port', wanted: d.port };
  if (svc.ports.length === 1) return { port: svc.ports[0], why: 'the only port of the Service', wanted: svc.ports[0].port };
  return {
    port: svc.ports.find((p) => p.port === listenerPort),
    why: `no destination.port and ${svc.ports.length} Service ports: the listener port`,
    wanted: listenerPort,
  };
}

/** The same for a ServiceEntry (its `ports[].number`); `ok` is false when the entry has no such port. */
export function selectEntryPort(
  se: ServiceEntryInfo,
  d: RouteDestination,
  listenerPort: number,
): { ok: boolean; wanted: number; why: string } {
  const ports = se.ports.map((p) => p.number);
  const pick = d.port !== undefined ? d.port : ports.length === 1 ? ports[0] : listenerPort;
  const why = d.port !== undefined ? 'destination.port' : ports.length === 1 ? 'the only port of the entry' : 'the listener port';
  return { ok: ports.length === 0 || ports.includes(pick), wanted: pick, why };
}

export type TargetResolution =
  /** A container declares the port (by name, or the number). */
  | { kind: 'declared'; workload: Workload; container: Container; portIndex: number; containerPort: number }
  /** A numeric targetPort no container declares: Kubernetes needs no declaration, so it may well listen there. */
  | { kind: 'undeclared'; workload: Workload; containerPort: number }
  /** A named targetPort no selected pod has: those pods are left out of the Endpoints. */
  | { kind: 'unnamed'; name: string };

/** Where a Service port's targetPort lands on the pods it selects. */
export function resolveTargetPort(sp: ServicePort, pods: Workload[]): TargetResolution {
  const t = sp.targetPort;
  for (const w of pods) {
    for (const c of w.containers) {
      const i = c.ports.findIndex((p) => (typeof t === 'number' ? p.containerPort === t : p.name === t));
      if (i >= 0) return { kind: 'declared', workload: w, container: c, portIndex: i, containerPort: c.ports[i].containerPort };
    }
  }
  if (typeof t === 'string') return { kind: 'unnamed', name: t };
  return { kind: 'undeclared', workload: pods[0], containerPort: t };
}

/** Container port numbers a Service port's targetPort reaches on one workload (named ports resolved). */
export function targetContainerPorts(sp: ServicePort, w: Workload): number[] {
  const t = sp.targetPort;
  if (typeof t === 'number') return [t];
  const out: number[] = [];
  for (const c of w.containers) for (const p of c.ports) if (p.name === t) out.push(p.containerPort);
  return out;
}
