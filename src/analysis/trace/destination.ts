// From a route destination to the serving container: the cluster `outbound|port|subset|host`
// (explicit port; else the single Service port; else the listener port, which 503 NCs when the
// Service lacks it), the endpoints (selected pods, named targetPort resolved on containers), the
// sidecar (iptables to 15006, mTLS from PeerAuthentication vs. what the gateway sends), the
// AuthorizationPolicies the sidecar enforces, and the container port.
import { looksLikeServiceDotNamespace, selectorMatches } from '../../model/hosts.js';
import type {
  DestinationRuleInfo,
  PeerAuthenticationInfo,
  RouteDestination,
  ServiceInfo,
  ServicePort,
  VirtualServiceInfo,
  Workload,
} from '../../model/types.js';
import { authorize, type AuthzRequest } from './authz.js';
import { containerPortByName } from './gateway.js';
import { HopList, objName, type Failure } from './hops.js';
import { byAge, memoOn, peerAuthenticationsIn, visibility, workloadsOf, type TraceIndex } from './index-cache.js';

export interface DestContext {
  /** The gateway workload: the client of this hop. */
  gw: Workload;
  /** The Gateway server port: the port Istio uses when the destination has none and the Service several. */
  listenerPort: number;
  vs: VirtualServiceInfo;
  request: Omit<AuthzRequest, 'port' | 'source'>;
}

function portLabel(p: ServicePort): string {
  return `${p.port}${p.name ? ` (${p.name})` : ''}`;
}

/** The Service port Istio routes to (route.go GetDestinationCluster). */
export function selectServicePort(
  svc: ServiceInfo,
  d: RouteDestination,
  listenerPort: number,
): { port?: ServicePort; why: string; wanted: number } {
  if (d.port !== undefined) return { port: svc.ports.find((p) => p.port === d.port), why: 'destination.port', wanted: d.port };
  if (svc.ports.length === 1) return { port: svc.ports[0], why: 'the only port of the Service', wanted: svc.ports[0].port };
  return {
    port: svc.ports.find((p) => p.port === listenerPort),
    why: `no destination.port and ${svc.ports.length} Service ports: the gateway listener port`,
    wanted: listenerPort,
  };
}

/** Effective PeerAuthentication mode for a workload port: workload > namespace > mesh; UNSET inherits; default PERMISSIVE. */
export function peerAuthMode(ix: TraceIndex, w: Workload, port: number): { mode: string; policy?: PeerAuthenticationInfo } {
  return memoOn(ix, w, `pa:${port}`, () => computePeerAuthMode(ix, w, port));
}

function computePeerAuthMode(ix: TraceIndex, w: Workload, port: number): { mode: string; policy?: PeerAuthenticationInfo } {
  const root = ix.model.rootNamespace;
  const own = [...peerAuthenticationsIn(ix, w.namespace)].sort(byAge);
  const workloadPa = own.find((p) => p.selector && w.namespace !== root && selectorMatches(p.selector, w.labels));
  const nsPa = own.find((p) => !p.selector);
  const meshPa = [...peerAuthenticationsIn(ix, root)].sort(byAge).find((p) => !p.selector);
  const levels: Array<{ mode?: string; policy?: PeerAuthenticationInfo }> = [];
  if (workloadPa)
    levels.push({ mode: workloadPa.portLevel[String(port)], policy: workloadPa }, { mode: workloadPa.mode, policy: workloadPa });
  if (nsPa) levels.push({ mode: nsPa.mode, policy: nsPa });
  if (meshPa) levels.push({ mode: meshPa.mode, policy: meshPa });
  for (const l of levels) if (l.mode && l.mode.toUpperCase() !== 'UNSET') return { mode: l.mode.toUpperCase(), policy: l.policy };
  return { mode: 'PERMISSIVE' };
}

/** The DestinationRule the gateway uses for a host: its own namespace, then the Service's, then the root's. */
export function destinationRuleFor(ix: TraceIndex, fqdn: string, clientNs: string, svcNs: string): DestinationRuleInfo | undefined {
  const drs = ix.model.destinationRulesByHost.get(fqdn);
  if (!drs?.length) return undefined;
  for (const ns of [clientNs, svcNs, ix.model.rootNamespace]) {
    const d = drs.find((x) => x.namespace === ns && visibility(x.exportTo, x.namespace, clientNs) >= 0);
    if (d) return d;
  }
  return undefined;
}

