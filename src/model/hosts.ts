// Host names as Istio compares them (istio/istio pkg/config/host, pilot/pkg/model/config.go).
// Configuration hosts (VirtualService, Gateway server, ServiceEntry, destination) are compared as
// strings: case-sensitive, `*` wildcards in the left-most label only. Requests are not: Envoy picks a
// virtual host or an SNI filter chain case-insensitively, and a vhost domain is the lower-cased
// intersection. Certificates follow RFC 6125 (one label per `*`).

export const CLUSTER_DOMAIN = 'cluster.local';

function isWildcard(h: string): boolean {
  return h.length > 0 && h.charCodeAt(0) === 42; // '*'
}

/** host.Name.Matches: `*.a.com` matches `b.a.com` and `*.b.a.com` but not `a.com`; `*` matches everything. Case-sensitive. */
export function hostMatches(a: string, b: string): boolean {
  const aw = isWildcard(a);
  const bw = isWildcard(b);
  if (aw && bw) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}

/** host.Name.SubsetOf: every name `a` covers is covered by `b`. Case-sensitive. */
export function hostSubsetOf(a: string, b: string): boolean {
  const aw = isWildcard(a);
  const bw = isWildcard(b);
  if (aw) return bw && a.length >= b.length && a.slice(1).endsWith(b.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}

/** The more specific of two overlapping hosts (host.Names.Intersection), as written; undefined when they do not overlap. */
export function hostIntersection(a: string, b: string): string | undefined {
  if (!hostMatches(a, b)) return undefined;
  return hostSubsetOf(a, b) ? a : b;
}

/** Does a request's Host or SNI (concrete, any case) fall under a configured host or vhost domain? Case-insensitive, as Envoy matches. */
export function requestHostMatches(pattern: string, requested: string): boolean {
  const p = pattern.toLowerCase();
  const c = requested.toLowerCase();
  if (p === '*') return true;
  if (p.startsWith('*')) return c.endsWith(p.slice(1)) && c.length > p.length - 1;
  return p === c;
}

/** Does a certificate DNS name (RFC 6125: `*` stands for exactly one left-most label) cover a host? */
export function certificateCovers(dnsName: string, host: string): boolean {
  const p = dnsName.trim().toLowerCase().replace(/\.$/, '');
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  if (!p.startsWith('*.')) return p === h;
  const suffix = p.slice(1);
  if (!h.endsWith(suffix)) return false;
  const label = h.slice(0, h.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

export interface ServerHost {
  /** `*` (any namespace) or a namespace name; `./` is resolved to the Gateway's namespace. */
  namespace: string;
  host: string;
  raw: string;
}

/** A Gateway server host `[ns/]dnsName`: no prefix means any namespace, `./` the Gateway's namespace. */
export function parseServerHost(raw: string, gatewayNamespace: string): ServerHost {
  const i = raw.indexOf('/');
  if (i < 0) return { namespace: '*', host: raw, raw };
  const ns = raw.slice(0, i);
  return { namespace: ns === '.' ? gatewayNamespace : ns, host: raw.slice(i + 1), raw };
}

/** Server hosts a VirtualService in `vsNamespace` may bind to (host.NamesForNamespace). */
export function hostsForNamespace(hosts: ServerHost[], vsNamespace: string): ServerHost[] {
  return hosts.filter((h) => h.namespace === '*' || h.namespace === vsNamespace);
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * ResolveShortnameToFQDN: a dot-less name becomes `name.<namespace>.svc.cluster.local`; `*`, IP
 * addresses and names with a dot are kept as written (so `svc.ns` is not expanded). Applies to
 * VirtualService hosts and destination hosts alike.
 */
export function resolveShortName(host: string, namespace: string): string {
  if (host === '*' || host === '' || host.includes('.') || host.includes(':') || IPV4.test(host)) return host;
  return `${host}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}

/** The cluster-local name of a Service. */
export function serviceFqdn(name: string, namespace: string): string {
  return `${name}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}

/** `svc.ns` (exactly one dot, the second label a namespace the input knows): the form Istio does not expand. */
export function looksLikeServiceDotNamespace(host: string, namespaces: Iterable<string>): boolean {
  const parts = host.split('.');
  if (parts.length !== 2) return false;
  for (const ns of namespaces) if (ns === parts[1]) return true;
  return false;
}

/** Kubernetes-internal names (dot-less, `svc.ns`, `*.svc.cluster.local`): never meant for an ingress gateway. */
export function isClusterInternalHost(host: string, namespaces: Iterable<string>): boolean {
  const h = host.toLowerCase();
  return !h.includes('.') || h.endsWith(`.svc.${CLUSTER_DOMAIN}`) || h.endsWith('.svc') || looksLikeServiceDotNamespace(h, namespaces);
}
