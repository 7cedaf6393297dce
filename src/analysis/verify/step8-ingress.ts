// Step 8: the ingress gateway Service: type, ports, external address.
import type { ClusterState } from '../../sources/cluster/gather.js';
import { arr, cannotCheck, spec, status, worst } from './common.js';
import type { StepResult, StepStatus } from './types.js';

const EXPECTED_PORTS = [
  { label: 'http', port: 80, target: 8080 },
  { label: 'https', port: 443, target: 8443 },
  { label: 'status-port', port: 15021, target: 15021 },
];

export function step8(state: ClusterState): StepResult {
  const ref = state.names.ingressService;
  const title = `ingress gateway Service ${ref.namespace}/${ref.name}`;
  if (state.ingressService.error) return cannotCheck(8, title, state.ingressService.error);
  const svc = state.ingressService.value;
  if (!svc) {
    return {
      step: 8,
      title,
      status: 'fail',
      details: [`Service ${ref.namespace}/${ref.name} not found`],
      fix: `Istio's ingress gateway is not deployed: check ${state.layout === 'bb2' ? 'istio.ingressGateways.public-ingressgateway' : 'istioGateway'} in the Big Bang values and HelmRelease ${state.names.istioReleases.at(-1)}; or pass --layout ${state.layout === 'bb2' ? 'bb3' : 'bb2'}`,
    };
  }
  const details: string[] = [];
  const statuses: StepStatus[] = [];
  const fixes: string[] = [];
  const type = String(spec(svc).type ?? 'ClusterIP');
  const ports = arr(spec(svc).ports);
  if (type === 'LoadBalancer') {
    details.push('type LoadBalancer');
  } else if (type === 'NodePort') {
    statuses.push('warn');
    details.push(
      `type NodePort (node ports: ${ports.map((p) => `${p.name ?? p.port}=${p.nodePort ?? '?'}`).join(', ')}); reach it at <node-ip>:<nodePort>`,
    );
    fixes.push('NodePort works without a load balancer: give step 12 the node address with --address <node-ip>:<https nodePort>');
  } else {
    statuses.push('fail');
    details.push(`type ${type}: not reachable from outside the cluster`);
    fixes.push(
      `set the ingress gateway Service type to LoadBalancer (${state.layout === 'bb2' ? 'istio.ingressGateways.public-ingressgateway.type' : 'istioGateway gateway service type'})`,
    );
  }
  for (const e of EXPECTED_PORTS) {
    const p = ports.find((x) => Number(x?.port) === e.port);
    const target = p ? (p.targetPort ?? p.port) : undefined;
    if (!p) {
      statuses.push('fail');
      details.push(`${e.label}: no port ${e.port}`);
      fixes.push(`add port ${e.port} -> ${e.target} to the ingress gateway Service`);
    } else if (String(target) !== String(e.target)) {
      statuses.push('fail');
      details.push(`${e.label}: port ${e.port} -> ${target}, expected -> ${e.target}`);
      fixes.push(`make port ${e.port} forward to ${e.target}`);
    } else {
      details.push(
        `${p.name ?? e.label}: ${e.port} -> ${e.target}/${p.protocol ?? 'TCP'}${p.nodePort && type !== 'LoadBalancer' ? ` (nodePort ${p.nodePort})` : ''}`,
      );
    }
  }
  const addrs = arr(status(svc).loadBalancer?.ingress)
    .map((i) => i.ip ?? i.hostname)
    .filter(Boolean);
  if (addrs.length) {
    details.push(`external address: ${addrs.join(', ')}`);
  } else if (type === 'LoadBalancer') {
    statuses.push('fail');
    details.push('no external IP or hostname assigned (EXTERNAL-IP <pending>)');
    fixes.push('the cluster has no load balancer provider: install one (MetalLB, cloud LB; k3d/kind map it for you) or use type NodePort');
  }
  const externalIPs = Array.isArray(spec(svc).externalIPs) ? spec(svc).externalIPs! : [];
  if (externalIPs.length) details.push(`externalIPs: ${externalIPs.join(', ')}`);
  const st = worst(statuses);
  return { step: 8, title, status: st, details, ...(st !== 'pass' ? { fix: fixes.join('; ') } : {}) };
}

/** Where step 12 sends its requests: the load balancer address of the ingress Service. */
export function ingressAddress(state: ClusterState): { host?: string; why: string } {
  const svc = state.ingressService.value;
  if (!svc)
    return {
      why:
        state.ingressService.error?.message ??
        `Service ${state.names.ingressService.namespace}/${state.names.ingressService.name} not found`,
    };
  const a = arr(status(svc).loadBalancer?.ingress)
    .map((i) => i.ip ?? i.hostname)
    .find(Boolean);
  if (a) return { host: String(a), why: `load balancer of Service ${svc.namespace}/${svc.name}` };
  return { why: `Service ${svc.namespace}/${svc.name} has no load balancer address (type ${spec(svc).type ?? 'ClusterIP'})` };
}
