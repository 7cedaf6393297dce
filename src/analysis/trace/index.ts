// `bbmesh trace`: follow one request from the client through the ingress Service, the gateway
// workload, the Gateway server (SNI, TLS, httpsRedirect), the VirtualService route table, the route,
// the destination Service and port, the selected pods, the sidecar and the container; and say
// what the client gets, in Envoy's words, with the hop, object and check code of any failure.
// Pure over the model: every step is an index lookup (see index-cache.ts).
import { UserError } from '../../core/errors.js';
import { hostCovers } from '../../model/hosts.js';
import type { L4Route, MeshModel, RouteDestination, VirtualServiceInfo, Workload } from '../../model/types.js';
import { authorize } from './authz.js';
import { traceDestination } from './destination.js';
import {
  listenersOf,
  lookupVHost,
  passthroughServices,
  routeTable,
  serverForSni,
  speaksTls,
  containerPortByName,
  hostScore,
  type ServerRef,
  type VHost,
} from './gateway.js';
import { HopList, objName, type Failure } from './hops.js';
import { gatewaysOf, traceIndex, virtualServicesForHost, visibility, workloadsOf, type TraceIndex } from './index-cache.js';
import { describeMatch, parseQuery, type MatchRequest } from './match.js';
import { mergedRoutes, selectRoute } from './routes.js';
import type { TraceOptions, TraceRequest, TraceResult, Verdict } from './types.js';

export type * from './types.js';
export { buildDiagram, diagramPackage, type DiagramOptions } from './diagram.js';

interface ParsedUrl {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** host[:port] as sent (port only when not the scheme default). */
  authority: string;
  /** path + query */
  path: string;
  href: string;
}

export function parseTraceUrl(raw: string): ParsedUrl {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UserError(`not a URL: ${raw}`, { hint: 'give a full URL such as https://podinfo.bigbang.dev/' });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new UserError(`unsupported scheme ${u.protocol.replace(':', '')} in ${raw}`, { hint: 'trace follows http:// and https:// URLs' });
  if (!u.hostname) throw new UserError(`no host in ${raw}`);
  const scheme = u.protocol === 'https:' ? 'https' : 'http';
  const port = u.port ? Number(u.port) : scheme === 'https' ? 443 : 80;
  const host = u.hostname.toLowerCase();
  const path = (u.pathname || '/') + u.search;
  return { scheme, host, port, authority: u.port ? `${host}:${u.port}` : host, path, href: `${scheme}://${u.host}${path}` };
}

type Step = { fail: Failure & { hop: number } } | { redirect: string; code: number; hop: number } | { done: Verdict };

interface Ctx {
  ix: TraceIndex;
  t: HopList;
  url: ParsedUrl;
  method: string;
  headers: Record<string, string>;
  /** Host header (defaults to the URL authority); SNI is always the URL host. */
  hostHeader: string;
}

function fail(t: HopList, f: Failure): Step {
  return { fail: t.fail(f) };
}

const SUCCESS = (t: HopList, reason: string): Step => ({ done: { ok: true, status: 200, reason, hop: t.hops.length - 1 } });

export function traceRequest(model: MeshModel, request: TraceRequest, opts: TraceOptions = {}): TraceResult {
  const ix = traceIndex(model);
  const t = new HopList();
  const method = (request.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers ?? {})) headers[k.toLowerCase()] = v;
  let url = parseTraceUrl(request.url);
  const seen = new Set<string>();
  const redirects: string[] = [];
  const max = opts.maxRedirects ?? 10;
  let verdict: Verdict;
  for (;;) {
    seen.add(url.href);
    const hostHeader = (headers.host ?? url.authority).toLowerCase();
    const step = traceOnce({ ix, t, url, method, headers: { ...headers, host: hostHeader }, hostHeader });
    if ('fail' in step) {
      const f = step.fail;
      verdict = {
        ok: false,
        status: f.status,
        ...(f.flag ? { flag: f.flag } : {}),
        reason: f.reason,
        ...(f.code ? { code: f.code } : {}),
        hop: f.hop,
        ...(f.fix ? { fix: f.fix } : {}),
      };
      break;
    }
    if ('done' in step) {
      verdict = step.done;
      if (redirects.length) verdict.reason = `${verdict.reason} (after ${redirects.join(', ')})`;
      break;
    }
    const next = parseTraceUrl(step.redirect);
    if (seen.has(next.href) || redirects.length >= max) {
      t.hops[step.hop].ok = false;
      verdict = {
        ok: false,
        status: step.code,
        flag: 'loop',
        hop: step.hop,
        reason: `${step.code} redirect loop: ${[...redirects, `${step.code} ${next.href}`].join(' -> ')} comes back to a URL already visited`,
        fix: 'make the redirect target a URL that is served, not redirected again (check VirtualService redirect rules and httpsRedirect on the server that answers it)',
      };
      break;
    }
    redirects.push(`${step.code} to ${next.href}`);
    url = next;
  }
  return { schemaVersion: 1, url: request.url, method, verdict, hops: t.hops };
}

