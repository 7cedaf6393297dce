// The way in: the LoadBalancer/NodePort Service a client reaches on the URL's port (one per Big Bang
// gateway; DNS for a host points at the one whose Gateway serves it), the gateway workload behind it,
// and the Envoy listener the Gateway servers open there.
import { containerPortByName, listenersOf, serversBinding } from '../../model/gateway.js';
import { requestHostMatches } from '../../model/hosts.js';
import { memo } from '../../model/memo.js';
import { gatewaysForWorkload, gatewayWorkloads, selectorText, servicesSelecting, workloadsOfService } from '../../model/selectors.js';
import type { GatewayInfo, MeshModel, ServiceInfo, ServicePort, Workload } from '../../model/types.js';
import { isAssumed } from '../../sources/platform.js';
import { fail, type Ctx, type Step } from './context.js';
import { virtualServicesForHost } from './http.js';
import { tracePlain, traceTls } from './server.js';

interface IngressEntry {
  svc: ServiceInfo;
  port: ServicePort;
}

/** LoadBalancer and NodePort Services by Service port, Istio's own ingress Services first. */
function ingressByPort(model: MeshModel): Map<number, IngressEntry[]> {
  return memo(model, 'ingressByPort', () => {
    const out = new Map<number, IngressEntry[]>();
    for (const svc of model.services.values()) {
      if (svc.type !== 'LoadBalancer' && svc.type !== 'NodePort') continue;
      for (const port of svc.ports) {
        const l = out.get(port.port);
        if (l) l.push({ svc, port });
        else out.set(port.port, [{ svc, port }]);
      }
    }
    const rank = (e: IngressEntry) =>
      e.svc.m.obj.metadata?.labels?.istio === 'ingressgateway' || /ingressgateway$/.test(e.svc.name) ? 0 : 1;
    for (const l of out.values()) l.sort((a, b) => rank(a) - rank(b));
    return out;
  });
}

/**
 * The ingress a host's DNS points at: the one whose Gateways bind a VirtualService for the host, then
 * one whose Gateways serve the host, then any with a Gateway at all; and why, when there was a choice.
 */
function chooseIngress(model: MeshModel, entries: IngressEntry[], host: string): { entry: IngressEntry; why?: string } {
  if (entries.length === 1) return { entry: entries[0] };
  const forHost = virtualServicesForHost(model, host);
  let best = entries[0];
  let bestScore = -1;
  let why: string | undefined;
  const serving: string[] = [];
  for (const e of entries) {
    let score = 0;
    let bound: string | undefined;
    for (const w of workloadsOfService(model, e.svc)) {
      for (const g of gatewaysForWorkload(model, w)) {
        score = Math.max(score, 1);
        if (!g.servers.some((s) => s.hosts.some((h) => requestHostMatches(h.includes('/') ? h.slice(h.indexOf('/') + 1) : h, host))))
          continue;
        score = Math.max(score, 2);
        if (!serving.includes(g.key)) serving.push(g.key);
        const vs = forHost.find(
          (v) => v.gateways.some((r) => r.resolved === g.key) && v.hosts.some((_, i) => serversBinding(g, v, i).length),
        );
        if (vs) {
          score = 3;
          bound ??= `VirtualService ${vs.namespace}/${vs.name} binds ${g.key}`;
        }
      }
    }
    if (score > bestScore) {
      best = e;
      bestScore = score;
      why = bound;
    }
  }
  if (!why || serving.length < 2) return { entry: best, why };
  return { entry: best, why: `${why}; DNS for ${host} points at its load balancer (${serving.join(' and ')} all serve the host)` };
}

/** A Gateway the host's VirtualService binds that configures no gateway workload (MESH007's object). */
function idleGatewayFor(model: MeshModel, host: string): GatewayInfo | undefined {
  for (const vs of virtualServicesForHost(model, host)) {
    for (const g of vs.gateways) {
      const gw = model.gateways.get(g.resolved);
      if (gw && !gatewayWorkloads(model, gw).length) return gw;
    }
  }
  return undefined;
}

/** A server port of these Gateways that no Service of the workload exposes (MESH008's object). */
function unexposedServer(model: MeshModel, w: Workload, gws: GatewayInfo[]): { gw: GatewayInfo; index: number } | undefined {
  const accepted = new Set<number>();
  for (const s of servicesSelecting(model, w)) {
    for (const p of s.ports) {
      accepted.add(p.port);
      const n = typeof p.targetPort === 'number' ? p.targetPort : containerPortByName(w, p.targetPort);
      if (n !== undefined) accepted.add(n);
    }
  }
  for (const gw of gws) for (const s of gw.servers) if (s.port.number >= 0 && !accepted.has(s.port.number)) return { gw, index: s.index };
  return undefined;
}