function hasSidecar(w: Workload): boolean | undefined {
  if (w.hasProxy) return true;
  return w.injection.injected;
}

/** Traces one destination; pushes hops onto `t`; returns the failure, if any. */
export function traceDestination(ix: TraceIndex, t: HopList, d: RouteDestination, ctx: DestContext): Failure | undefined {
  const { vs, gw } = ctx;
  const svc = ix.model.services.get(d.fqdn);
  if (!svc) {
    const se = ix.model.serviceEntriesByHost.get(d.fqdn) ?? ix.model.serviceEntriesByHost.get(d.host.toLowerCase());
    if (se?.length) {
      const e = se[0];
      const port = d.port ?? (e.ports.length === 1 ? e.ports[0].number : ctx.listenerPort);
      const ok = e.ports.length === 0 || e.ports.some((p) => p.number === port);
      t.add(
        'service-port',
        `ServiceEntry ${e.namespace}/${e.name} port ${port}`,
        ok
          ? `${d.host} is a ServiceEntry host (${e.location ?? 'MESH_EXTERNAL'}); its endpoints are outside the model`
          : `ServiceEntry ports are ${e.ports.map((p) => p.number).join(', ')}: no cluster for port ${port}`,
        { m: e.m, path: ['spec', 'hosts'], ports: String(port), assumed: true },
      );
      if (!ok)
        return t.fail({
          status: 503,
          flag: 'NC',
          reason: `503 NC: ServiceEntry ${e.namespace}/${e.name} has no port ${port}`,
          code: 'MESH004',
          fix: `set destination.port to one of ${e.ports.map((p) => p.number).join(', ')}`,
        });
      return undefined;
    }
    const dotted = looksLikeServiceDotNamespace(d.host, ix.model.namespaces.keys());
    t.add(
      'service-port',
      `no Service ${d.host}`,
      dotted
        ? `Istio does not expand \`${d.host}\` (svc.ns form): it is taken literally and matches no Service, so the cluster does not exist`
        : `${d.fqdn} is neither a Service nor a ServiceEntry host in the input, so the cluster does not exist`,
      { m: vs.m, path: d.path },
    );
    const [name, ns] = d.host.split('.');
    return t.fail({
      status: 503,
      flag: 'NC',
      reason: `503 NC: destination host ${d.host} resolves to no Service`,
      code: dotted ? 'MESH016' : 'MESH003',
      fix: dotted
        ? `write the full name ${name}.${ns}.svc.cluster.local`
        : `set the destination host of ${objName(vs.m)} to an existing Service (name.namespace.svc.cluster.local)`,
    });
  }
  const exp = svc.m.obj.metadata?.annotations?.['networking.istio.io/exportTo'];
  if (
    exp !== undefined &&
    visibility(
      String(exp)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      svc.namespace,
      gw.namespace,
    ) < 0
  ) {
    t.add(
      'service-port',
      `Service ${svc.namespace}/${svc.name} is not exported to ${gw.namespace}`,
      `annotation networking.istio.io/exportTo: "${exp}" hides it from the gateway`,
      { m: svc.m, path: ['metadata', 'annotations'] },
    );
    return t.fail({
      status: 503,
      flag: 'NC',
      reason: `503 NC: Service ${svc.namespace}/${svc.name} is hidden from the gateway namespace ${gw.namespace}`,
      code: 'MESH003',
      fix: `add ${gw.namespace} (or *) to networking.istio.io/exportTo`,
    });
  }
  const sel = selectServicePort(svc, d, ctx.listenerPort);
  if (!sel.port) {
    const list = svc.ports.map((p) => p.port).join(', ');
    t.add(
      'service-port',
      `Service ${svc.namespace}/${svc.name} has no port ${sel.wanted}`,
      `port chosen by ${sel.why}; the Service ports are ${list}. Envoy has no cluster outbound|${sel.wanted}||${svc.fqdn}`,
      {
        m: d.port !== undefined ? vs.m : svc.m,
        path: d.port !== undefined ? [...d.path, 'port', 'number'] : ['spec', 'ports'],
        ports: String(sel.wanted),
      },
    );
    return t.fail({
      status: 503,
      flag: 'NC',
      reason: `503 NC: no cluster for ${svc.fqdn} port ${sel.wanted}`,
      code: 'MESH004',
      fix: `set destination.port.number in ${objName(vs.m)} to a port of Service ${svc.name} (${list})`,
    });
  }
  const sp = sel.port;
  t.add(
    'service-port',
    `Service ${svc.namespace}/${svc.name} port ${portLabel(sp)}`,
    `cluster outbound|${sp.port}|${d.subset ?? ''}|${svc.fqdn} (port from ${sel.why})`,
    { m: svc.m, path: ['spec', 'ports', sp.index], ports: `${sp.port} -> ${sp.targetPort}` },
  );

  if (!svc.selector) {
    t.add('workload', 'endpoints managed outside the model', `Service ${svc.name} has no selector: its Endpoints are not in the input`, {
      m: svc.m,
      path: ['spec'],
      assumed: true,
    });
    return undefined;
  }
  let pods = workloadsOf(ix, svc);
  let subsetNote = '';
  if (d.subset) {
    const dr = destinationRuleFor(ix, svc.fqdn, gw.namespace, svc.namespace);
    const subset = dr?.subsets.find((s) => s.name === d.subset);
    if (!dr || !subset) {
      t.add(
        'workload',
        `no subset ${d.subset} for ${svc.fqdn}`,
        dr
          ? `DestinationRule ${dr.namespace}/${dr.name} defines ${dr.subsets.map((s) => s.name).join(', ') || 'no subsets'}`
          : 'no DestinationRule for this host defines subsets',
        { m: dr?.m ?? vs.m, path: dr ? ['spec', 'subsets'] : d.path },
      );
      return t.fail({
        status: 503,
        flag: 'NC',
        reason: `503 NC: subset ${d.subset} of ${svc.fqdn} is not defined, so its cluster does not exist`,
        fix: `define subset ${d.subset} in a DestinationRule for ${svc.fqdn}, or remove it from the route`,
      });
    }
    pods = pods.filter((w) => selectorMatches(subset.labels, w.labels));
    subsetNote = ` and subset ${d.subset} (${Object.entries(subset.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',')})`;
  }
  if (!pods.length) {
    const selText = Object.entries(svc.selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    t.add(
      'workload',
      `no workload for Service ${svc.namespace}/${svc.name}`,
      `no pod template in ${svc.namespace} has the labels ${selText}${subsetNote}: the cluster has no endpoints`,
      { m: svc.m, path: ['spec', 'selector'] },
    );
    return t.fail({
      status: 503,
      flag: 'UH',
      reason: `503 UH: no healthy upstream, Service ${svc.name} selects no workload`,
      code: 'MESH005',
      fix: `make spec.selector of Service ${svc.name} match the pod labels of its Deployment`,
    });
  }
  // Resolve targetPort on the selected pods.
  let w = pods[0];
  let containerPort: number | undefined;
  let where: { c: number; p: number; name: string } | undefined;
  for (const cand of pods) {
    const num = typeof sp.targetPort === 'number' ? sp.targetPort : containerPortByName(cand, sp.targetPort);
    for (const c of cand.containers) {
      const pi = c.ports.findIndex((p) =>
        typeof sp.targetPort === 'number' ? p.containerPort === sp.targetPort : p.name === sp.targetPort,
      );
      if (pi >= 0) {
        w = cand;
        containerPort = num;
        where = { c: c.index, p: pi, name: c.name };
        break;
      }
    }
    if (where) break;
  }
  const podRef = `${w.kind} ${w.namespace}/${w.name}`;
  if (!where) {
    if (typeof sp.targetPort === 'string') {
      t.add(
        'target-port',
        `targetPort ${sp.targetPort} is not a container port name`,
        `no container of ${podRef} declares a port named ${sp.targetPort}: the pods are left out of the Endpoints`,
        { m: svc.m, path: ['spec', 'ports', sp.index, 'targetPort'] },
      );
      return t.fail({
        status: 503,
        flag: 'UH',
        reason: `503 UH: targetPort ${sp.targetPort} resolves on no pod, so the Service has no endpoints`,
        code: 'MESH006',
        fix: `name a containerPort ${sp.targetPort} in ${podRef}, or set targetPort to the port the app listens on`,
      });
    }
    // Kubernetes does not require declaring container ports: a numeric targetPort reaches whatever
    // listens there. Only when the pods declare ports, and not this one, is it a likely mistake
    // (the same judgement as check's MESH006).
    const declaresPorts = pods.some((p) => p.containers.some((x) => x.ports.length > 0));
    if (declaresPorts) {
      t.add(
        'target-port',
        `targetPort ${sp.targetPort} is declared by no container`,
        `no container of ${podRef} declares containerPort ${sp.targetPort}; if nothing listens there, Envoy cannot connect`,
        { m: svc.m, path: ['spec', 'ports', sp.index, 'targetPort'], ports: String(sp.targetPort) },
      );
      return t.fail({
        status: 503,
        flag: 'UF',
        reason: `503 UF: upstream connect failure, nothing declared on port ${sp.targetPort} of ${podRef}`,
        code: 'MESH006',
        fix: `set targetPort of Service ${svc.name} port ${sp.port} to a containerPort of ${podRef}`,
      });
    }
    w = pods[0];
    containerPort = sp.targetPort;
    const first = w.containers.find((x) => !x.init) ?? w.containers[0];
    where = { c: first?.index ?? 0, p: -1, name: first?.name ?? '' };
  }
  const c = w.containers.find((x) => x.name === where!.name && x.index === where!.c)!;
  const cpath =
    where.p >= 0
      ? [...w.podSpecPath, c.init ? 'initContainers' : 'containers', where.c, 'ports', where.p]
      : [...w.podSpecPath, 'containers', where.c];
  t.add(
    'target-port',
    `targetPort ${sp.targetPort}${typeof sp.targetPort === 'string' ? ` -> ${containerPort}` : ''}`,
    typeof sp.targetPort === 'string'
      ? `named port resolved on container ${c.name} of ${podRef}`
      : where.p >= 0
        ? `containerPort of container ${c.name}`
        : `the pods declare no container ports (not required by Kubernetes): assumed the app listens on ${containerPort}`,
    {
      m: svc.m,
      path: ['spec', 'ports', sp.index, 'targetPort'],
      ports: typeof sp.targetPort === 'string' ? `${sp.targetPort} -> ${containerPort}` : String(containerPort),
    },
  );
  t.add('workload', `${podRef}`, `${pods.length} workload(s) selected by Service ${svc.name}${subsetNote}; ${w.injection.reason}`, {
    m: w.m,
    path: [...w.podSpecPath.slice(0, -1), 'metadata', 'labels'],
  });

  // Sidecar and mTLS.
  const sidecar = hasSidecar(w);
  const pa = peerAuthMode(ix, w, containerPort!);
  const dr = destinationRuleFor(ix, svc.fqdn, gw.namespace, svc.namespace);
  const drMode = (dr?.portTls.find((p) => p.port === sp.port)?.mode ?? dr?.tlsMode)?.toUpperCase();
  const clientTls = drMode ?? (sidecar ? 'ISTIO_MUTUAL' : 'DISABLE');
  const clientWhy = drMode
    ? `DestinationRule ${dr!.namespace}/${dr!.name} tls.mode ${drMode}`
    : `auto mTLS (${sidecar ? 'the pod has a sidecar' : 'no sidecar'})`;
  const paWhy = pa.policy ? `PeerAuthentication ${pa.policy.namespace}/${pa.policy.name}` : 'no PeerAuthentication (default)';
  const paAssumed = pa.policy?.m.origin.stage === 'platform';
  let mtls = false;
  if (sidecar) {
    mtls = clientTls === 'ISTIO_MUTUAL';
    t.add(
      'sidecar',
      `istio-proxy inbound 15006, mTLS ${pa.mode}`,
      `iptables sends port ${containerPort} to the sidecar on 15006; peer mTLS ${pa.mode} (${paWhy}); the gateway sends ${clientTls === 'ISTIO_MUTUAL' ? 'mTLS' : clientTls === 'DISABLE' ? 'plain text' : `TLS ${clientTls}`} (${clientWhy})`,
      {
        m: pa.policy?.m ?? w.m,
        path: pa.policy ? ['spec', 'mtls'] : undefined,
        ports: `${containerPort} -> 15006`,
        assumed: sidecar === undefined || paAssumed || undefined,
      },
    );
    if (pa.mode === 'STRICT' && clientTls !== 'ISTIO_MUTUAL') {
      return t.fail({
        status: 503,
        flag: 'UC',
        reason: `503 UC: ${paWhy} requires mTLS but the gateway sends ${clientTls === 'DISABLE' ? 'plain text' : `TLS ${clientTls}`} (${clientWhy}); the sidecar resets the connection`,
        code: 'MESH015',
        fix: drMode
          ? `remove tls.mode ${drMode} from DestinationRule ${dr!.name} (or use ISTIO_MUTUAL)`
          : 'enable sidecar injection for the pod',
      });
    }
  } else {
    t.add(
      'sidecar',
      'no sidecar: plain HTTP to the pod',
      `${w.injection.reason}${w.injection.injected === undefined ? ' (assumed not injected)' : ''}; ${paWhy} is not enforced without a sidecar; traffic from the gateway is not encrypted`,
      {
        m: w.m,
        path: [...w.podSpecPath.slice(0, -1), 'metadata'],
        ports: String(containerPort),
        code: 'MESH013',
        assumed: w.injection.injected === undefined || undefined,
      },
    );
    if (clientTls === 'ISTIO_MUTUAL') {
      return t.fail({
        status: 503,
        flag: 'UF',
        reason: `503 UF: ${clientWhy} makes the gateway speak Istio mTLS to a pod without a sidecar`,
        code: 'MESH013',
        fix: `enable sidecar injection in namespace ${w.namespace}, or drop the DestinationRule tls setting`,
      });
    }
  }
  // Authorization at the sidecar.
  if (sidecar) {
    const sa = String((gw.m.obj as any).spec?.template?.spec?.serviceAccountName ?? `${gw.name}-service-account`);
    const dec = authorize(ix, w, {
      ...ctx.request,
      port: containerPort!,
      source: mtls ? { namespace: gw.namespace, principal: `cluster.local/ns/${gw.namespace}/sa/${sa}` } : {},
    });
    if (dec) {
      t.add(
        'authorization',
        dec.policy ? `AuthorizationPolicy ${dec.policy.namespace}/${dec.policy.name}` : 'AuthorizationPolicies',
        `${dec.reason}${dec.assumptions.length ? `; ${dec.assumptions.join('; ')}` : ''}`,
        {
          m: dec.policy?.m,
          path: dec.policy ? (dec.rule !== undefined && dec.rule >= 0 ? ['spec', 'rules', dec.rule] : ['spec']) : undefined,
          assumed: dec.assumptions.length > 0 || undefined,
        },
      );
      if (!dec.allowed) {
        return t.fail({
          status: 403,
          reason: `403 RBAC: access denied by the sidecar of ${podRef}: ${dec.reason}`,
          fix:
            dec.policy?.action === 'DENY'
              ? `narrow the DENY rule of AuthorizationPolicy ${dec.policy.name}`
              : `add an ALLOW rule for this request (source namespace ${gw.namespace}) to an AuthorizationPolicy of ${w.namespace}`,
        });
      }
    }
  }
  t.add(
    'container',
    `container ${c.name} port ${containerPort}${where.p >= 0 && c.ports[where.p].name ? ` (${c.ports[where.p].name})` : ''}`,
    `${sidecar ? 'the sidecar forwards to' : 'the app receives on'} the pod IP, port ${containerPort}`,
    { m: w.m, path: cpath, ports: String(containerPort) },
  );
  return undefined;
}