function traceOnce(c: Ctx): Step {
  const { ix, t, url } = c;
  t.add(
    'client',
    `${c.method} ${url.href}`,
    url.scheme === 'https' ? `TLS with SNI ${url.host}, Host ${c.hostHeader}` : `plain HTTP, Host ${c.hostHeader}`,
    { ports: String(url.port) },
  );
  // 1. The ingress Service: a LoadBalancer/NodePort Service port.
  const entries = ix.ingressByPort.get(url.port) ?? [];
  if (!entries.length) {
    t.add(
      'ingress-service',
      `no ingress Service on port ${url.port}`,
      `no LoadBalancer or NodePort Service in the input or the assumed platform exposes port ${url.port}`,
      { ports: String(url.port) },
    );
    return fail(t, {
      status: 'connection-refused',
      reason: `connection refused: nothing exposes port ${url.port}`,
      fix: `use port ${url.scheme === 'https' ? 443 : 80} (the ingress gateway Service ports)`,
    });
  }
  const entry = chooseIngress(ix, entries, url.host);
  const { svc, port: sp } = entry;
  const pods = workloadsOf(ix, svc);
  t.add(
    'ingress-service',
    `Service ${svc.namespace}/${svc.name}`,
    `${svc.type} port ${sp.port}${sp.name ? ` (${sp.name})` : ''} forwards to targetPort ${sp.targetPort} of the gateway pods`,
    { m: svc.m, path: ['spec', 'ports', sp.index], ports: `${sp.port} -> ${sp.targetPort}` },
  );
  if (!pods.length) {
    return fail(t, {
      status: 'connection-refused',
      reason: `connection refused: Service ${svc.namespace}/${svc.name} selects no gateway pod`,
      fix: `make the selector of ${svc.name} match the ingress gateway Deployment`,
    });
  }
  // 2. The gateway workload and its listener.
  let w: Workload | undefined;
  let listenPort = -1;
  for (const cand of pods) {
    const n = typeof sp.targetPort === 'number' ? sp.targetPort : containerPortByName(cand, sp.targetPort);
    if (n === undefined) continue;
    if (!w || (listenersOf(ix, cand).has(n) && !listenersOf(ix, w).has(listenPort))) {
      w = cand;
      listenPort = n;
    }
  }
  if (!w) {
    t.add('gateway-workload', `${pods[0].kind} ${pods[0].namespace}/${pods[0].name}`, `no container port named ${sp.targetPort}`, {
      m: pods[0].m,
      path: pods[0].podSpecPath,
    });
    return fail(t, {
      status: 'connection-refused',
      reason: `connection refused: targetPort ${sp.targetPort} is not a port of the gateway pods`,
      fix: `set targetPort of ${svc.name} port ${sp.port} to a gateway container port`,
    });
  }
  const gws = gatewaysOf(ix, w);
  t.add(
    'gateway-workload',
    `${w.kind} ${w.namespace}/${w.name}`,
    `Envoy listener 0.0.0.0_${listenPort}; Gateways selecting it: ${gws.map((g) => g.key).join(', ') || 'none'}`,
    { m: w.m, path: [...w.podSpecPath.slice(0, -1), 'metadata', 'labels'], ports: String(listenPort) },
  );
  const servers = listenersOf(ix, w).get(listenPort) ?? [];
  if (!servers.length) {
    if (!gws.length) {
      t.add(
        'gateway-server',
        'no Gateway selects the gateway pods',
        `labels ${Object.entries(w.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(',')}`,
        { ports: String(listenPort) },
      );
      return fail(t, {
        status: 'connection-refused',
        reason: `connection refused: no Gateway selects ${w.namespace}/${w.name}, so Envoy opens no listener on ${listenPort}`,
        code: 'MESH007',
        fix: `set spec.selector of the Gateway to labels of the ingress gateway pods (e.g. app: ${w.labels.app ?? w.name})`,
      });
    }
    const other = gws
      .flatMap((g) => g.servers.map((s) => ({ g, s })))
      .find((x) => !listenersOf(ix, w!).has(x.s.port.number) || x.s.port.number !== listenPort);
    t.add(
      'gateway-server',
      `no Gateway server on port ${listenPort}`,
      `servers of ${gws.map((g) => g.key).join(', ')} listen on ${[...listenersOf(ix, w).keys()].join(', ') || 'nothing'}`,
      {
        m: other?.g.m ?? gws[0].m,
        path: other ? ['spec', 'servers', other.s.index, 'port', 'number'] : ['spec', 'servers'],
        ports: String(listenPort),
      },
    );
    return fail(t, {
      status: 'connection-refused',
      reason: `connection refused: no Gateway server listens on ${listenPort} (Service port ${sp.port})`,
      code: 'MESH008',
      fix: `give the Gateway a server on port ${listenPort} (or ${sp.port}), the targetPort of ${svc.name} port ${sp.port}`,
    });
  }
  return url.scheme === 'https' ? traceTls(c, w, servers) : tracePlain(c, w, servers);
}

