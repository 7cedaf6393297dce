// Helpers shared by the mesh rules: destination resolution, route-match overlap.
import type { Path } from '../../../manifest/types.js';
import type {
  HttpMatch,
  HttpRoute,
  MeshModel,
  RouteDestination,
  ServiceEntryInfo,
  ServiceInfo,
  StringMatch,
  VirtualServiceInfo,
  Workload,
} from '../../../model/types.js';
import { CLUSTER_DOMAIN, looksLikeServiceDotNamespace } from '../../../model/hosts.js';
import { isKnownNamespace, knownNamespaces, serviceEntryFor } from '../../../model/lookup.js';
import { isAssumed } from '../../../sources/platform.js';

export { isAssumed };

/** Every route destination of a VirtualService (http, tls, tcp). */
export function destinationsOf(vs: VirtualServiceInfo): RouteDestination[] {
  if (!vs.tls.length && !vs.tcp.length && vs.http.length === 1) return vs.http[0].route;
  const out: RouteDestination[] = [];
  for (const r of vs.http) for (const d of r.route) out.push(d);
  for (const r of vs.tls) for (const d of r.route) out.push(d);
  for (const r of vs.tcp) for (const d of r.route) out.push(d);
  return out;
}

export type DestinationResolution =
  | { kind: 'service'; service: ServiceInfo }
  | { kind: 'serviceEntry'; entry: ServiceEntryInfo }
  /** `svc.ns`: Istio takes it literally (MESH016). */
  | { kind: 'svcDotNs'; service?: ServiceInfo; name: string; namespace: string }
  /** A cluster name in a namespace the input says nothing about: cannot tell offline. */
  | { kind: 'unknown' }
  /** Nothing to check (`*`, an IP, empty). */
  | { kind: 'skip' }
  | { kind: 'missing' };

const SVC_SUFFIX = `.svc.${CLUSTER_DOMAIN}`;
const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:]*)$/i;

const resolved = new WeakMap<MeshModel, WeakMap<RouteDestination, DestinationResolution>>();

/** How Istio resolves a destination host (already short-name expanded in `fqdn`); cached per model. */
export function resolveDestination(model: MeshModel, d: RouteDestination): DestinationResolution {
  const service = model.services.get(d.fqdn);
  if (service) return { kind: 'service', service };
  let cache = resolved.get(model);
  if (!cache) {
    cache = new WeakMap();
    resolved.set(model, cache);
  }
  let r = cache.get(d);
  if (!r) {
    r = resolveUncached(model, d);
    cache.set(d, r);
  }
  return r;
}

function resolveUncached(model: MeshModel, d: RouteDestination): DestinationResolution {
  const fqdn = d.fqdn;
  if (!fqdn || fqdn === '*' || IP.test(fqdn)) return { kind: 'skip' };
  const entry = serviceEntryFor(model, fqdn);
  if (entry) return { kind: 'serviceEntry', entry };
  if (looksLikeServiceDotNamespace(fqdn, knownNamespaces(model))) {
    const [name, namespace] = fqdn.split('.');
    return { kind: 'svcDotNs', name, namespace, service: model.services.get(`${name}.${namespace}${SVC_SUFFIX}`) };
  }
  if (fqdn.endsWith(SVC_SUFFIX)) {
    const parts = fqdn.slice(0, -SVC_SUFFIX.length).split('.');
    if (parts.length === 2 && !isKnownNamespace(model, parts[1])) return { kind: 'unknown' };
  }
  return { kind: 'missing' };
}

/** Kubernetes-internal names (dot-less, `svc.ns`, `*.svc.cluster.local`): never meant for an ingress gateway. */
export function isClusterInternalHost(model: MeshModel, host: string): boolean {
  const h = host.toLowerCase();
  return !h.includes('.') || h.endsWith(SVC_SUFFIX) || h.endsWith('.svc') || looksLikeServiceDotNamespace(h, knownNamespaces(model));
}

// ---- HTTP route matching --------------------------------------------------------------

function hasConditionsBesidesUri(m: HttpMatch): boolean {
  const nonEmpty = (r?: Record<string, unknown>) => !!r && Object.keys(r).length > 0;
  return !!(
    m.scheme ||
    m.method ||
    m.authority ||
    nonEmpty(m.headers) ||
    nonEmpty(m.withoutHeaders) ||
    nonEmpty(m.queryParams) ||
    m.port !== undefined ||
    (m.gateways && m.gateways.length) ||
    nonEmpty(m.sourceLabels) ||
    m.sourceNamespace
  );
}

/** A match block that matches every request (Istio's catch-all: prefix `/`, regex `.*`, or no uri, and nothing else). */
export function isCatchAllMatch(m: HttpMatch): boolean {
  if (hasConditionsBesidesUri(m)) return false;
  const u = m.uri;
  if (!u || (u.exact === undefined && u.prefix === undefined && u.regex === undefined)) return true;
  if (u.exact !== undefined) return false;
  if (u.prefix !== undefined) return u.prefix === '/' && u.regex === undefined;
  return u.regex === '.*' || u.regex === '^.*$';
}

