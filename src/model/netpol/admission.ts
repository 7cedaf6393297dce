// The two connections a mesh route needs NetworkPolicies to let through, judged once for check and trace:
//  (a) the ingress gateway pod -> the destination pod, on the port the pod receives on (the Service's
//      targetPort as a container port: the sidecar's redirect to 15006 happens inside the pod, after policy);
//  (b) the destination pod's sidecar -> istiod on 15012 (xDS and certificates), without which the proxy never
//      becomes ready and the pod never joins the Service's endpoints.
// A blocked connection is not refused: the SYN is dropped, so Envoy's connect attempt times out.
// Offline input cannot say everything: a rule that admits only by ipBlock needs the gateway's pod IP, which
// changes with every restart (and some CNIs never match pod IPs with ipBlock): such a route is called blocked,
// as it is not dependable. Other unknowns (namespace labels, named ports not in the input) are assumed to admit.
import type { BigBangLayout } from '../../core/layout.js';
import type { Path } from '../../manifest/types.js';
import type { MeshModel, Workload } from '../types.js';
import { evaluateConnection, fieldPath, NAMESPACE_NAME_LABEL, type ConnectionVerdict, type Endpoint, type RuleRef } from './evaluate.js';
import { labelSelectorMatches } from './selector.js';
import type { NetworkPolicyInfo } from './parse.js';

export const ISTIOD_XDS_PORT = 15012;

export interface Admission {
  /** Whether the connection gets through (with `assumptions` when the input could not decide it all). */
  allowed: boolean;
  verdict: ConnectionVerdict;
  /** The side that drops it, when blocked. */
  side?: 'ingress' | 'egress';
  /** Policies isolating the pod on that side, none of which admits the connection (when blocked). */
  blocking: NetworkPolicyInfo[];
  /** The policy a finding and a trace name: the one meant to let the peer in that just misses, else the default deny. */
  object?: NetworkPolicyInfo;
  /** The field of `object` to point at (the podSelector, port list or peer that misses). */
  objectPath?: Path;
  /** The rule that admitted it, when a policy isolates the pod and lets it through. */
  admittedBy?: RuleRef;
  /** Blocked only because nothing but an ipBlock could admit it. */
  ipBlockOnly: boolean;
  assumptions: string[];
  /** One sentence: who selects the pod and what admits or drops the connection. */
  reason: string;
}

/** Container port names -> numbers of a workload (named NetworkPolicy ports resolve on the destination). */
function namedPorts(w: Workload): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of w.containers) for (const p of c.ports) if (p.name && p.containerPort > 0) out[p.name] = p.containerPort;
  return out;
}

export function endpointOf(model: MeshModel, w: Workload): Endpoint {
  return {
    namespace: w.namespace,
    namespaceLabels: model.namespaces.get(w.namespace)?.labels,
    labels: w.labels,
    namedPorts: namedPorts(w),
  };
}

/** The istiod pods as Big Bang installs them (the model need not hold the Deployment). */
export function istiodEndpoint(model: MeshModel, layout: BigBangLayout = model.layout): Endpoint {
  return {
    namespace: layout.istioNamespace,
    namespaceLabels: model.namespaces.get(layout.istioNamespace)?.labels,
    labels: layout.istiodPodLabels,
    namedPorts: { 'http-debug': 8080, 'grpc-xds': 15010, 'tls-xds': ISTIOD_XDS_PORT, 'http-monitoring': 15014, 'https-webhooks': 15017 },
  };
}

const name = (p: NetworkPolicyInfo) => `${p.namespace}/${p.name}`;

/** The policy to name when none was meant to admit the peer: the one isolating the pod without any rule (a default deny), else the first by name. */
function culprit(policies: NetworkPolicyInfo[], side: 'ingress' | 'egress'): NetworkPolicyInfo | undefined {
  const sorted = [...policies].sort((a, b) => a.name.localeCompare(b.name));
  return sorted.find((p) => !p[side].length) ?? sorted[0];
}

const labelsText = (l: Record<string, string> | undefined) =>
  Object.entries(l ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',') || '{}';

/**
 * The policy that was meant to admit this connection and just misses, by one thing: its podSelector names labels
 * no pod of the namespace carries, or it selects the pod but admits the source on another port, or a peer's
 * namespace or pod selector names labels the source lacks.
 */
