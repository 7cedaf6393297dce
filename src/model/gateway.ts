// The gateway side of Istio routing (pilot gateway.go): which port a Gateway server opens on a gateway
// workload, which server a TLS client lands on by SNI, and which VirtualService hosts bind to which
// server: after the server host's `ns/` filter, a VirtualService host (short names expanded) that
// intersects a server host gives a virtual host whose domain is the lower-cased intersection.
import { visibility } from './export.js';
import { hostIntersection, hostsForNamespace, parseServerHost, requestHostMatches, type ServerHost } from './hosts.js';
import { memo } from './memo.js';
import { byAge, gatewaysForWorkload, servicesSelecting } from './selectors.js';
import type { GatewayInfo, GatewayServer, MeshModel, VirtualServiceInfo, Workload } from './types.js';

/** Each Gateway of the model with the VirtualServices bound to it (the mesh pseudo-gateway and unknown Gateways left out). */
export function* gatewaysWithRoutes(model: MeshModel): Generator<[GatewayInfo, VirtualServiceInfo[]]> {
  for (const [key, list] of model.virtualServicesByGateway) {
    const gw = key === 'mesh' ? undefined : model.gateways.get(key);
    if (gw) yield [gw, list];
  }
}

export type ServerKind = 'http' | 'https' | 'tls-passthrough' | 'tls' | 'tcp';

export function serverKind(s: GatewayServer): ServerKind {
  const p = s.port.protocol;
  const mode = (s.tls?.mode ?? '').toUpperCase();
  const passthrough = mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH';
  if (p === 'HTTP' || p === 'HTTP2' || p === 'GRPC' || p === 'GRPC-WEB') return 'http';
  if (p === 'HTTPS') return passthrough ? 'tls-passthrough' : 'https';
  if (p === 'TLS') return passthrough ? 'tls-passthrough' : 'tls';
  return 'tcp';
}

export function speaksTls(k: ServerKind): boolean {
  return k === 'https' || k === 'tls' || k === 'tls-passthrough';
}

/** Servers that terminate TLS with a certificate (the gateway needs a credential for them). */
export function terminatesTls(s: GatewayServer): boolean {
  const mode = (s.tls?.mode ?? 'SIMPLE').toUpperCase();
  return (s.port.protocol === 'HTTPS' || s.port.protocol === 'TLS') && ['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL'].includes(mode);
}

/** Parsed hosts of a server (`./` resolved to the Gateway's namespace). */
export function serverHosts(gw: GatewayInfo, s: GatewayServer): ServerHost[] {
  return memo(s, 'hosts', () => s.hosts.map((h) => parseServerHost(h, gw.namespace)));
}

/** A container port name -> number on a workload. */
export function containerPortByName(w: Workload, name: string): number | undefined {
  for (const c of w.containers) for (const p of c.ports) if (p.name === name) return p.containerPort;
  return undefined;
}

/**
 * resolvePorts: a server port equal to a port of a Service selecting the gateway pod is opened on that
 * port's targetPort; otherwise on the number as written.
 */
export function listenPortOf(model: MeshModel, w: Workload, server: GatewayServer): number {
  for (const svc of servicesSelecting(model, w)) {
    for (const p of svc.ports) {
      if (p.port !== server.port.number) continue;
      if (typeof p.targetPort === 'number') return p.targetPort;
      return containerPortByName(w, p.targetPort) ?? server.port.number;
    }
  }
  return server.port.number;
}

export interface ServerRef {
  gw: GatewayInfo;
  server: GatewayServer;
  hosts: ServerHost[];
  /** The port istiod opens for it on this workload. */
  listenPort: number;
  kind: ServerKind;
}

/** Every server of every Gateway configuring the workload, by the port it listens on. */
export function listenersOf(model: MeshModel, w: Workload): Map<number, ServerRef[]> {
  return memo(w, 'listeners', () => {
    const out = new Map<number, ServerRef[]>();
    for (const gw of gatewaysForWorkload(model, w)) {
      for (const server of gw.servers) {
        const ref: ServerRef = {
          gw,
          server,
          hosts: serverHosts(gw, server),
          listenPort: listenPortOf(model, w, server),
          kind: serverKind(server),
        };
        const l = out.get(ref.listenPort);
        if (l) l.push(ref);
        else out.set(ref.listenPort, [ref]);
      }
    }
    return out;
  });
}