/** A route with no match, or one of whose match blocks is a catch-all. */
export function isCatchAllRoute(r: HttpRoute): boolean {
  if (!r.match || r.match.length === 0) return true;
  return r.match.some(isCatchAllMatch);
}

/** Match blocks of a route that apply on `gateway` (a block with `gateways` applies only to those). */
export function blocksOn(r: HttpRoute, gateway: string): Array<HttpMatch | undefined> {
  if (!r.match || r.match.length === 0) return [undefined];
  return r.match.filter((m) => !m.gateways || m.gateways.length === 0 || m.gateways.includes(gateway));
}

function fold(s: string, ci: boolean): string {
  return ci ? s.toLowerCase() : s;
}

/**
 * A regex (RE2, whole-value match) as the literal prefix every match must start with, or
 * undefined when that cannot be told simply (alternation, or no literal start).
 */
function regexLiteralPrefix(re: string): string | undefined {
  if (re.includes('|')) return undefined;
  let i = re.startsWith('^') ? 1 : 0;
  let lit = '';
  for (; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      const n = re[i + 1];
      if (n !== undefined && /[./\-_~]/.test(n)) {
        lit += n;
        i++;
        continue;
      }
      break;
    }
    if ('.*+?()[]{}^$'.includes(c)) {
      if ('?*{'.includes(c)) lit = lit.slice(0, -1); // the quantifier makes the last literal optional
      break;
    }
    lit += c;
  }
  return lit || undefined;
}

/** A string match as a prefix-or-exact constraint (regex approximated by its literal prefix). */
function normalize(m: StringMatch): StringMatch | undefined {
  if (m.regex === undefined) return m;
  const p = regexLiteralPrefix(m.regex);
  return p === undefined ? undefined : { prefix: p };
}

/** Can two string matches both be satisfied by one value? Conservative: true when unsure. */
function stringsMayOverlap(x: StringMatch | undefined, y: StringMatch | undefined, ci = false): boolean {
  if (!x || !y) return true;
  const a = normalize(x);
  const b = normalize(y);
  if (!a || !b) return true;
  if (a.exact !== undefined && b.exact !== undefined) return fold(a.exact, ci) === fold(b.exact, ci);
  if (a.exact !== undefined && b.prefix !== undefined) return fold(a.exact, ci).startsWith(fold(b.prefix, ci));
  if (a.prefix !== undefined && b.exact !== undefined) return fold(b.exact, ci).startsWith(fold(a.prefix, ci));
  if (a.prefix !== undefined && b.prefix !== undefined) {
    const x = fold(a.prefix, ci);
    const y = fold(b.prefix, ci);
    return x.startsWith(y) || y.startsWith(x);
  }
  return true;
}

function mapsMayOverlap(a?: Record<string, StringMatch>, b?: Record<string, StringMatch>): boolean {
  if (!a || !b) return true;
  for (const [k, v] of Object.entries(a)) if (k in b && !stringsMayOverlap(v, b[k])) return false;
  return true;
}

/** Could one request satisfy both match blocks? (`undefined` = no match = everything.) */
export function matchesMayOverlap(a: HttpMatch | undefined, b: HttpMatch | undefined): boolean {
  if (!a || !b) return true;
  if (a.port !== undefined && b.port !== undefined && a.port !== b.port) return false;
  if (!stringsMayOverlap(a.uri, b.uri, a.ignoreUriCase || b.ignoreUriCase)) return false;
  if (!stringsMayOverlap(a.method, b.method)) return false;
  if (!stringsMayOverlap(a.scheme, b.scheme)) return false;
  if (!stringsMayOverlap(a.authority, b.authority, true)) return false;
  if (!mapsMayOverlap(a.headers, b.headers)) return false;
  if (!mapsMayOverlap(a.queryParams, b.queryParams)) return false;
  if (a.sourceNamespace && b.sourceNamespace && a.sourceNamespace !== b.sourceNamespace) return false;
  return true;
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

const podCreators = new WeakMap<MeshModel, Set<string>>();

/**
 * Namespaces holding a custom resource that an operator may turn into pods (an ECK Elasticsearch,
 * a Prometheus, a HelmRelease...): pods selected there may exist without a workload in the input.
 */
export function mayHaveOperatorPods(model: MeshModel, ns: string): boolean {
  let set = podCreators.get(model);
  if (!set) {
    set = new Set();
    for (const m of model.manifests) {
      const slash = m.apiVersion.indexOf('/');
      const group = slash < 0 ? '' : m.apiVersion.slice(0, slash);
      if (!NO_POD_GROUPS.has(group) || POD_KINDS_IN_NO_POD_GROUPS.has(m.kind)) set.add(m.namespace);
    }
    podCreators.set(model, set);
  }
  return set.has(ns);
}

/** A workload that runs an Envoy gateway (not an application pod with a sidecar). */
export function isGatewayWorkload(w: Workload): boolean {
  return (
    w.hasProxy ||
    'istio' in w.labels ||
    'istio.io/gateway-name' in w.labels ||
    'gateway.istio.io/managed' in w.labels ||
    (w.annotations['inject.istio.io/templates'] ?? '').includes('gateway')
  );
}
