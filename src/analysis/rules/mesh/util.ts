// Small helpers shared by the mesh rules. Istio semantics live in src/model (one resolver per concept).
import type { Path } from '../../../manifest/types.js';
import type { GatewayInfo, MeshModel, RouteDestination, VirtualServiceInfo } from '../../../model/types.js';
import { isAssumed } from '../../../sources/platform.js';

export { isAssumed };

/** Every route destination of a VirtualService (http, tls, tcp) that receives traffic. */
export function destinationsOf(vs: VirtualServiceInfo): RouteDestination[] {
  const out: RouteDestination[] = [];
  const add = (route: RouteDestination[]) => {
    // Several destinations share by weight; one with weight 0 gets nothing (a single one gets all).
    for (const d of route) if (route.length === 1 || (d.weight ?? 0) > 0) out.push(d);
  };
  for (const r of vs.http) add(r.route);
  for (const r of vs.tls) add(r.route);
  for (const r of vs.tcp) add(r.route);
  return out;
}

/** The existing Gateways a VirtualService binds (no `mesh`), once each. */
export function boundGateways(model: MeshModel, vs: VirtualServiceInfo): GatewayInfo[] {
  const out: GatewayInfo[] = [];
  for (const g of vs.gateways) {
    const gw = g.resolved === 'mesh' ? undefined : model.gateways.get(g.resolved);
    if (gw && !out.includes(gw)) out.push(gw);
  }
  return out;
}

/** Path of a host in a VirtualService's `spec.hosts`. */
export function hostPath(vs: VirtualServiceInfo, host: string): Path {
  const i = vs.hosts.indexOf(host);
  return i >= 0 ? ['spec', 'hosts', i] : ['spec', 'hosts'];
}

export function objRef(m: { kind: string; namespace: string; name: string }): string {
  return m.namespace ? `${m.kind} ${m.namespace}/${m.name}` : `${m.kind} ${m.name}`;
}

// ---- operator-managed pods ------------------------------------------------------------

/** API groups whose kinds never create pods by themselves. */
const NO_POD_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'policy',
  'autoscaling',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'certificates.k8s.io',
  'networking.istio.io',
  'security.istio.io',
  'telemetry.istio.io',
  'extensions.istio.io',
  'source.toolkit.fluxcd.io',
  'cert-manager.io',
  'monitoring.coreos.com',
  'kyverno.io',
  'external-secrets.io',
  'autoscaling.k8s.io',
  'metrics.k8s.io',
  'snapshot.storage.k8s.io',
]);
const POD_KINDS_IN_NO_POD_GROUPS = new Set(['Prometheus', 'Alertmanager', 'ThanosRuler', 'PrometheusAgent']);

/**
 * Namespaces holding a custom resource that an operator may turn into pods (an ECK Elasticsearch,
 * a Prometheus, a HelmRelease...): pods selected there may exist without a workload in the input.
 */
export function mayHaveOperatorPods(model: MeshModel, ns: string): boolean {
  const set = podCreators(model);
  return set.has(ns);
}

const creators = new WeakMap<MeshModel, Set<string>>();
function podCreators(model: MeshModel): Set<string> {
  let set = creators.get(model);
  if (!set) {
    set = new Set();
    for (const m of model.manifests) {
      const slash = m.apiVersion.indexOf('/');
      const group = slash < 0 ? '' : m.apiVersion.slice(0, slash);
      if (!NO_POD_GROUPS.has(group) || POD_KINDS_IN_NO_POD_GROUPS.has(m.kind)) set.add(m.namespace);
    }
    creators.set(model, set);
  }
  return set;
}