export function traceIngress(c: Ctx): Step {
  const { model, t, url } = c;
  t.add(
    'client',
    `${c.method} ${url.href}`,
    url.scheme === 'https' ? `TLS with SNI ${url.host}, Host ${c.hostHeader}` : `plain HTTP, Host ${c.hostHeader}`,
    { ports: String(url.port) },
  );
  const entries = ingressByPort(model).get(url.port) ?? [];
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
  const chosen = chooseIngress(model, entries, url.host);
  const { svc, port: sp } = chosen.entry;
  const pods = workloadsOfService(model, svc);
  t.add(
    'ingress-service',
    `Service ${svc.namespace}/${svc.name}`,
    `${svc.type} port ${sp.port}${sp.name ? ` (${sp.name})` : ''} forwards to targetPort ${sp.targetPort} of the gateway pods${chosen.why ? `; ${chosen.why}` : ''}`,
    {
      m: svc.m,
      path: ['spec', 'ports', sp.index],
      ports: `${sp.port} -> ${sp.targetPort}`,
    },
  );
  if (!pods.length) {
    return fail(t, {
      status: 'connection-refused',
      reason: `connection refused: Service ${svc.namespace}/${svc.name} selects no gateway pod`,
      ...(isAssumed(svc.m) ? {} : { code: 'MESH005' as const, object: svc.m }),
      fix: `make the selector of ${svc.name} match the ingress gateway Deployment`,
    });
  }
  let w: Workload | undefined;
  let listenPort = -1;
  for (const cand of pods) {
    const n = typeof sp.targetPort === 'number' ? sp.targetPort : containerPortByName(cand, sp.targetPort);
    if (n === undefined) continue;
    if (!w || (listenersOf(model, cand).has(n) && !listenersOf(model, w).has(listenPort))) {
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
      ...(isAssumed(svc.m) ? {} : { code: 'MESH006' as const, object: svc.m }),
      fix: `set targetPort of ${svc.name} port ${sp.port} to a gateway container port`,
    });
  }
  const gws = gatewaysForWorkload(model, w);
  t.add(
    'gateway-workload',
    `${w.kind} ${w.namespace}/${w.name}`,
    `Envoy listener 0.0.0.0_${listenPort}; Gateways selecting it: ${gws.map((g) => g.key).join(', ') || 'none'}`,
    {
      m: w.m,
      path: [...w.podSpecPath.slice(0, -1), 'metadata', 'labels'],
      ports: String(listenPort),
    },
  );
  const servers = listenersOf(model, w).get(listenPort) ?? [];
  if (servers.length) return url.scheme === 'https' ? traceTls(c, w, servers) : tracePlain(c, w, servers);
  if (!gws.length) {
    const idle = idleGatewayFor(model, url.host);
    t.add('gateway-server', 'no Gateway selects the gateway pods', `labels ${selectorText(w.labels)}`, { ports: String(listenPort) });
    return fail(t, {
      status: 'connection-refused',
      reason: `connection refused: no Gateway selects ${w.namespace}/${w.name}, so Envoy opens no listener on ${listenPort}`,
      ...(idle ? { code: 'MESH007' as const, object: idle.m } : {}),
      fix: `set spec.selector of the Gateway to labels of the ingress gateway pods (e.g. app: ${w.labels.app ?? w.name})`,
    });
  }
  const bad = unexposedServer(model, w, gws);
  const shown = bad ? { m: bad.gw.m, path: ['spec', 'servers', bad.index, 'port', 'number'] } : { m: gws[0].m, path: ['spec', 'servers'] };
  t.add(
    'gateway-server',
    `no Gateway server on port ${listenPort}`,
    `servers of ${gws.map((g) => g.key).join(', ')} listen on ${[...listenersOf(model, w).keys()].join(', ') || 'nothing'}`,
    {
      ...shown,
      ports: String(listenPort),
    },
  );
  return fail(t, {
    status: 'connection-refused',
    reason: `connection refused: no Gateway server listens on ${listenPort} (Service port ${sp.port})`,
    ...(bad ? { code: 'MESH008' as const, object: bad.gw.m } : {}),
    fix: `give the Gateway a server on port ${listenPort} (or ${sp.port}), the targetPort of ${svc.name} port ${sp.port}`,
  });
}
