// The ingress gateway side: which Gateway servers listen on a port of a gateway workload
// (with istiod's port translation), which server a TLS client reaches by SNI, and the
// route table (virtual hosts by domain) that a server or an HTTP port serves.
import { hostCovers, hostIntersection, hostsForNamespace, parseServerHost, type ServerHost } from '../../model/hosts.js';
import type { GatewayInfo, GatewayServer, VirtualServiceInfo, Workload } from '../../model/types.js';
import { byAge, gatewaysOf, memoOn, servicesOf, visibility, type TraceIndex } from './index-cache.js';

export type ServerKind = 'http' | 'https' | 'tls-passthrough' | 'tls' | 'tcp';

export interface ServerRef {
  gw: GatewayInfo;
  server: GatewayServer;
  hosts: ServerHost[];
  /** The port istiod opens for it on this workload (after Service port -> targetPort translation). */
  listenPort: number;
  kind: ServerKind;
}

export function serverKind(s: GatewayServer): ServerKind {
  const p = s.port.protocol;
  const mode = (s.tls?.mode ?? '').toUpperCase();
  if (p === 'HTTP' || p === 'HTTP2' || p === 'GRPC' || p === 'GRPC-WEB') return 'http';
  if (p === 'HTTPS') return mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH' ? 'tls-passthrough' : 'https';
  if (p === 'TLS') return mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH' ? 'tls-passthrough' : 'tls';
  return 'tcp';
}

export function speaksTls(k: ServerKind): boolean {
  return k === 'https' || k === 'tls' || k === 'tls-passthrough';
}

/** A container port name -> number on a workload. */
export function containerPortByName(w: Workload, name: string): number | undefined {
  for (const c of w.containers) for (const p of c.ports) if (p.name === name) return p.containerPort;
  return undefined;
}

/**
 * istiod resolvePorts: a server port that equals a port of a Service selecting the gateway pod is
 * opened on that port's targetPort; otherwise on the number as written.
 */
export function listenPortOf(ix: TraceIndex, w: Workload, server: GatewayServer): number {
  for (const svc of servicesOf(ix, w)) {
    for (const p of svc.ports) {
      if (p.port !== server.port.number) continue;
      if (typeof p.targetPort === 'number') return p.targetPort;
      return containerPortByName(w, p.targetPort) ?? server.port.number;
    }
  }
  return server.port.number;
}

/** Every server of every Gateway selecting the workload, grouped by the port it listens on. */
export function listenersOf(ix: TraceIndex, w: Workload): Map<number, ServerRef[]> {
  return memoOn(ix, w, 'listeners', () => {
    const out = new Map<number, ServerRef[]>();
    for (const gw of gatewaysOf(ix, w)) {
      for (const server of gw.servers) {
        const listenPort = listenPortOf(ix, w, server);
        const ref: ServerRef = {
          gw,
          server,
          hosts: server.hosts.map((h) => parseServerHost(h, gw.namespace)),
          listenPort,
          kind: serverKind(server),
        };
        const l = out.get(listenPort);
        if (l) l.push(ref);
        else out.set(listenPort, [ref]);
      }
    }
    return out;
  });
}

/** Specificity of a server host for an SNI/Host: exact beats longer wildcard beats `*`; -1 for no match. */
export function hostScore(pattern: string, host: string): number {
  const p = pattern.toLowerCase();
  if (p === '*') return 0;
  if (!hostCovers(p, host)) return -1;
  return p.startsWith('*') ? p.length : 100000 + p.length;
}

/** The TLS filter chain a client with this SNI lands on (Envoy picks the most specific server_names). */
export function serverForSni(servers: ServerRef[], sni: string): { ref: ServerRef; pattern: string } | undefined {
  let best: { ref: ServerRef; pattern: string } | undefined;
  let bestScore = -1;
  for (const ref of servers) {
    if (!speaksTls(ref.kind)) continue;
    const hosts = ref.hosts.length ? ref.hosts : [{ host: '*', namespace: '*', raw: '*' }];
    for (const h of hosts) {
      const s = hostScore(h.host, sni);
      if (s > bestScore) {
        bestScore = s;
        best = { ref, pattern: h.raw };
      }
    }
  }
  return best;
}

export interface Binding {
  vs: VirtualServiceInfo;
  server: ServerRef;
  /** 0 private, 1 exported to the proxy namespace, 2 public (merge order). */
  group: number;
  vsHost: string;
  serverHost: ServerHost;
}

