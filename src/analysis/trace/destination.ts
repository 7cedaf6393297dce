// From a route destination to the serving container: the cluster `outbound|port|subset|host`, the
// endpoints (selected pods, named targetPort resolved on containers), the sidecar (iptables to 15006,
// mTLS from PeerAuthentication vs. what the gateway sends), the AuthorizationPolicies the sidecar
// enforces, and the container port. Every judgement is the model's (src/model), as check's rules use it.
import { authorize, workloadPrincipal, type AuthzRequest } from '../../model/authz.js';
import { resolveDestination, resolveTargetPort, selectEntryPort, selectServicePort } from '../../model/destination.js';
import { clientTls, destinationRuleFor, effectiveMtls, hasSidecar } from '../../model/mtls.js';
import { selectorMatches, selectorText, workloadsOfService } from '../../model/selectors.js';
import type { MeshModel, RouteDestination, ServiceInfo, ServicePort, VirtualServiceInfo, Workload } from '../../model/types.js';
import { HopList, objName, type Failure } from './hops.js';

export interface DestContext {
  model: MeshModel;
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

/** Traces one destination; pushes hops onto `t`; returns the failure, if any. */
export function traceDestination(t: HopList, d: RouteDestination, ctx: DestContext): Failure | undefined {
  const { model, vs, gw } = ctx;
  const r = resolveDestination(model, d, gw.namespace);
  if (r.kind === 'serviceEntry') {
    const e = r.entry;
    const p = selectEntryPort(e, d, ctx.listenerPort);
    t.add(
      'service-port',
      `ServiceEntry ${e.namespace}/${e.name} port ${p.wanted}`,
      p.ok
        ? `${d.host} is a ServiceEntry host (${e.location ?? 'MESH_EXTERNAL'}); its endpoints are outside the model`
        : `ServiceEntry ports are ${e.ports.map((x) => x.number).join(', ')}: no cluster for port ${p.wanted} (${p.why})`,
      { m: e.m, path: ['spec', 'hosts'], ports: String(p.wanted), assumed: true },
    );
    if (p.ok) return undefined;
    return t.fail({
      status: 503,
      flag: 'NC',
      reason: `503 NC: ServiceEntry ${e.namespace}/${e.name} has no port ${p.wanted}`,
      code: 'MESH004',
      object: vs.m,
      fix: `set destination.port to one of ${e.ports.map((x) => x.number).join(', ')}`,
    });
  }
  if (r.kind === 'outside' || r.kind === 'skip') {
    t.add(
      'service-port',
      `${d.host} is outside the input`,
      r.kind === 'outside'
        ? `namespace ${r.namespace} is not in the input: its Service is assumed to exist`
        : `${d.host || '(empty)'} is not a Service name; not followed`,
      { m: vs.m, path: d.path, assumed: true },
    );
    return undefined;
  }
  if (r.kind === 'missing' || r.kind === 'svcDotNs') {
    const dotted = r.kind === 'svcDotNs';
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
      object: vs.m,
      fix: dotted
        ? `write the full name ${name}.${ns}.svc.cluster.local`
        : `set the destination host of ${objName(vs.m)} to an existing Service (name.namespace.svc.cluster.local)`,
    });
  }
  const svc = r.service;
  if (r.kind === 'hidden') {
    t.add(
      'service-port',
      `Service ${svc.namespace}/${svc.name} is not exported to ${gw.namespace}`,
      `annotation networking.istio.io/exportTo: "${r.exportTo.join(',')}" hides it from the gateway`,
      {
        m: svc.m,
        path: ['metadata', 'annotations'],
      },
    );
    return t.fail({
      status: 503,
      flag: 'NC',
      reason: `503 NC: Service ${svc.namespace}/${svc.name} is hidden from the gateway namespace ${gw.namespace}`,
      code: 'MESH003',
      object: vs.m,
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
      object: vs.m,
      fix: `set destination.port.number in ${objName(vs.m)} to a port of Service ${svc.name} (${list})`,
    });
  }
  const sp = sel.port;
  t.add(
    'service-port',
    `Service ${svc.namespace}/${svc.name} port ${portLabel(sp)}`,
    `cluster outbound|${sp.port}|${d.subset ?? ''}|${svc.fqdn} (port from ${sel.why})`,
    {
      m: svc.m,
      path: ['spec', 'ports', sp.index],
      ports: `${sp.port} -> ${sp.targetPort}`,
    },
  );
  if (!svc.selector) {
    t.add('workload', 'endpoints managed outside the model', `Service ${svc.name} has no selector: its Endpoints are not in the input`, {
      m: svc.m,
      path: ['spec'],
      assumed: true,
    });
    return undefined;
  }
  return traceEndpoints(t, d, ctx, svc, sp);
}

