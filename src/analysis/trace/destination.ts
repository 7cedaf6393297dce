// From a route destination to the serving container: the cluster `outbound|port|subset|host`, the
// endpoints (selected pods, named targetPort resolved on containers), the sidecar (iptables to 15006,
// mTLS from PeerAuthentication vs. what the gateway sends), the AuthorizationPolicies the sidecar
// enforces, and the container port. Every judgement is the model's (src/model), as check's rules use it.
import type { AuthzRequest } from '../../model/authz.js';
import { resolveDestination, resolveTargetPort, selectEntryPort, selectServicePort } from '../../model/destination.js';
import { destinationRuleFor, hasSidecar } from '../../model/mtls.js';
import { selectorMatches, selectorText, workloadsOfService } from '../../model/selectors.js';
import type { MeshModel, RouteDestination, ServiceInfo, ServicePort, VirtualServiceInfo, Workload } from '../../model/types.js';
import { HopList, objName, type Failure } from './hops.js';
import { traceGatewayToPod, traceSidecarToIstiod } from './netpol.js';
import { traceSidecar } from './sidecar.js';

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
  const blocked = traceGatewayToPod(t, model, gw, w, containerPort) ?? (hasSidecar(w) ? traceSidecarToIstiod(t, model, w) : undefined);
  if (blocked) return blocked;
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
