// Istio's host and name semantics (istio/istio pkg/config/host, pilot/pkg/model/config.go).

export const CLUSTER_DOMAIN = 'cluster.local';

/** Istio's host.Name.Matches: `*.a.com` matches `b.a.com` but not `a.com`; `*` matches everything. */
export function hostMatches(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const xw = x.startsWith('*');
  const yw = y.startsWith('*');
  if (xw && yw) return x.length < y.length ? y.slice(1).endsWith(x.slice(1)) : x.slice(1).endsWith(y.slice(1));
  if (xw) return y.endsWith(x.slice(1));
  if (yw) return x.endsWith(y.slice(1));
  return x === y;
}

/** The more specific of two overlapping hosts (what Envoy's virtual host domain becomes), or undefined. */
export function hostIntersection(a: string, b: string): string | undefined {
  if (!hostMatches(a, b)) return undefined;
  const aw = a.startsWith('*');
  const bw = b.startsWith('*');
  if (aw && !bw) return b.toLowerCase();
  if (bw && !aw) return a.toLowerCase();
  return (a.length >= b.length ? a : b).toLowerCase();
}

/** Does a concrete host (an SNI or Host header, no wildcard) fall under a pattern? */
export function hostCovers(pattern: string, concrete: string): boolean {
  const p = pattern.toLowerCase();
  const c = concrete.toLowerCase();
  if (p === '*') return true;
  if (p.startsWith('*.')) return c.endsWith(p.slice(1)) && c.length > p.length - 1;
  return p === c;
}

export interface ServerHost {
  /** `*` (any namespace) or a namespace name; `./` is resolved to the Gateway's namespace. */
  namespace: string;
  host: string;
  raw: string;
}

/** A Gateway server host `[ns/]dnsName`: no prefix means any namespace, `./` the Gateway namespace. */
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

/**
 * A VirtualService `gateways` entry as istiod resolves it: `mesh` stays; `ns/name` as is;
 * `./name` and a bare `name` are in the VirtualService's namespace; the legacy
 * `name.ns[.svc.cluster.local]` means `ns/name`.
 */
export function resolveGatewayRef(ref: string, vsNamespace: string): string {
  if (ref === 'mesh') return 'mesh';
  const slash = ref.indexOf('/');
  if (slash >= 0) {
    const ns = ref.slice(0, slash);
    return `${ns === '.' ? vsNamespace : ns}/${ref.slice(slash + 1)}`;
  }
  const dot = ref.indexOf('.');
  if (dot >= 0) {
    const parts = ref.split('.');
    return `${parts[1]}/${parts[0]}`;
  }
  return `${vsNamespace}/${ref}`;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Short names expand to `name.<ns>.svc.cluster.local`; names with a dot are taken literally. */
export function resolveShortName(host: string, namespace: string): string {
  if (host === '*' || host.includes('.') || host.includes(':') || IPV4.test(host)) return host.toLowerCase();
  return `${host}.${namespace}.svc.${CLUSTER_DOMAIN}`.toLowerCase();
}

export function serviceFqdn(name: string, namespace: string): string {
  return `${name}.${namespace}.svc.${CLUSTER_DOMAIN}`.toLowerCase();
}

/** `svc.ns` (exactly one dot, not a public-looking domain) — the form Istio does not expand. */
export function looksLikeServiceDotNamespace(host: string, namespaces: Iterable<string>): boolean {
  const parts = host.split('.');
  if (parts.length !== 2) return false;
  for (const ns of namespaces) if (ns === parts[1]) return true;
  return false;
}

/** Label selector (`matchLabels` style map) ⊆ labels. An empty selector matches everything. */
export function selectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector)) if ((labels ?? {})[k] !== String(v)) return false;
  return true;
}