function traceEndpoints(t: HopList, d: RouteDestination, ctx: DestContext, svc: ServiceInfo, sp: ServicePort): Failure | undefined {
  const { model, vs, gw } = ctx;
  let pods = workloadsOfService(model, svc);
  let subsetNote = '';
  if (d.subset) {
    const dr = destinationRuleFor(model, svc.fqdn, gw.namespace, svc.namespace);
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
        code: 'MESH018',
        object: vs.m,
        fix: `define subset ${d.subset} in a DestinationRule for ${svc.fqdn}, or remove it from the route`,
      });
    }
    const all = pods;
    pods = pods.filter((w) => selectorMatches(subset.labels, w.labels));
    subsetNote = ` and subset ${d.subset} (${selectorText(subset.labels)})`;
    if (all.length && !pods.length) {
      t.add(
        'workload',
        `subset ${d.subset} selects no pod`,
        `no pod of Service ${svc.name} has the labels ${selectorText(subset.labels)}`,
        {
          m: dr.m,
          path: ['spec', 'subsets'],
        },
      );
      return t.fail({
        status: 503,
        flag: 'UH',
        reason: `503 UH: no healthy upstream, subset ${d.subset} selects no pod`,
        code: 'MESH018',
        object: vs.m,
        fix: `give subset ${d.subset} labels its pods carry`,
      });
    }
  }
  if (!pods.length) {
    t.add(
      'workload',
      `no workload for Service ${svc.namespace}/${svc.name}`,
      `no pod template in ${svc.namespace} has the labels ${selectorText(svc.selector)}: the cluster has no endpoints`,
      {
        m: svc.m,
        path: ['spec', 'selector'],
      },
    );
    return t.fail({
      status: 503,
      flag: 'UH',
      reason: `503 UH: no healthy upstream, Service ${svc.name} selects no workload`,
      code: 'MESH005',
      object: svc.m,
      fix: `make spec.selector of Service ${svc.name} match the pod labels of its Deployment`,
    });
  }
  const target = resolveTargetPort(sp, pods);
  if (target.kind === 'unnamed') {
    const podRef = `${pods[0].kind} ${pods[0].namespace}/${pods[0].name}`;
    t.add(
      'target-port',
      `targetPort ${target.name} is not a container port name`,
      `no container of ${podRef} declares a port named ${target.name}: the pods are left out of the Endpoints`,
      {
        m: svc.m,
        path: ['spec', 'ports', sp.index, 'targetPort'],
      },
    );
    return t.fail({
      status: 503,
      flag: 'UH',
      reason: `503 UH: targetPort ${target.name} resolves on no pod, so the Service has no endpoints`,
      code: 'MESH006',
      object: svc.m,
      fix: `name a containerPort ${target.name} in ${podRef}, or set targetPort to the port the app listens on`,
    });
  }
  const w = target.workload;
  const containerPort = target.containerPort;
  const podRef = `${w.kind} ${w.namespace}/${w.name}`;
  const declared = target.kind === 'declared';
  const c = declared ? target.container : (w.containers.find((x) => !x.init) ?? w.containers[0]);
  t.add(
    'target-port',
    `targetPort ${sp.targetPort}${typeof sp.targetPort === 'string' ? ` -> ${containerPort}` : ''}`,
    typeof sp.targetPort === 'string'
      ? `named port resolved on container ${c?.name} of ${podRef}`
      : declared
        ? `containerPort of container ${c?.name}`
        : `no container declares ${containerPort} (Kubernetes does not require it): assumed the app listens there`,
    {
      m: svc.m,
      path: ['spec', 'ports', sp.index, 'targetPort'],
      ports: typeof sp.targetPort === 'string' ? `${sp.targetPort} -> ${containerPort}` : String(containerPort),
      ...(declared ? {} : { assumed: true, code: 'MESH006' as const }),
    },
  );
  t.add('workload', `${podRef}`, `${pods.length} workload(s) selected by Service ${svc.name}${subsetNote}; ${w.injection.reason}`, {
    m: w.m,
    path: [...w.podSpecPath.slice(0, -1), 'metadata', 'labels'],
  });
  const f = traceSidecar(t, ctx, svc.fqdn, svc.namespace, sp.port, w, containerPort);
  if (f) return f;
  const cpath = declared
    ? [...w.podSpecPath, target.container.init ? 'initContainers' : 'containers', target.container.index, 'ports', target.portIndex]
    : [...w.podSpecPath, 'containers', c?.index ?? 0];
  const portName = declared ? target.container.ports[target.portIndex].name : undefined;
  t.add(
    'container',
    `container ${c?.name ?? ''} port ${containerPort}${portName ? ` (${portName})` : ''}`,
    `${hasSidecar(w) ? 'the sidecar forwards to' : 'the app receives on'} the pod IP, port ${containerPort}`,
    { m: w.m, path: cpath, ports: String(containerPort) },
  );
  return undefined;
}

