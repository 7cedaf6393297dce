// The NetworkPolicy hops: the gateway pod's connection to the destination pod (dropped: Envoy's connect
// times out, 503 UF), and the destination sidecar's connection to istiod (dropped: the proxy never becomes
// ready, the pod is no endpoint, 503 UH). Judged by model/netpol, as MESH021 and MESH022 judge them.
import { fieldPath, gatewayToWorkload, policiesIn, sidecarToIstiod, type Admission } from '../../model/netpol.js';
import type { MeshModel, Workload } from '../../model/types.js';
import type { Failure, HopList } from './hops.js';

const policyName = (a: Admission) => (a.object ? `NetworkPolicy ${a.object.namespace}/${a.object.name}` : 'NetworkPolicies');

function addHop(t: HopList, a: Admission, title: string, ports: string): void {
  const p = a.object ?? a.admittedBy?.policy;
  t.add('network-policy', title, `${a.reason}${a.assumptions.length ? `; ${a.assumptions.join('; ')}` : ''}`, {
    m: p?.m,
    path: a.admittedBy ? a.admittedBy.path : a.objectPath,
    ports,
    assumed: a.assumptions.length > 0 || undefined,
  });
}

/** Gateway pod -> destination pod on `port`; a hop only when some NetworkPolicy is in either namespace. */
export function traceGatewayToPod(t: HopList, model: MeshModel, gw: Workload, w: Workload, port: number): Failure | undefined {
  if (!policiesIn(model, gw.namespace, w.namespace)) return undefined;
  const a = gatewayToWorkload(model, gw, w, port);
  const podRef = `${w.kind} ${w.namespace}/${w.name}`;
  const title = a.allowed
    ? a.admittedBy
      ? `NetworkPolicy ${a.admittedBy.policy.namespace}/${a.admittedBy.policy.name} ${fieldPath(a.admittedBy.path)} admits the gateway`
      : 'no NetworkPolicy isolates the pods'
    : `${policyName(a)}: the gateway is not admitted`;
  addHop(t, a, title, `${gw.namespace}/${gw.name} -> ${port}`);
  if (a.allowed) return undefined;
  return t.fail({
    status: 503,
    flag: 'UF',
    reason:
      `503 UF: upstream connect error or disconnect/reset before headers. reset reason: connection timeout ` +
      `(the gateway's SYN to ${podRef} port ${port} is dropped: ${a.reason})`,
    code: 'MESH021',
    object: a.object?.m,
    fix: `admit namespace ${gw.namespace}, pods ${gw.name} on TCP/${port} in a NetworkPolicy selecting ${podRef}`,
  });
}

/** The destination sidecar -> istiod (15012), when egress NetworkPolicies are in the pod's namespace. */
export function traceSidecarToIstiod(t: HopList, model: MeshModel, w: Workload): Failure | undefined {
  if (!policiesIn(model, w.namespace)) return undefined;
  const a = sidecarToIstiod(model, w);
  if (a.allowed && !a.verdict.egress.isolatedBy.length) return undefined;
  addHop(t, a, a.allowed ? 'the sidecar reaches istiod' : `${policyName(a)}: the sidecar cannot reach istiod`, `${w.name} -> istiod:15012`);
  if (a.allowed) return undefined;
  return t.fail({
    status: 503,
    flag: 'UH',
    reason: `503 UH: no healthy upstream: the sidecar of ${w.kind} ${w.namespace}/${w.name} never gets its configuration, so the pod is not ready (${a.reason})`,
    code: 'MESH022',
    object: a.object?.m,
    fix: `admit egress to istiod (namespace istio-system, pods app: istiod) on TCP/15012 from ${w.namespace}`,
  });
}
