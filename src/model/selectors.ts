// Label selectors as each consumer of them means it: a Service selects pods in its own namespace
// (no selector: endpoints managed by hand, none here); a Gateway applies to gateway proxies in any
// namespace (a missing or empty selector: every gateway proxy, push_context gatewayWithInstances);
// workload-scoped Istio policies select pods in their own namespace, the root namespace's apply
// mesh-wide. Indexes are built once per model.
import type { Manifest } from '../manifest/types.js';
import { memo } from './memo.js';
import type { GatewayInfo, Labels, MeshModel, ServiceInfo, Workload } from './types.js';

/** `matchLabels`-style selector ⊆ labels. An empty selector matches everything; a missing one nothing. */
export function selectorMatches(selector: Labels | undefined, labels: Labels | undefined): boolean {
  if (!selector) return false;
  for (const k of Object.keys(selector)) if ((labels ?? {})[k] !== selector[k]) return false;
  return true;
}

export function isEmptySelector(selector: Labels | undefined): boolean {
  return !selector || Object.keys(selector).length === 0;
}

/** `k=v,k2=v2` for messages. */
export function selectorText(selector: Labels | undefined): string {
  return Object.entries(selector ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Workloads by `key=value` label pair (one index per model). */
function labelIndex(model: MeshModel): Map<string, Workload[]> {
  return memo(model, 'labelIndex', () => {
    const idx = new Map<string, Workload[]>();
    for (const w of model.workloads) {
      for (const [k, v] of Object.entries(w.labels)) {
        const key = `${k}=${v}`;
        const l = idx.get(key);
        if (l) l.push(w);
        else idx.set(key, [w]);
      }
    }
    return idx;
  });
}

/** Workloads in any namespace whose labels contain a non-empty selector (through the label index). */
export function workloadsWithLabels(model: MeshModel, selector: Labels): Workload[] {
  const keys = Object.keys(selector);
  if (!keys.length) return model.workloads;
  const idx = labelIndex(model);
  let smallest: Workload[] | undefined;
  for (const k of keys) {
    const l = idx.get(`${k}=${selector[k]}`);
    if (!l) return [];
    if (!smallest || l.length < smallest.length) smallest = l;
  }
  return (smallest ?? []).filter((w) => selectorMatches(selector, w.labels));
}

/** A workload that runs an Envoy gateway (a router proxy), not an application pod with a sidecar. */
export function isGatewayWorkload(w: Workload): boolean {
  return (
    'istio' in w.labels ||
    'istio.io/gateway-name' in w.labels ||
    'gateway.istio.io/managed' in w.labels ||
    (w.annotations['inject.istio.io/templates'] ?? '').includes('gateway') ||
    (w.hasProxy && w.containers.length === 1)
  );
}

/** Workloads a Gateway's selector matches (any namespace; missing or empty selector: every gateway workload). */
export function selectedByGateway(model: MeshModel, gw: GatewayInfo): Workload[] {
  return memo(gw, 'selected', () =>
    isEmptySelector(gw.selector) ? model.workloads.filter(isGatewayWorkload) : workloadsWithLabels(model, gw.selector),
  );
}

/** The gateway proxies a Gateway configures: the workloads it selects that are gateways. */
export function gatewayWorkloads(model: MeshModel, gw: GatewayInfo): Workload[] {
  return memo(gw, 'workloads', () => selectedByGateway(model, gw).filter(isGatewayWorkload));
}

/** Namespaces of the gateway proxies a Gateway configures (the Gateway's own when none is known). */
export function gatewayProxyNamespaces(model: MeshModel, gw: GatewayInfo): string[] {
  return memo(gw, 'proxyNamespaces', () => {
    const ns = [...new Set(gatewayWorkloads(model, gw).map((w) => w.namespace))];
    return ns.length ? ns : [gw.namespace];
  });
}

/** Gateways that configure a gateway workload, in Istio's config order. */
export function gatewaysForWorkload(model: MeshModel, w: Workload): GatewayInfo[] {
  return memo(w, 'gateways', () => {
    if (!isGatewayWorkload(w)) return [];
    const out: GatewayInfo[] = [];
    for (const g of model.gateways.values()) if (isEmptySelector(g.selector) || selectorMatches(g.selector, w.labels)) out.push(g);
    return out.sort(byAge);
  });
}

/** Workloads a Service selects (its namespace, selector ⊆ pod labels); [] without a selector. */
export function workloadsOfService(model: MeshModel, svc: ServiceInfo): Workload[] {
  return memo(svc, 'workloads', () => {
    const sel = svc.selector;
    if (!sel) return [];
    return (model.workloadsByNamespace.get(svc.namespace) ?? []).filter((w) => selectorMatches(sel, w.labels));
  });
}

/** Services in the workload's namespace that select it. */
export function servicesSelecting(model: MeshModel, w: Workload): ServiceInfo[] {
  return memo(w, 'services', () =>
    (model.servicesByNamespace.get(w.namespace) ?? []).filter((s) => s.selector && selectorMatches(s.selector, w.labels)),
  );
}

/**
 * Whether a workload-scoped Istio policy in `policyNamespace` with `selector` applies to a workload:
 * in its own namespace, to the pods its selector matches (all without one); a root-namespace policy
 * applies mesh-wide, with its selector (AuthorizationPolicy) or only without one (PeerAuthentication,
 * whose selector is ignored there).
 */
export function policyApplies(
  model: MeshModel,
  policyNamespace: string,
  selector: Labels | undefined,
  w: Workload,
  rootSelectors: 'mesh-wide' | 'ignored',
): boolean {
  const matches = isEmptySelector(selector) || selectorMatches(selector, w.labels);
  if (policyNamespace === w.namespace) return matches;
  if (policyNamespace !== model.rootNamespace) return false;
  return rootSelectors === 'mesh-wide' ? matches : isEmptySelector(selector);
}

interface Aged {
  m: Manifest;
  name: string;
  namespace: string;
}

/** Istio's config order: creationTimestamp, then name, then namespace (sortConfigByCreationTime). */
export function byAge(a: Aged, b: Aged): number {
  const ca = String(a.m.obj.metadata?.creationTimestamp ?? '');
  const cb = String(b.m.obj.metadata?.creationTimestamp ?? '');
  if (ca !== cb) return ca < cb ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0;
}