/** Specificity of a server host for a request SNI/Host: exact beats longer wildcard beats `*`; -1 for no match. */
export function hostScore(pattern: string, host: string): number {
  if (pattern === '*') return 0;
  if (!requestHostMatches(pattern, host)) return -1;
  return pattern.startsWith('*') ? pattern.length : 100000 + pattern.length;
}

/** The TLS filter chain a client with this SNI lands on (the most specific server name wins). */
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

export interface HostBinding {
  serverHost: ServerHost;
  /** Index in `vs.hosts`. */
  vsHostIndex: number;
  /** The Envoy virtual host domain: the intersection, lower-cased. */
  domain: string;
}

/** The virtual hosts one server gets from one VirtualService (no visibility check; see visibility()). */
export function bindHosts(hosts: ServerHost[], vs: VirtualServiceInfo): HostBinding[] {
  const out: HostBinding[] = [];
  const allowed = hostsForNamespace(hosts, vs.namespace);
  vs.fqdnHosts.forEach((h, i) => {
    for (const sh of allowed) {
      const d = hostIntersection(sh.host, h);
      if (d !== undefined) out.push({ serverHost: sh, vsHostIndex: i, domain: d.toLowerCase() });
    }
  });
  return out;
}

/** Servers of `gw` to which VirtualService host `vs.hosts[i]` binds. */
export function serversBinding(gw: GatewayInfo, vs: VirtualServiceInfo, i: number): GatewayServer[] {
  return gw.servers.filter((s) => bindHosts(serverHosts(gw, s), vs).some((b) => b.vsHostIndex === i));
}

/** Does any server of `gw` bind any host of `vs`? (IST0132 judged on the runtime's terms.) */
export function gatewayBindsAny(gw: GatewayInfo, vs: VirtualServiceInfo): boolean {
  return gw.servers.some((s) => bindHosts(serverHosts(gw, s), vs).length > 0);
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
}

export interface RouteTable {
  exact: Map<string, VHost>;
  wild: VHost[];
}

/**
 * The route configuration serving `servers` for a gateway proxy in `proxyNamespace`
 * (buildGatewayHTTPRouteConfig): a VirtualService bound to a server's Gateway and exported to the proxy
 * namespace contributes a vhost per host binding; httpsRedirect servers also get a redirect vhost per server
 * host, VirtualService or not. Cached on `owner` under `key`.
 */
export function routeTable(model: MeshModel, owner: object, key: string, proxyNamespace: string, servers: ServerRef[]): RouteTable {
  return memo(owner, `rt:${key}`, () => {
    const byDomain = new Map<string, VHost>();
    const vhost = (domain: string) => {
      let v = byDomain.get(domain);
      if (!v) byDomain.set(domain, (v = { domain, bindings: [] }));
      return v;
    };
    for (const server of servers) {
      const redirect = server.server.tls?.httpsRedirect === true && server.kind === 'http';
      for (const vs of model.virtualServicesByGateway.get(server.gw.key) ?? []) {
        if (vs.isDelegate || vs.http.length === 0) continue;
        const group = visibility(vs.exportTo, vs.namespace, proxyNamespace);
        if (group < 0) continue;
        for (const b of bindHosts(server.hosts, vs)) {
          const v = vhost(b.domain);
          if (v.bindings.some((x) => x.vs === vs)) continue;
          v.bindings.push({ vs, server, group, vsHost: vs.hosts[b.vsHostIndex], serverHost: b.serverHost });
          if (redirect && !v.redirect) v.redirect = server;
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
  for (const v of t.wild) if (v.domain === '*' || requestHostMatches(v.domain, h)) return v;
  return undefined;
}

/** TLS-passthrough VirtualServices of a server, in merge order (tls routes match on SNI). */
export function passthroughServices(
  model: MeshModel,
  proxyNamespace: string,
  server: ServerRef,
): Array<{ vs: VirtualServiceInfo; group: number }> {
  return memo(server.server, `pt:${proxyNamespace}`, () => {
    const out: Array<{ vs: VirtualServiceInfo; group: number }> = [];
    for (const vs of model.virtualServicesByGateway.get(server.gw.key) ?? []) {
      const group = visibility(vs.exportTo, vs.namespace, proxyNamespace);
      if (group >= 0 && bindHosts(server.hosts, vs).length) out.push({ vs, group });
    }
    return out.sort((a, b) => a.group - b.group || byAge(a.vs, b.vs));
  });
}