/**
 * Each Big Bang gateway has its own LoadBalancer Service, and a host's DNS points at the one
 * whose Gateway serves it. Prefer the ingress whose Gateways serve the host with a bound
 * VirtualService, then one whose Gateways serve the host, then any with a Gateway at all.
 */
function chooseIngress(ix: TraceIndex, entries: Array<{ svc: any; port: any }>, host: string) {
  if (entries.length === 1) return entries[0];
  let best = entries[0];
  let bestScore = -1;
  for (const e of entries) {
    let score = 0;
    for (const w of workloadsOf(ix, e.svc)) {
      for (const g of gatewaysOf(ix, w)) {
        score = Math.max(score, 1);
        if (!g.servers.some((srv) => srv.hosts.some((h) => hostCovers(h.includes('/') ? h.slice(h.indexOf('/') + 1) : h, host)))) continue;
        score = Math.max(score, 2);
        const bound = ix.model.virtualServicesByGateway.get(g.key) ?? [];
        if (bound.some((vs) => vs.hosts.some((h) => hostCovers(h, host) || h.toLowerCase() === host))) score = 3;
      }
    }
    if (score > bestScore) {
      best = e;
      bestScore = score;
    }
  }
  return best;
}

function serverTitle(ref: ServerRef): string {
  const s = ref.server;
  return `Gateway ${ref.gw.key} server[${s.index}] ${s.port.protocol} ${s.port.number}${s.port.name ? ` (${s.port.name})` : ''}`;
}

function traceTls(c: Ctx, w: Workload, servers: ServerRef[]): Step {
  const { ix, t, url } = c;
  const tlsServers = servers.filter((s) => speaksTls(s.kind));
  if (!tlsServers.length) {
    const s = servers[0];
    t.add('gateway-server', serverTitle(s), `the listener on ${s.listenPort} speaks ${s.server.port.protocol}, not TLS`, {
      m: s.gw.m,
      path: ['spec', 'servers', s.server.index, 'port'],
      ports: String(s.listenPort),
    });
    return fail(t, {
      status: 'tls-handshake-failure',
      reason: `TLS handshake failure: the listener on ${s.listenPort} is plain ${s.server.port.protocol}`,
      fix: `use http://${url.host}/ or route port ${url.port} to an HTTPS server`,
    });
  }
  const pick = serverForSni(tlsServers, url.host);
  if (!pick) {
    const s = tlsServers[0];
    const vs = virtualServicesForHost(ix, url.host).find((v) => !v.isDelegate);
    t.add(
      'gateway-server',
      `no server for SNI ${url.host}`,
      `TLS servers on ${s.listenPort} accept ${tlsServers.flatMap((x) => x.server.hosts).join(', ')}; no filter chain matches ${url.host}`,
      { m: s.gw.m, path: ['spec', 'servers', s.server.index, 'hosts'], ports: String(s.listenPort) },
    );
    return fail(t, {
      status: 'tls-handshake-failure',
      reason: `TLS handshake failure: no Gateway server on ${s.listenPort} has a host matching SNI ${url.host}`,
      code: vs ? 'MESH002' : undefined,
      fix: vs
        ? `add ${url.host} to the hosts of ${serverTitle(s)} or change the host of VirtualService ${vs.namespace}/${vs.name}`
        : `use a host the Gateway serves (${s.server.hosts.join(', ')})`,
    });
  }
  const ref = pick.ref;
  const s = ref.server;
  const mode = (s.tls?.mode ?? 'SIMPLE').toUpperCase();
  let tlsText = `TLS ${mode}`;
  let assumed = ref.gw.m.origin.stage === 'platform';
  if (ref.kind === 'https' || ref.kind === 'tls') {
    if (mode !== 'ISTIO_MUTUAL') {
      const cred = s.tls?.credentialName;
      if (!cred) {
        t.add('gateway-server', serverTitle(ref), `host ${pick.pattern} matches SNI ${url.host}; TLS ${mode} without credentialName`, {
          m: ref.gw.m,
          path: ['spec', 'servers', s.index, 'tls'],
          ports: String(ref.listenPort),
        });
        return fail(t, {
          status: 'tls-handshake-failure',
          reason: `TLS handshake failure: ${serverTitle(ref)} has no certificate (no credentialName)`,
          code: 'MESH009',
          fix: 'set tls.credentialName to the TLS Secret of the gateway',
        });
      }
      const secret = ix.model.secrets.get(`${w.namespace}/${cred}`) ?? (cred.includes('/') ? ix.model.secrets.get(cred) : undefined);
      if (!secret) {
        t.add(
          'gateway-server',
          serverTitle(ref),
          `host ${pick.pattern} matches SNI ${url.host}; credentialName ${cred} is read from ${w.namespace} (the gateway pod's namespace), where there is no such Secret`,
          { m: ref.gw.m, path: ['spec', 'servers', s.index, 'tls', 'credentialName'], ports: String(ref.listenPort) },
        );
        return fail(t, {
          status: 'tls-handshake-failure',
          reason: `TLS handshake failure: Secret ${w.namespace}/${cred} (credentialName) does not exist, so the gateway has no certificate`,
          code: 'MESH009',
          fix: `create the TLS Secret ${cred} in namespace ${w.namespace} (keys tls.crt, tls.key)`,
        });
      }
      assumed ||= secret.m.origin.stage === 'platform';
      tlsText = `TLS ${mode} with Secret ${secret.namespace}/${secret.name}${secret.m.origin.stage === 'platform' ? ' (assumed)' : ''}`;
      if (mode === 'MUTUAL' || mode === 'OPTIONAL_MUTUAL')
        tlsText += mode === 'MUTUAL' ? '; the client must present a certificate the CA accepts' : '; client certificate optional';
    } else tlsText = 'TLS ISTIO_MUTUAL (mesh client certificate required)';
  } else tlsText = 'TLS passthrough: routed on SNI, not terminated';
  t.add('gateway-server', serverTitle(ref), `host ${pick.pattern} matches SNI ${url.host}; ${tlsText}`, {
    m: ref.gw.m,
    path: ['spec', 'servers', s.index],
    ports: `${url.port} -> ${ref.listenPort}`,
    assumed,
  });
  const denied = gatewayAuthz(c, w, ref.listenPort);
  if (denied) return denied;
  if (ref.kind === 'tls-passthrough') return traceL4(c, w, ref, 'tls');
  if (ref.kind === 'tls') return traceL4(c, w, ref, 'tcp');
  const table = routeTable(ix, w, `https:${ref.gw.key}:${s.index}`, w.namespace, [ref]);
  return traceHttp(c, w, [ref], lookupVHost(table, hostOnly(c.hostHeader)), ref, 'https');
}

