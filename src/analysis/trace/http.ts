// HTTP at the gateway: the virtual host for the Host header, the merged routes of the VirtualServices
// bound to it (first match wins), faults, redirects, direct responses, and the weighted destinations.
// When no virtual host serves the Host, say why (404 NR) and which rule catches it.
import type { ServerRef, VHost } from '../../model/gateway.js';
import { visibleTo } from '../../model/export.js';
import { requestHostMatches } from '../../model/hosts.js';
import { describeMatch, parseQuery, type MatchRequest } from '../../model/match.js';
import { memo } from '../../model/memo.js';
import { mergedRoutes, selectRoute } from '../../model/routes.js';
import type { MeshModel, RouteDestination, VirtualServiceInfo, Workload } from '../../model/types.js';
import { gatewayExists, unservedHostCode } from '../explain.js';
import { fail, hostOnly, pathOnly, succeed, type Ctx, type Step } from './context.js';
import { traceDestination } from './destination.js';
import { objName, type Failure } from './hops.js';

/** VirtualServices listing a host (as a request sees it: case-insensitive, wildcards), for diagnosis. */
export function virtualServicesForHost(model: MeshModel, host: string): VirtualServiceInfo[] {
  const t = memo(model, 'vsByHost', () => {
    const exact = new Map<string, VirtualServiceInfo[]>();
    const wild: VirtualServiceInfo[] = [];
    for (const vs of model.virtualServices) {
      for (const h of vs.fqdnHosts) {
        const k = h.toLowerCase();
        if (k.startsWith('*')) {
          if (!wild.includes(vs)) wild.push(vs);
          continue;
        }
        const l = exact.get(k);
        if (!l) exact.set(k, [vs]);
        else if (!l.includes(vs)) l.push(vs);
      }
    }
    return { exact, wild };
  });
  const h = host.toLowerCase();
  const out = [...(t.exact.get(h) ?? [])];
  for (const vs of t.wild) if (!out.includes(vs) && vs.fqdnHosts.some((p) => requestHostMatches(p, h))) out.push(vs);
  return out;
}

function unservedCode(model: MeshModel, vs: VirtualServiceInfo, host: string) {
  let i = vs.fqdnHosts.findIndex((h) => requestHostMatches(h, host));
  if (i < 0) i = vs.hosts.indexOf(host.split('.')[0]);
  return unservedHostCode(model, vs, i);
}