function nearMiss(
  model: MeshModel,
  source: Endpoint,
  destination: Endpoint,
  port: number,
): { policy: NetworkPolicyInfo; text: string; path: Path } | undefined {
  const mine = model.networkPolicies
    .filter((p) => p.namespace === destination.namespace && p.policyTypes.includes('Ingress') && p.ingress.length)
    .sort((a, b) => a.name.localeCompare(b.name));
  const admits = (p: NetworkPolicyInfo, src: Endpoint, dst: Endpoint, at = port) =>
    evaluateConnection([p], { source: src, destination: dst, port: at }).ingress.allowed === true;
  const pods = model.workloadsByNamespace.get(destination.namespace) ?? [];
  for (const p of mine) {
    const wanted = p.podSelector?.matchLabels;
    if (!wanted || p.podSelector?.matchExpressions?.length || pods.some((w) => labelSelectorMatches(p.podSelector!, w.labels))) continue;
    if (admits(p, source, { ...destination, labels: { ...destination.labels, ...wanted } }))
      return {
        policy: p,
        path: ['spec', 'podSelector'],
        text: `${name(p)} admits it but selects pods ${labelsText(wanted)}, which no pod carries (this one: ${labelsText(destination.labels)})`,
      };
  }
  const selecting = mine.filter((p) => p.podSelector && labelSelectorMatches(p.podSelector, destination.labels));
  for (const p of selecting) {
    for (const r of p.ingress) {
      const other = (r.ports ?? []).find((x) => typeof x.port === 'number' && x.port !== port && admits(p, source, destination, x.port));
      if (other)
        return {
          policy: p,
          path: other.path,
          text: `${name(p)} admits it on port ${other.port}, not on ${port}, the port the pod receives on`,
        };
    }
  }
  for (const p of selecting) {
    for (const peer of p.ingress.flatMap((r) => r.peers ?? [])) {
      const ns = peer.namespaceSelector?.matchLabels;
      const podLabels = peer.podSelector?.matchLabels;
      if (ns && !Object.entries(ns).every(([k, v]) => ({ ...source.namespaceLabels, [NAMESPACE_NAME_LABEL]: source.namespace })[k] === v)) {
        if (admits(p, { ...source, namespaceLabels: { ...source.namespaceLabels, ...ns } }, destination))
          return {
            policy: p,
            path: peer.path,
            text: `${name(p)} ${fieldPath(peer.path)} selects namespaces ${labelsText(ns)}, which ${source.namespace} does not carry`,
          };
      }
      if (podLabels && !Object.entries(podLabels).every(([k, v]) => source.labels[k] === v)) {
        if (admits(p, { ...source, labels: { ...source.labels, ...podLabels } }, destination))
          return {
            policy: p,
            path: peer.path,
            text: `${name(p)} ${fieldPath(peer.path)} selects pods ${labelsText(podLabels)}, which the gateway pod (${labelsText(source.labels)}) does not carry`,
          };
      }
    }
  }
  return undefined;
}

function judge(model: MeshModel, source: Endpoint, destination: Endpoint, port: number, what: string): Admission {
  const verdict = evaluateConnection(model.networkPolicies, { source, destination, port });
  const assumptions: string[] = [];
  const sides = [verdict.egress, verdict.ingress];
  if (verdict.allowed === true) {
    const s = verdict.ingress.admittedBy ? verdict.ingress : verdict.egress;
    return {
      allowed: true,
      verdict,
      blocking: [],
      admittedBy: s.admittedBy,
      ipBlockOnly: false,
      assumptions,
      reason: s.admittedBy
        ? `${what}: ${name(s.admittedBy.policy)} ${fieldPath(s.admittedBy.path)} admits it`
        : `${what}: no NetworkPolicy isolates either pod`,
    };
  }
  const undecided = sides.find((s) => s.allowed === 'unknown');
  const denied = sides.find((s) => s.allowed === false);
  const ipOnly = !denied && undecided !== undefined && undecided.unknowns.every((u) => u.code === 'ip-unknown');
  if (!denied && !ipOnly) {
    for (const u of verdict.unknowns) assumptions.push(`${name(u.policy)} ${fieldPath(u.path)}: ${u.message} (assumed to admit)`);
    return {
      allowed: true,
      verdict,
      blocking: [],
      ipBlockOnly: false,
      assumptions,
      reason: `${what}: assumed admitted (${assumptions.join('; ')})`,
    };
  }
  const side = (denied ?? undecided)!;
  const blocking = side.isolatedBy;
  const pod = side.direction === 'ingress' ? destination : source;
  const miss = side.direction === 'ingress' && !ipOnly ? nearMiss(model, source, destination, port) : undefined;
  const object = miss?.policy ?? (ipOnly ? undecided!.unknowns[0].policy : culprit(blocking, side.direction));
  const blocks = ipOnly
    ? `only ${side.unknowns.map((u) => `${name(u.policy)} ${fieldPath(u.path)}`).join(', ')} could admit it, by ipBlock: the gateway's pod IP is not known offline and changes on restart (and Cilium never matches pod IPs with ipBlock)`
    : `none admits TCP/${port}`;
  return {
    allowed: false,
    verdict,
    side: side.direction,
    blocking,
    object,
    objectPath:
      miss?.path ??
      (ipOnly ? undecided!.unknowns[0].path : object && object[side.direction].length ? ['spec', side.direction] : ['spec', 'podSelector']),
    ipBlockOnly: ipOnly,
    assumptions,
    reason: `${what}: ${side.direction} of the pod in ${pod.namespace} is isolated by ${blocking.map(name).join(', ')} and ${blocks}${miss ? `; ${miss.text}` : ''}`,
  };
}

/** NetworkPolicies on the hop gateway pod -> destination pod, on the pod's receiving port. */
export function gatewayToWorkload(model: MeshModel, gateway: Workload, w: Workload, port: number): Admission {
  return judge(model, endpointOf(model, gateway), endpointOf(model, w), port, `TCP/${port} from ${gateway.namespace}/${gateway.name}`);
}

/** NetworkPolicies on the sidecar's connection to istiod (15012). */
export function sidecarToIstiod(model: MeshModel, w: Workload): Admission {
  const istiod = istiodEndpoint(model);
  return judge(model, endpointOf(model, w), istiod, ISTIOD_XDS_PORT, `TCP/${ISTIOD_XDS_PORT} to istiod in ${istiod.namespace}`);
}

/** Whether any NetworkPolicy of these namespaces is in the model (trace shows the hop only then). */
export function policiesIn(model: MeshModel, ...namespaces: string[]): boolean {
  return model.networkPolicies.some((p) => namespaces.includes(p.namespace));
}