function hostOnly(authority: string): string {
  const i = authority.lastIndexOf(':');
  return i > 0 && /^\d+$/.test(authority.slice(i + 1)) ? authority.slice(0, i) : authority;
}

function tracePlain(c: Ctx, w: Workload, servers: ServerRef[]): Step {
  const { ix, t, url } = c;
  const http = servers.filter((s) => s.kind === 'http');
  if (!http.length) {
    const s = servers[0];
    t.add('gateway-server', serverTitle(s), `the listener on ${s.listenPort} expects ${s.server.port.protocol}`, {
      m: s.gw.m,
      path: ['spec', 'servers', s.server.index, 'port'],
      ports: String(s.listenPort),
    });
    if (s.kind === 'tcp') return traceL4(c, w, s, 'tcp');
    return fail(t, {
      status: 'connection-reset',
      reason: `connection reset: plain HTTP sent to the TLS listener on ${s.listenPort}`,
      fix: `use https://${url.host}/`,
    });
  }
  const host = hostOnly(c.hostHeader);
  const table = routeTable(ix, w, `http:${http[0].listenPort}`, w.namespace, http);
  const vhost = lookupVHost(table, host);
  let ref = vhost?.redirect ?? vhost?.bindings[0]?.server;
  if (!ref) {
    let best = -1;
    for (const s of http)
      for (const h of s.hosts) {
        const sc = hostScore(h.host, host);
        if (sc > best) {
          best = sc;
          ref = s;
        }
      }
  }
  ref ??= http[0];
  const s = ref.server;
  t.add(
    'gateway-server',
    serverTitle(ref),
    `route config http.${ref.listenPort}${vhost ? `, virtual host ${vhost.domain}` : ''}${s.tls?.httpsRedirect ? '; tls.httpsRedirect: true' : ''}`,
    { m: ref.gw.m, path: ['spec', 'servers', s.index], ports: `${url.port} -> ${ref.listenPort}` },
  );
  if (vhost?.redirect) {
    const port = url.port === 80 ? '' : `:${url.port}`;
    const target = `https://${host}${port}${url.path}`;
    t.add(
      'redirect',
      `301 to ${target}`,
      `httpsRedirect on ${serverTitle(vhost.redirect)} answers every plain-HTTP request for ${vhost.domain}, VirtualService or not`,
      { m: vhost.redirect.gw.m, path: ['spec', 'servers', vhost.redirect.server.index, 'tls', 'httpsRedirect'] },
    );
    return { redirect: target, code: 301, hop: t.hops.length - 1 };
  }
  const denied = gatewayAuthz(c, w, ref.listenPort);
  if (denied) return denied;
  return traceHttp(c, w, http, vhost, ref, 'http');
}