export interface VHost {
  domain: string;
  /** Set when the server answering this domain has `tls.httpsRedirect` (every request gets 301). */
  redirect?: ServerRef;
  /** For redirect-only vhosts: the server host that produced it. */
  redirectHost?: ServerHost;
  bindings: Binding[];
  /** Filled by routes.ts on first use. */
  routes?: unknown;
}

export interface RouteTable {
  exact: Map<string, VHost>;
  wild: VHost[];
}

/**
 * The route configuration serving `servers` for a gateway proxy in `proxyNamespace`
 * (buildGatewayHTTPRouteConfig): a VirtualService contributes a vhost per host it shares with a server,
 * if it is bound to that server's Gateway, exported to the proxy namespace, and allowed by the server's
 * `ns/` host prefix. httpsRedirect servers also get a redirect vhost per server host, VS or not.
 */
export function routeTable(ix: TraceIndex, owner: object, key: string, proxyNamespace: string, servers: ServerRef[]): RouteTable {
  return memoOn(ix, owner, `rt:${key}`, () => {
    const byDomain = new Map<string, VHost>();
    const vhost = (domain: string) => {
      let v = byDomain.get(domain);
      if (!v) {
        v = { domain, bindings: [] };
        byDomain.set(domain, v);
      }
      return v;
    };
    for (const server of servers) {
      const redirect = server.server.tls?.httpsRedirect === true && server.kind === 'http';
      for (const vs of ix.model.virtualServicesByGateway.get(server.gw.key) ?? []) {
        if (vs.isDelegate || vs.http.length === 0) continue;
        const group = visibility(vs.exportTo, vs.namespace, proxyNamespace);
        if (group < 0) continue;
        const allowed = hostsForNamespace(server.hosts, vs.namespace);
        for (const vsHost of vs.hosts) {
          for (const sh of allowed) {
            const d = hostIntersection(sh.host, vsHost);
            if (!d) continue;
            const v = vhost(d);
            if (v.bindings.some((b) => b.vs === vs)) continue;
            v.bindings.push({ vs, server, group, vsHost, serverHost: sh });
            if (redirect && !v.redirect) v.redirect = server;
          }
        }
      }
      if (redirect) {
        for (const sh of server.hosts) {
          const v = vhost(sh.host.toLowerCase());
          if (!v.redirect) {
            v.redirect = server;
            v.redirectHost = sh;
          }
        }
      }
    }
    for (const v of byDomain.values()) v.bindings.sort((a, b) => a.group - b.group || byAge(a.vs, b.vs));
    const exact = new Map<string, VHost>();
    const wild: VHost[] = [];
    for (const v of byDomain.values()) {
      if (v.domain.startsWith('*')) wild.push(v);
      else exact.set(v.domain, v);
    }
    wild.sort((a, b) => b.domain.length - a.domain.length);
    return { exact, wild };
  });
}

/** Envoy virtual host selection by Host: exact domain, then the longest wildcard suffix, then `*`. */
export function lookupVHost(t: RouteTable, host: string): VHost | undefined {
  const h = host.toLowerCase();
  const e = t.exact.get(h);
  if (e) return e;
  for (const v of t.wild) if (v.domain === '*' || hostCovers(v.domain, h)) return v;
  return undefined;
}

/** TLS-passthrough VirtualServices of a server, in merge order (tls routes match on SNI). */
export function passthroughServices(
  ix: TraceIndex,
  proxyNamespace: string,
  server: ServerRef,
): Array<{ vs: VirtualServiceInfo; group: number }> {
  return memoOn(ix, server.server, `pt:${proxyNamespace}`, () => {
    const out: Array<{ vs: VirtualServiceInfo; group: number }> = [];
    for (const vs of ix.model.virtualServicesByGateway.get(server.gw.key) ?? []) {
      const group = visibility(vs.exportTo, vs.namespace, proxyNamespace);
      if (group < 0) continue;
      const allowed = hostsForNamespace(server.hosts, vs.namespace);
      if (vs.hosts.some((h) => allowed.some((sh) => hostIntersection(sh.host, h)))) out.push({ vs, group });
    }
    return out.sort((a, b) => a.group - b.group || byAge(a.vs, b.vs));
  });
}