/** The sidecar: mTLS from what the gateway sends vs. what the pod enforces, then its AuthorizationPolicies. */
function traceSidecar(
  t: HopList,
  ctx: DestContext,
  fqdn: string,
  svcNs: string,
  svcPort: number,
  w: Workload,
  containerPort: number,
): Failure | undefined {
  const { model, gw } = ctx;
  const sidecar = hasSidecar(w);
  const pa = effectiveMtls(model, w, containerPort);
  const client = clientTls(model, gw.namespace, fqdn, svcNs, svcPort, w);
  const paWhy = pa.policy ? `PeerAuthentication ${pa.policy.namespace}/${pa.policy.name}` : 'no PeerAuthentication (default)';
  const sends = client.mode === 'ISTIO_MUTUAL' ? 'mTLS' : client.mode === 'DISABLE' ? 'plain text' : `TLS ${client.mode}`;
  if (sidecar) {
    t.add(
      'sidecar',
      `istio-proxy inbound 15006, mTLS ${pa.mode}`,
      `iptables sends port ${containerPort} to the sidecar on 15006; peer mTLS ${pa.mode} (${paWhy}); the gateway sends ${sends} (${client.why})`,
      {
        m: pa.policy?.m ?? w.m,
        path: pa.policy ? ['spec', 'mtls'] : undefined,
        ports: `${containerPort} -> 15006`,
        assumed: pa.policy?.m.origin.stage === 'platform' || undefined,
      },
    );
    if (pa.mode === 'STRICT' && client.mode !== 'ISTIO_MUTUAL') {
      return t.fail({
        status: 503,
        flag: 'UC',
        reason: `503 UC: ${paWhy} requires mTLS but the gateway sends ${sends} (${client.why}); the sidecar resets the connection`,
        ...(client.rule ? { code: 'MESH015' as const, object: client.rule.m } : {}),
        fix: client.rule
          ? `remove tls.mode ${client.mode} from DestinationRule ${client.rule.name} (or use ISTIO_MUTUAL)`
          : 'enable sidecar injection for the pod',
      });
    }
    return traceAuthz(t, ctx, w, containerPort, client.mode === 'ISTIO_MUTUAL');
  }
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
  if (client.mode === 'ISTIO_MUTUAL') {
    return t.fail({
      status: 503,
      flag: 'UF',
      reason: `503 UF: ${client.why} makes the gateway speak Istio mTLS to a pod without a sidecar`,
      ...(client.rule ? { code: 'MESH015' as const, object: client.rule.m } : {}),
      fix: `enable sidecar injection in namespace ${w.namespace}, or drop the DestinationRule tls setting`,
    });
  }
  return undefined;
}

function traceAuthz(t: HopList, ctx: DestContext, w: Workload, containerPort: number, mtls: boolean): Failure | undefined {
  const { model, gw } = ctx;
  const dec = authorize(model, w, {
    ...ctx.request,
    port: containerPort,
    source: mtls ? { namespace: gw.namespace, principal: workloadPrincipal(gw) } : {},
  });
  if (!dec) return undefined;
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
  if (dec.allowed) return undefined;
  const podRef = `${w.kind} ${w.namespace}/${w.name}`;
  return t.fail({
    status: 403,
    reason: `403 RBAC: access denied by the sidecar of ${podRef}: ${dec.reason}`,
    // A matching DENY rule is a deliberate choice; ALLOW policies that do not admit the gateway are MESH019's.
    ...(dec.policy && dec.policy.action !== 'DENY' ? { code: 'MESH019' as const, object: dec.policy.m } : {}),
    fix:
      dec.policy?.action === 'DENY'
        ? `narrow the DENY rule of AuthorizationPolicy ${dec.policy.name}`
        : `allow the gateway's identity (${workloadPrincipal(gw)}) in an ALLOW rule of an AuthorizationPolicy of ${w.namespace}`,
  });
}