/** AuthorizationPolicies on the gateway workload itself (enforced before routing). */
function gatewayAuthz(c: Ctx, w: Workload, port: number): Step | undefined {
  const q = c.url.path.indexOf('?');
  const dec = authorize(c.ix, w, {
    host: hostOnly(c.hostHeader),
    method: c.method,
    path: q < 0 ? c.url.path : c.url.path.slice(0, q),
    headers: c.headers,
    port,
    source: {},
  });
  if (!dec) return undefined;
  c.t.add(
    'authorization',
    dec.policy ? `AuthorizationPolicy ${dec.policy.namespace}/${dec.policy.name} (at the gateway)` : 'AuthorizationPolicies at the gateway',
    `${dec.reason}${dec.assumptions.length ? `; ${dec.assumptions.join('; ')}` : ''}`,
    {
      m: dec.policy?.m,
      path: dec.policy && dec.rule !== undefined && dec.rule >= 0 ? ['spec', 'rules', dec.rule] : ['spec'],
      assumed: dec.assumptions.length > 0 || undefined,
    },
  );
  if (dec.allowed) return undefined;
  return fail(c.t, {
    status: 403,
    reason: `403 RBAC: access denied at the ingress gateway: ${dec.reason}`,
    fix:
      dec.policy?.action === 'DENY'
        ? `narrow the DENY rule of AuthorizationPolicy ${dec.policy.name}`
        : 'add an ALLOW rule for this request',
  });
}

/** Why no VirtualService serves `host` on these servers: 404 NR, with the likely culprit. */
function diagnoseNoVhost(c: Ctx, servers: ServerRef[], proxyNs: string): Step {
  const { ix, t } = c;
  const host = hostOnly(c.hostHeader);
  const keys = new Set(servers.map((s) => s.gw.key));
  const gwList = [...keys].join(', ');
  const cands = virtualServicesForHost(ix, host).filter((v) => !v.isDelegate);
  const bound = cands.filter((v) => v.gateways.some((g) => keys.has(g.resolved)));
  const rt = servers[0].kind === 'http' ? `http.${servers[0].listenPort}` : `https.${servers[0].server.port.number}`;
  for (const vs of bound) {
    if (visibility(vs.exportTo, vs.namespace, proxyNs) < 0) {
      t.add(
        'virtual-service',
        `VirtualService ${vs.namespace}/${vs.name} is hidden by exportTo`,
        `exportTo [${vs.exportTo.join(', ')}] does not include ${proxyNs}, the namespace of the gateway proxy, so the gateway never sees it`,
        { m: vs.m, path: ['spec', 'exportTo'] },
      );
      return fail(t, {
        status: 404,
        flag: 'NR',
        reason: `404 NR: VirtualService ${vs.namespace}/${vs.name} is not exported to ${proxyNs}`,
        code: 'MESH010',
        fix: `remove spec.exportTo from ${vs.name} or add "${proxyNs}" (or "*") to it`,
      });
    }
    if (!vs.http.length) {
      t.add(
        'virtual-service',
        `VirtualService ${vs.namespace}/${vs.name} has no http routes`,
        `it has ${vs.tls.length} tls and ${vs.tcp.length} tcp routes; the ${rt} route table needs http routes`,
        { m: vs.m, path: ['spec'] },
      );
      return fail(t, {
        status: 404,
        flag: 'NR',
        reason: `404 NR: VirtualService ${vs.namespace}/${vs.name} has no http routes`,
        fix: `add an http route to ${vs.name}`,
      });
    }
    const hi = vs.hosts.findIndex((h) => hostCovers(h, host) || h.toLowerCase() === host);
    const serverHosts = servers.filter((s) => vs.gateways.some((g) => g.resolved === s.gw.key)).flatMap((s) => s.server.hosts);
    t.add(
      'virtual-service',
      `VirtualService ${vs.namespace}/${vs.name} host ${vs.hosts[hi] ?? host} is not on the server`,
      `server hosts ${serverHosts.join(', ')} admit no VirtualService host ${host} from namespace ${vs.namespace} (a \`ns/\` prefix restricts namespaces; *.a.com does not match a.com)`,
      { m: vs.m, path: ['spec', 'hosts', Math.max(0, hi)] },
    );
    return fail(t, {
      status: 404,
      flag: 'NR',
      reason: `404 NR: ${host} of VirtualService ${vs.namespace}/${vs.name} is not a host of the Gateway server`,
      code: 'MESH002',
      fix: `add ${host} (or a wildcard covering it, without a namespace prefix excluding ${vs.namespace}) to the server hosts, or fix the VirtualService host`,
    });
  }
  if (cands.length) {
    const vs = cands[0];
    const refs = vs.gateways.map((g) => g.resolved);
    const missing = vs.gateways.find((g) => g.resolved !== 'mesh' && !ix.model.gateways.has(g.resolved));
    const gi = missing ? vs.gateways.indexOf(missing) : -1;
    t.add(
      'virtual-service',
      `VirtualService ${vs.namespace}/${vs.name} is not bound to ${gwList}`,
      vs.gatewaysDefaulted
        ? 'it has no spec.gateways, so it applies to the mesh sidecars only, not to the ingress gateway'
        : `spec.gateways ${refs.join(', ')}${missing ? `: ${missing.resolved} does not exist` : ''}; the gateway serving this request is ${gwList}`,
      { m: vs.m, path: gi >= 0 ? ['spec', 'gateways', gi] : vs.gatewaysDefaulted ? ['spec', 'hosts'] : ['spec', 'gateways'] },
    );
    return fail(t, {
      status: 404,
      flag: 'NR',
      reason: `404 NR: VirtualService ${vs.namespace}/${vs.name} for ${host} is not bound to ${gwList}`,
      code: missing ? 'MESH001' : undefined,
      fix: `set spec.gateways of ${vs.name} to ${[...keys][0]}`,
    });
  }
  t.add(
    'virtual-service',
    `no VirtualService for ${host}`,
    `no VirtualService bound to ${gwList} has host ${host}; the ${rt} route table has no virtual host for it`,
    { m: servers[0].gw.m, path: ['spec', 'servers', servers[0].server.index, 'hosts'] },
  );
  return fail(t, {
    status: 404,
    flag: 'NR',
    reason: `404 NR: no VirtualService on ${gwList} serves ${host}`,
    fix: `check the host in the URL, or add ${host} to a VirtualService bound to ${[...keys][0]}`,
  });
}

