// Step 10: the package VirtualService: bound to the gateway, carrying the host, routing to Service
// ports, judged with the model's resolvers (the same check and trace use).
import { resolveDestination, selectServicePort } from '../../model/destination.js';
import { requestHostMatches } from '../../model/hosts.js';
import type { MeshModel, VirtualServiceInfo } from '../../model/types.js';
import type { ClusterState } from '../../sources/cluster/gather.js';
import { cannotCheck, fixFor, worst } from './common.js';
import type { StepResult, StepStatus } from './types.js';

/** The package VirtualService for a host: one listing it, else the first one bound to a gateway, else the first. */
export function packageVirtualService(model: MeshModel, namespace: string, host: string | undefined): VirtualServiceInfo | undefined {
  const vss = model.virtualServices.filter((v) => v.namespace === namespace);
  if (host) {
    const byHost = vss.find((vs) => vs.fqdnHosts.some((h) => requestHostMatches(h, host)));
    if (byHost) return byHost;
  }
  return vss.find((vs) => vs.gateways.some((g) => g.index >= 0 && g.resolved !== 'mesh')) ?? vss[0];
}

export function step10(state: ClusterState, model: MeshModel): StepResult {
  const ns = state.pkg.namespace;
  const title = `VirtualService of ${state.pkg.name} in ${ns}`;
  if (state.virtualServices.error) return cannotCheck(10, title, state.virtualServices.error);
  const vs = packageVirtualService(model, ns, state.pkg.host);
  if (!vs) {
    return {
      step: 10,
      title,
      status: 'fail',
      details: [`no VirtualService in namespace ${ns}`],
      fix: `enable the package's Istio integration (istio.enabled: true in the package values; bbmesh integrate writes it) and reconcile`,
    };
  }
  const details: string[] = [`VirtualService ${vs.namespace}/${vs.name}`];
  const statuses: StepStatus[] = [];
  const fixes: string[] = [];
  const ref = `${state.gatewayRef.namespace}/${state.gatewayRef.name}`;
  const want = `${state.names.gateway.namespace}/${state.names.gateway.name}`;
  const gws = vs.gateways.filter((g) => g.index >= 0);
  if (!gws.length) {
    statuses.push('fail');
    details.push('no spec.gateways: bound to the mesh only, not reachable from the ingress');
    fixes.push(`set spec.gateways to [${want}] (the package's istio.gateways / hosts values)`);
  } else if (!gws.some((g) => g.resolved === ref)) {
    statuses.push('fail');
    const missing = (r: string) => r !== 'mesh' && !state.gateways.error && !model.gateways.has(r);
    details.push(`gateways ${gws.map((g) => `${g.resolved}${missing(g.resolved) ? ' (does not exist)' : ''}`).join(', ')}: not ${ref}`);
    fixes.push(`bind it to ${want} (spec.gateways)`);
  } else {
    details.push(`bound to gateway ${ref}`);
  }
  const host = state.pkg.host;
  if (!host) {
    statuses.push('warn');
    details.push(`hosts ${vs.hosts.join(', ') || '(none)'}; package host unknown`);
    fixes.push('pass --host');
  } else if (vs.fqdnHosts.some((h) => requestHostMatches(h, host))) {
    details.push(`host ${host}${state.pkg.hostSource === 'virtualservice' ? ' (from this VirtualService)' : ''}`);
  } else {
    statuses.push('fail');
    details.push(`hosts ${vs.hosts.join(', ') || '(none)'}: none matches ${host}`);
    fixes.push(`add ${host} to spec.hosts (the package's hostname/domain values)`);
  }
  const routes = vs.http.flatMap((r) => r.route);
  if (!routes.length) {
    statuses.push('fail');
    details.push(`no HTTP routes${vs.tcp.length || vs.tls.length ? ' (tcp/tls routes are not checked)' : ''}`);
    fixes.push('add spec.http[].route[].destination to the package Service');
  }
  const services = model.servicesByNamespace.get(ns) ?? [];
  for (const d of routes) {
    const label = `route -> ${d.host}${d.port !== undefined ? `:${d.port}` : ''}`;
    const r = resolveDestination(model, d);
    if (r.kind === 'svcDotNs') {
      statuses.push('fail');
      details.push(`${label}: Istio does not expand \`${d.host}\` (svc.ns): no Service has that name`);
      fixes.push(`write ${r.name}.${r.namespace}.svc.cluster.local`);
      continue;
    }
    if (r.kind !== 'service' && r.kind !== 'hidden') {
      const m = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(d.fqdn);
      if (r.kind === 'outside' || (m && m[2] !== ns)) {
        details.push(`${label}: Service in namespace ${r.kind === 'outside' ? r.namespace : m![2]}, not checked`);
      } else if (r.kind !== 'missing' || !m) {
        if (r.kind !== 'serviceEntry') statuses.push('warn');
        details.push(`${label}: not a cluster Service name, not checked`);
      } else if (state.services.error) {
        statuses.push('cannot-check');
        details.push(`${label}: ${state.services.error.message}`);
        fixes.push(fixFor(state.services.error));
      } else {
        statuses.push('fail');
        details.push(`${label}: no Service ${ns}/${m[1]} (Services: ${services.map((s) => s.name).join(', ') || 'none'})`);
        fixes.push(`point the route at the package Service (kubectl get svc -n ${ns})`);
      }
      continue;
    }
    const svc = r.service;
    const ports = svc.ports.map((p) => p.port);
    const sel = selectServicePort(svc, d, 8443);
    if (sel.port) {
      const p = sel.port;
      details.push(
        `${label}: Service ${ns}/${svc.name} port ${p.name ? `${p.name} ` : ''}${p.port} -> ${p.targetPort}${d.port === undefined ? ` (${sel.why})` : ''}`,
      );
    } else if (d.port === undefined) {
      statuses.push('fail');
      details.push(`${label}: no destination port, and Service ${svc.name} has ${ports.length} ports`);
      fixes.push(`set destination.port.number to one of ${ports.join(', ')}`);
    } else {
      statuses.push('fail');
      details.push(`${label}: Service ${ns}/${svc.name} has no port ${d.port} (ports: ${ports.join(', ')})`);
      fixes.push(`use a Service port (${ports.join(', ')}), not the container port`);
    }
  }
  const st = worst(statuses);
  const reason = st === 'cannot-check' ? state.services.error?.reason : undefined;
  return { step: 10, title, status: st, details, ...(st !== 'pass' ? { fix: fixes.join('; ') } : {}), ...(reason ? { reason } : {}) };
}