/** Why no VirtualService serves the Host on these servers: 404 NR, with the likely culprit. */
function diagnoseNoVhost(c: Ctx, servers: ServerRef[], proxyNs: string): Step {
  const { model, t } = c;
  const host = hostOnly(c.hostHeader);
  const keys = new Set(servers.map((s) => s.gw.key));
  const gwList = [...keys].join(', ');
  let cands = virtualServicesForHost(model, host).filter((v) => !v.isDelegate);
  // A dot-less VirtualService host means <host>.<namespace>.svc.cluster.local: the likely culprit for <host>.<domain>.
  if (!cands.length) cands = model.virtualServices.filter((v) => !v.isDelegate && v.hosts.includes(host.split('.')[0]));
  const bound = cands.filter((v) => v.gateways.some((g) => keys.has(g.resolved)));
  const rt = servers[0].kind === 'http' ? `http.${servers[0].listenPort}` : `https.${servers[0].server.port.number}`;
  for (const vs of bound) {
    if (!visibleTo(vs.exportTo, vs.namespace, proxyNs)) {
      t.add(
        'virtual-service',
        `VirtualService ${vs.namespace}/${vs.name} is hidden by exportTo`,
        `exportTo [${vs.exportTo.join(', ')}] does not include ${proxyNs}, the namespace of the gateway proxy, so the gateway never sees it`,
        {
          m: vs.m,
          path: ['spec', 'exportTo'],
        },
      );
      return fail(t, {
        status: 404,
        flag: 'NR',
        reason: `404 NR: VirtualService ${vs.namespace}/${vs.name} is not exported to ${proxyNs}`,
        code: 'MESH010',
        object: vs.m,
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
    let hi = vs.fqdnHosts.findIndex((h) => requestHostMatches(h, host));
    if (hi < 0) hi = vs.hosts.indexOf(host.split('.')[0]);
    const serverHosts = servers.filter((s) => vs.gateways.some((g) => g.resolved === s.gw.key)).flatMap((s) => s.server.hosts);
    t.add(
      'virtual-service',
      `VirtualService ${vs.namespace}/${vs.name} host ${vs.hosts[hi] ?? host} is not on the server`,
      `server hosts ${serverHosts.join(', ')} admit no VirtualService host ${vs.hosts[hi] ?? host} from namespace ${vs.namespace} (a \`ns/\` prefix restricts namespaces; *.a.com does not match a.com; hosts bind case-sensitively)`,
      { m: vs.m, path: ['spec', 'hosts', Math.max(0, hi)] },
    );
    return fail(t, {
      status: 404,
      flag: 'NR',
      reason: `404 NR: ${host} of VirtualService ${vs.namespace}/${vs.name} is not a host of the Gateway server`,
      code: 'MESH002',
      object: vs.m,
      fix: `add ${host} (or a wildcard covering it, without a namespace prefix excluding ${vs.namespace}) to the server hosts, or fix the VirtualService host`,
    });
  }
  if (cands.length) {
    const vs = cands[0];
    const missing = vs.gateways.find((g) => g.index >= 0 && !gatewayExists(model, g.resolved));
    const gi = missing ? vs.gateways.indexOf(missing) : -1;
    t.add(
      'virtual-service',
      `VirtualService ${vs.namespace}/${vs.name} is not bound to ${gwList}`,
      vs.gatewaysDefaulted
        ? 'it has no spec.gateways, so it applies to the mesh sidecars only, not to the ingress gateway'
        : `spec.gateways ${vs.gateways.map((g) => g.resolved).join(', ')}${missing ? `: ${missing.resolved} does not exist` : ''}; the gateway serving this request is ${gwList}`,
      { m: vs.m, path: gi >= 0 ? ['spec', 'gateways', gi] : vs.gatewaysDefaulted ? ['spec', 'hosts'] : ['spec', 'gateways'] },
    );
    return fail(t, {
      status: 404,
      flag: 'NR',
      reason: `404 NR: VirtualService ${vs.namespace}/${vs.name} for ${host} is not bound to ${gwList}`,
      ...(unservedCode(model, vs, host) ? { code: unservedCode(model, vs, host), object: vs.m } : {}),
      fix: `set spec.gateways of ${vs.name} to ${[...keys][0]}`,
    });
  }
  t.add(
    'virtual-service',
    `no VirtualService for ${host}`,
    `no VirtualService bound to ${gwList} has host ${host}; the ${rt} route table has no virtual host for it`,
    {
      m: servers[0].gw.m,
      path: ['spec', 'servers', servers[0].server.index, 'hosts'],
    },
  );
  return fail(t, {
    status: 404,
    flag: 'NR',
    reason: `404 NR: no VirtualService on ${gwList} serves ${host}`,
    fix: `check the host in the URL, or add ${host} to a VirtualService bound to ${[...keys][0]}`,
  });
}

export function traceHttp(c: Ctx, w: Workload, servers: ServerRef[], vhost: VHost | undefined, ref: ServerRef, scheme: string): Step {
  const { model, t, url } = c;
  if (!vhost || !vhost.bindings.length) return diagnoseNoVhost(c, servers, w.namespace);
  const merged = mergedRoutes(model, vhost, w);
  const b = vhost.bindings[0];
  const others = vhost.bindings.slice(1).map((x) => `${x.vs.namespace}/${x.vs.name}`);
  const hi = b.vs.hosts.indexOf(b.vsHost);
  t.add(
    'virtual-service',
    `VirtualService ${b.vs.namespace}/${b.vs.name}`,
    `virtual host ${vhost.domain} (VirtualService host ${b.vsHost} ∩ server host ${b.serverHost.raw}) on ${b.server.gw.key}` +
      (others.length ? `; merged with ${others.join(', ')} in Istio's order` : '') +
      (merged.notes.length ? `; note: ${merged.notes.join('; ')}` : ''),
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
    const tried = merged.entries
      .slice(0, 6)
      .map((e) => `${e.vs.name} http[${e.rule.index}] (${describeMatch(e.match)})`)
      .join('; ');
    t.add(
      'route',
      `no route matches ${c.method} ${url.path}`,
      merged.entries.length
        ? `${merged.entries.length} route(s) tried in order: ${tried}${merged.entries.length > 6 ? '; …' : ''}`
        : 'the virtual host has no routes',
      {
        m: b.vs.m,
        path: ['spec', 'http'],
      },
    );
    return fail(t, {
      status: 404,
      flag: 'NR',
      reason: `404 NR: no route of ${vhost.domain} matches ${c.method} ${url.path}`,
      fix: `add a route matching ${url.path} (or a catch-all prefix / as the last rule) to VirtualService ${b.vs.name}`,
    });
  }
  const r = route.rule;
  const via = route.root ? ` (delegated from ${route.root.vs.namespace}/${route.root.vs.name} http[${route.root.rule.index}])` : '';
  t.add(
    'route',
    `${route.vs.name} http[${r.index}]${r.name ? ` ${r.name}` : ''}`,
    `${describeMatch(route.match)}${via}; first match wins`,
    {
      m: route.vs.m,
      path: route.matchIndex >= 0 ? [...r.path, 'match', route.matchIndex] : [...r.path],
    },
  );
  const abort = r.fault?.abort;
  if (abort && abort.httpStatus !== undefined) {
    const pct = abort.percentage ?? 100;
    t.add(
      'fault',
      `fault abort ${abort.httpStatus} for ${pct}% of requests`,
      pct >= 100 ? 'every request is answered by the gateway with the abort status' : 'the other requests continue',
      {
        m: route.vs.m,
        path: [...r.path, 'fault', 'abort'],
        ok: pct < 100,
      },
    );
    if (pct >= 100) {
      return fail(t, {
        status: abort.httpStatus,
        flag: 'FI',
        reason: `${abort.httpStatus} from the configuration: VirtualService ${route.vs.namespace}/${route.vs.name} http[${r.index}] answers every matching request with a fault abort (often on purpose, e.g. to keep /metrics in-cluster)`,
        fix: `if this path should be served, remove spec.http[${r.index}].fault from ${route.vs.name} or narrow its match`,
      });
    }
  } else if (r.fault?.delay) {
    t.add('fault', 'fault delay', 'requests are delayed by fault injection', { m: route.vs.m, path: [...r.path, 'fault', 'delay'] });
  }
  if (r.redirect) {
    const rd = r.redirect;
    const str = (v: unknown, d: string) => (typeof v === 'string' && v ? v : d);
    const port = typeof rd.port === 'number' ? `:${rd.port}` : '';
    const target = `${str(rd.scheme, url.scheme)}://${str(rd.authority, hostOnly(c.hostHeader))}${port}${str(rd.uri, url.path)}`;
    const code = typeof rd.redirectCode === 'number' ? rd.redirectCode : 301;
    t.add('redirect', `${code} to ${target}`, `redirect of ${route.vs.name} http[${r.index}]`, {
      m: route.vs.m,
      path: [...r.path, 'redirect'],
    });
    return { redirect: target, code, hop: t.hops.length - 1 };
  }
  if (r.directResponse) {
    const st = r.directResponse.status;
    const reason = `${st} direct response from VirtualService ${route.vs.name} http[${r.index}]`;
    if (st >= 400) return fail(t, { status: st, reason, fix: `route http[${r.index}] to a destination instead of a directResponse` });
    return { done: { ok: true, status: st, reason, hop: t.hops.length - 1 } };
  }
  return traceWeighted(c, w, route.vs, r.route, ref, [...r.path, 'route']);
}

/** The weighted destinations of a rule: a failing one with weight is followed, else the heaviest. */
export function traceWeighted(
  c: Ctx,
  w: Workload,
  vs: VirtualServiceInfo,
  dests: RouteDestination[],
  ref: ServerRef,
  path: (string | number)[],
): Step {
  const { model, t } = c;
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
  const share = (i: number) => Math.round((weights[i] * 100) / total);
  const label = (d: RouteDestination, i: number) =>
    `${d.host}${d.port !== undefined ? `:${d.port}` : ''}${d.subset ? ` subset ${d.subset}` : ''}${dests.length > 1 ? ` (${share(i)}%)` : ''}`;
  const request = { host: hostOnly(c.hostHeader), method: c.method, path: pathOnly(c.url.path), headers: c.headers };
  const ctx = { model, gw: w, listenerPort: ref.server.port.number, vs, request };
  const results: Array<{ i: number; d: RouteDestination; sub: typeof t; f?: Failure }> = [];
  dests.forEach((d, i) => {
    if (weights[i] <= 0) return;
    const sub = t.fork();
    results.push({ i, d, sub, f: traceDestination(sub, d, ctx) });
  });
  const failing = results.find((x) => x.f);
  const chosen = failing ?? results.reduce((a, b) => (weights[b.i] > weights[a.i] ? b : a));
  const detail =
    dests.length > 1
      ? `weighted: ${dests.map(label).join(', ')}; followed: ${chosen.d.host}`
      : `outbound|${chosen.d.port ?? ''}||${chosen.d.fqdn}`;
  t.add('destination', label(chosen.d, chosen.i), detail, {
    m: vs.m,
    path: chosen.d.path,
    ports: chosen.d.port !== undefined ? String(chosen.d.port) : undefined,
  });
  const base = t.append(chosen.sub);
  if (chosen.f) {
    const f = chosen.f as Failure & { hop: number };
    const pct = share(chosen.i);
    return {
      fail: { ...f, hop: base + f.hop, reason: pct < 100 ? `${f.reason} (for ${pct}% of requests, weight of ${chosen.d.host})` : f.reason },
    };
  }
  const last = t.hops[t.hops.length - 1];
  const what = last.kind === 'container' ? `${last.title} of ${last.object ? objName(last.object) : 'the pod'}` : last.title;
  return succeed(t, `OK as far as the configuration goes: ${what} serves it`);
}