function traceHttp(c: Ctx, w: Workload, servers: ServerRef[], vhost: VHost | undefined, ref: ServerRef, scheme: string): Step {
  const { ix, t, url } = c;
  if (!vhost || !vhost.bindings.length) return diagnoseNoVhost(c, servers, w.namespace);
  const merged = mergedRoutes(ix, vhost, w);
  const b = vhost.bindings[0];
  const others = vhost.bindings.slice(1).map((x) => `${x.vs.namespace}/${x.vs.name}`);
  const hi = b.vs.hosts.indexOf(b.vsHost);
  t.add(
    'virtual-service',
    `VirtualService ${b.vs.namespace}/${b.vs.name}`,
    `virtual host ${vhost.domain} (VirtualService host ${b.vsHost} ∩ server host ${b.serverHost.raw}) on ${b.server.gw.key}${others.length ? `; merged with ${others.join(', ')} in Istio's order` : ''}${merged.notes.length ? `; note: ${merged.notes.join('; ')}` : ''}`,
    { m: b.vs.m, path: ['spec', 'hosts', Math.max(0, hi)], code: others.length ? 'MESH011' : undefined },
  );
  const req: MatchRequest = {
    method: c.method,
    scheme,
    authority: c.hostHeader,
    path: url.path,
    headers: c.headers,
    query: parseQuery(url.path),
  };
  const route = selectRoute(merged, req, w);
  if (!route) {
    t.add(
      'route',
      `no route matches ${c.method} ${url.path}`,
      merged.entries.length
        ? `${merged.entries.length} route(s) tried in order: ${merged.entries
            .slice(0, 6)
            .map((e) => `${e.vs.name} http[${e.rule.index}] (${describeMatch(e.match)})`)
            .join('; ')}${merged.entries.length > 6 ? '; …' : ''}`
        : 'the virtual host has no routes',
      { m: b.vs.m, path: ['spec', 'http'] },
    );
    return fail(t, {
      status: 404,
      flag: 'NR',
      reason: `404 NR: no route of ${vhost.domain} matches ${c.method} ${url.path}`,
      fix: `add a route matching ${url.path} (or a catch-all prefix / as the last rule) to VirtualService ${b.vs.name}`,
    });
  }
  const r = route.rule;
  const rpath = route.matchIndex >= 0 ? [...r.path, 'match', route.matchIndex] : [...r.path];
  t.add(
    'route',
    `${route.vs.name} http[${r.index}]${r.name ? ` ${r.name}` : ''}`,
    `${describeMatch(route.match)}${route.root ? ` (delegated from ${route.root.vs.namespace}/${route.root.vs.name} http[${route.root.rule.index}])` : ''}; first match wins`,
    { m: route.vs.m, path: rpath },
  );
  if (r.fault?.abort && r.fault.abort.httpStatus !== undefined) {
    const pct = r.fault.abort.percentage ?? 100;
    t.add(
      'fault',
      `fault abort ${r.fault.abort.httpStatus} for ${pct}% of requests`,
      pct >= 100 ? 'every request is answered by the gateway with the abort status' : 'the other requests continue',
      { m: route.vs.m, path: [...r.path, 'fault', 'abort'], ok: pct < 100 },
    );
    if (pct >= 100)
      return fail(t, {
        status: r.fault.abort.httpStatus,
        flag: 'FI',
        reason: `${r.fault.abort.httpStatus} from the configuration: VirtualService ${route.vs.namespace}/${route.vs.name} http[${r.index}] answers every matching request with a fault abort (often on purpose, e.g. to keep /metrics in-cluster)`,
        fix: `if this path should be served, remove spec.http[${r.index}].fault from ${route.vs.name} or narrow its match`,
      });
  } else if (r.fault?.delay) {
    t.add('fault', 'fault delay', 'requests are delayed by fault injection', { m: route.vs.m, path: [...r.path, 'fault', 'delay'] });
  }
  if (r.redirect) {
    const rd = r.redirect as Record<string, any>;
    const scheme2 = rd.scheme ?? url.scheme;
    const host2 = rd.authority ?? hostOnly(c.hostHeader);
    const port2 = rd.port !== undefined ? `:${rd.port}` : '';
    const path2 = rd.uri ?? url.path;
    const code = Number(rd.redirectCode ?? 301);
    const target = `${scheme2}://${host2}${port2}${path2}`;
    t.add('redirect', `${code} to ${target}`, `redirect of ${route.vs.name} http[${r.index}]`, {
      m: route.vs.m,
      path: [...r.path, 'redirect'],
    });
    return { redirect: target, code, hop: t.hops.length - 1 };
  }
  if (r.directResponse) {
    const st = r.directResponse.status;
    if (st >= 400)
      return fail(t, {
        status: st,
        reason: `${st} direct response from VirtualService ${route.vs.name} http[${r.index}]`,
        fix: `route http[${r.index}] to a destination instead of a directResponse`,
      });
    return {
      done: {
        ok: true,
        status: st,
        reason: `${st} direct response from VirtualService ${route.vs.name} http[${r.index}]`,
        hop: t.hops.length - 1,
      },
    };
  }
  return traceWeighted(c, w, route.vs, r.route, ref, [...r.path, 'route']);
}

function traceWeighted(
  c: Ctx,
  w: Workload,
  vs: VirtualServiceInfo,
  dests: RouteDestination[],
  ref: ServerRef,
  path: (string | number)[],
): Step {
  const { ix, t } = c;
  if (!dests.length) {
    t.add('destination', 'no destination', 'the rule has no route, redirect, directResponse or delegate', { m: vs.m, path });
    return fail(t, {
      status: 404,
      flag: 'NR',
      reason: `404 NR: the matched rule of ${vs.name} has no destination`,
      fix: 'add a route destination',
    });
  }
  const weights = dests.length === 1 ? [100] : dests.map((d) => d.weight ?? 0);
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  const label = (d: RouteDestination, i: number) =>
    `${d.host}${d.port !== undefined ? `:${d.port}` : ''}${d.subset ? ` subset ${d.subset}` : ''}${dests.length > 1 ? ` (${Math.round((weights[i] * 100) / total)}%)` : ''}`;
  const q = c.url.path.indexOf('?');
  const request = { host: hostOnly(c.hostHeader), method: c.method, path: q < 0 ? c.url.path : c.url.path.slice(0, q), headers: c.headers };
  const ctx = { gw: w, listenerPort: ref.server.port.number, vs, request };
  if (dests.length === 1) {
    // Fast path: one destination takes all traffic.
    t.add('destination', label(dests[0], 0), `outbound|${dests[0].port ?? ''}||${dests[0].fqdn}`, {
      m: vs.m,
      path: dests[0].path,
      ports: dests[0].port !== undefined ? String(dests[0].port) : undefined,
    });
    const f = traceDestination(ix, t, dests[0], ctx);
    if (f) return { fail: f as Failure & { hop: number } };
    return success(t);
  }
  const results: Array<{ i: number; d: RouteDestination; sub: HopList; f?: Failure }> = [];
  dests.forEach((d, i) => {
    if (weights[i] <= 0) return;
    const sub = new HopList();
    results.push({ i, d, sub, f: traceDestination(ix, sub, d, ctx) });
  });
  const failing = results.find((x) => x.f);
  const chosen = failing ?? results.reduce((a, b) => (weights[b.i] > weights[a.i] ? b : a));
  t.add(
    'destination',
    label(chosen.d, chosen.i),
    dests.length > 1
      ? `weighted: ${dests.map(label).join(', ')}; followed: ${chosen.d.host}`
      : `outbound|${chosen.d.port ?? ''}||${chosen.d.fqdn}`,
    { m: vs.m, path: chosen.d.path, ports: chosen.d.port !== undefined ? String(chosen.d.port) : undefined },
  );
  const base = t.append(chosen.sub);
  if (chosen.f) {
    const share = Math.round((weights[chosen.i] * 100) / total);
    const f = chosen.f as Failure & { hop: number };
    return {
      fail: {
        ...f,
        hop: base + f.hop,
        reason: share < 100 ? `${f.reason} (for ${share}% of requests, weight of ${chosen.d.host})` : f.reason,
      },
    };
  }
  return success(t);
}

function success(t: HopList): Step {
  const last = t.hops[t.hops.length - 1];
  return SUCCESS(
    t,
    `OK as far as the configuration goes: ${last.kind === 'container' ? `${last.title} of ${last.object ? objName(last.object) : 'the pod'}` : last.title} serves it`,
  );
}

/** TLS passthrough (tls routes on SNI) and TCP servers (tcp routes). */
function traceL4(c: Ctx, w: Workload, ref: ServerRef, kind: 'tls' | 'tcp'): Step {
  const { ix, t, url } = c;
  const cands =
    kind === 'tls'
      ? passthroughServices(ix, w.namespace, ref)
      : (ix.model.virtualServicesByGateway.get(ref.gw.key) ?? [])
          .map((vs) => ({ vs, group: visibility(vs.exportTo, vs.namespace, w.namespace) }))
          .filter((x) => x.group >= 0);
  const okMatch = (vs: VirtualServiceInfo, r: L4Route) =>
    !r.match?.length ||
    r.match.some(
      (m) =>
        (m.port === undefined || m.port === ref.server.port.number) &&
        (!m.gateways?.length || m.gateways.includes(ref.gw.key)) &&
        (kind === 'tcp' || (m.sniHosts ?? vs.hosts).some((h) => hostCovers(h, url.host) || h.toLowerCase() === url.host)),
    );
  for (const { vs } of cands) {
    for (const r of kind === 'tls' ? vs.tls : vs.tcp) {
      if (!okMatch(vs, r)) continue;
      t.add(
        'virtual-service',
        `VirtualService ${vs.namespace}/${vs.name}`,
        `${kind} routes on ${ref.gw.key}${kind === 'tls' ? ` (SNI ${url.host})` : ''}`,
        { m: vs.m, path: ['spec', 'hosts'] },
      );
      t.add('route', `${vs.name} ${kind}[${r.index}]`, kind === 'tls' ? 'sniHosts match; the backend terminates TLS' : 'TCP proxy', {
        m: vs.m,
        path: r.path,
      });
      return traceWeighted(c, w, vs, r.route, ref, [...r.path, 'route']);
    }
  }
  t.add(
    'virtual-service',
    `no ${kind} route for ${url.host}`,
    `no VirtualService bound to ${ref.gw.key} has a ${kind} route matching ${kind === 'tls' ? `SNI ${url.host}` : `port ${ref.server.port.number}`}`,
    { m: ref.gw.m, path: ['spec', 'servers', ref.server.index] },
  );
  return fail(t, {
    status: kind === 'tls' ? 'tls-handshake-failure' : 'connection-reset',
    reason: `${kind === 'tls' ? 'TLS handshake failure' : 'connection reset'}: no ${kind} route on ${serverTitle(ref)} for ${url.host}`,
    fix: `add a ${kind} route for ${url.host} to a VirtualService bound to ${ref.gw.key}`,
  });
}

// Library entry points: the same as the CLI.
export interface TraceInputOptions {
  method?: string;
  headers?: Record<string, string>;
  layout?: 'bb2' | 'bb3';
  platform?: boolean;
  render?: import('../../sources/render/index.js').RenderOptions;
  maxRedirects?: number;
}

export async function tracePackage(url: string, dir: string, opts: TraceInputOptions = {}): Promise<TraceResult> {
  parseTraceUrl(url);
  const { loadInput } = await import('../../sources/index.js');
  const input = await loadInput({ dir }, { layout: opts.layout, platform: opts.platform, render: opts.render });
  return traceRequest(input.model, { url, method: opts.method, headers: opts.headers }, { maxRedirects: opts.maxRedirects });
}

export async function traceManifests(url: string, files: string[], opts: TraceInputOptions = {}): Promise<TraceResult> {
  parseTraceUrl(url);
  const { loadInput } = await import('../../sources/index.js');
  const input = await loadInput({ files }, { layout: opts.layout, platform: opts.platform });
  return traceRequest(input.model, { url, method: opts.method, headers: opts.headers }, { maxRedirects: opts.maxRedirects });
}
