// Does the NetworkPolicy API let one connection through? Egress is decided at the source pod, ingress at the
// destination pod; each side is open unless a policy isolates the pod, and then open iff some rule of some
// isolating policy admits the connection (rules and policies add up). Offline input that cannot decide yields
// 'unknown' with the reason, evaluated in Kleene logic, so a definite answer holds for every completion of it.
import type { Path } from '../../manifest/types.js';
import { cidrContains, parseCidr, parseIp, type Cidr } from './ip.js';
import type { NetworkPolicyInfo, NetworkPolicyPeer, NetworkPolicyPort, PolicyType, Protocol } from './parse.js';
import { labelSelectorMatches, labelSelectorMatchesKnown, type Tri } from './selector.js';

/** Set by the API server on every namespace (immutable, equal to its name). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A pod at one end of a connection. */
export interface Endpoint {
  namespace: string;
  /** The namespace's labels; undefined when the namespace is not known (only its name label is then known). */
  namespaceLabels?: Record<string, string>;
  labels: Record<string, string>;
  /** Pod IP, for ipBlock peers. */
  ip?: string;
  /** Container port names -> numbers; undefined when not known (named policy ports are then 'unknown'). */
  namedPorts?: Record<string, number>;
}

export interface Connection {
  source: Endpoint;
  destination: Endpoint;
  /** The destination pod's port (a container port, after Service targetPort resolution). */
  port: number;
  /** TCP when not given. */
  protocol?: Protocol;
}

export type Direction = 'ingress' | 'egress';

/** A rule of a policy, and the entries of it that matter (undefined: the rule does not list any). */
export interface RuleRef {
  policy: NetworkPolicyInfo;
  ruleIndex: number;
  peerIndex?: number;
  portIndex?: number;
  /** The peer entry's path when one is named, else the port entry's, else the rule's. */
  path: Path;
}

export type UnknownCode = 'ip-unknown' | 'ip-invalid' | 'namespace-labels-unknown' | 'named-port-unknown';

export interface UnknownReason extends RuleRef {
  code: UnknownCode;
  message: string;
}

export interface SideVerdict {
  direction: Direction;
  allowed: Tri;
  /** Policies that select the pod for this direction; empty: the pod is not isolated, everything passes. */
  isolatedBy: NetworkPolicyInfo[];
  /** The first rule (in input order) that admits the connection, when the pod is isolated and it passes. */
  admittedBy?: RuleRef;
  /** Rules that might admit it, had the input said more; set when allowed is 'unknown'. */
  unknowns: UnknownReason[];
}

export interface ConnectionVerdict {
  /** Both sides allow it; false as soon as one denies; 'unknown' otherwise when one cannot be decided. */
  allowed: Tri;
  /** The sides that deny (empty unless allowed is false). */
  deniedBy: Direction[];
  egress: SideVerdict;
  ingress: SideVerdict;
  unknowns: UnknownReason[];
  /** One sentence for humans. */
  reason: string;
}

const TYPE_OF: Record<Direction, PolicyType> = { ingress: 'Ingress', egress: 'Egress' };

/** Policies of the pod's namespace that select it and have `direction` among their policyTypes. */
export function isolatingPolicies(policies: NetworkPolicyInfo[], pod: Endpoint, direction: Direction): NetworkPolicyInfo[] {
  return policies.filter(
    (p) => p.namespace === pod.namespace && p.policyTypes.includes(TYPE_OF[direction]) && labelSelectorMatches(p.podSelector, pod.labels),
  );
}

type Unknown = { code: UnknownCode; message: string };
type Match = { v: Tri; index?: number; unknowns: Array<Unknown & { index: number; path: Path }> };

const cidrCache = new Map<string, Cidr | undefined>();
function cidr(s: string): Cidr | undefined {
  if (!cidrCache.has(s)) cidrCache.set(s, parseCidr(s));
  return cidrCache.get(s);
}

function namespaceKnowledge(e: Endpoint): { labels: Record<string, string>; complete: boolean } {
  const name = { [NAMESPACE_NAME_LABEL]: e.namespace };
  return e.namespaceLabels ? { labels: { ...e.namespaceLabels, ...name }, complete: true } : { labels: name, complete: false };
}

/** Does a peer entry of a policy in `policyNamespace` cover the pod at the other end? */
function peerMatches(peer: NetworkPolicyPeer, policyNamespace: string, other: Endpoint, role: string): boolean | Unknown {
  if (peer.ipBlock) {
    const { cidr: block, except } = peer.ipBlock;
    if (other.ip === undefined) return { code: 'ip-unknown', message: `ipBlock ${block} decides and the ${role} IP is not known` };
    const ip = parseIp(other.ip);
    if (!ip) return { code: 'ip-invalid', message: `the ${role} IP "${other.ip}" is not an IP address` };
    const inside = (s: string) => {
      const net = cidr(s);
      return net !== undefined && cidrContains(net, ip);
    };
    return inside(block) && !except.some(inside);
  }
  if (!peer.podSelector && !peer.namespaceSelector) return false; // the API server rejects such a peer
  let inNamespace: Tri = other.namespace === policyNamespace;
  if (peer.namespaceSelector) {
    const ns = namespaceKnowledge(other);
    inNamespace = labelSelectorMatchesKnown(peer.namespaceSelector, ns.labels, ns.complete);
  }
  if (inNamespace === false) return false;
  if (peer.podSelector && !labelSelectorMatches(peer.podSelector, other.labels)) return false;
  if (inNamespace === 'unknown') {
    return { code: 'namespace-labels-unknown', message: `the labels of namespace ${other.namespace} are not known` };
  }
  return true;
}

function portMatches(port: NetworkPolicyPort, c: Connection): boolean | Unknown {
  if (port.protocol !== (c.protocol ?? 'TCP')) return false;
  if (port.port === undefined) return true;
  if (typeof port.port === 'number')
    return port.endPort === undefined ? c.port === port.port : c.port >= port.port && c.port <= port.endPort;
  // Named ports are the destination pod's, for ingress and egress alike.
  const named = c.destination.namedPorts;
  if (!named) return { code: 'named-port-unknown', message: `port "${port.port}" is named and the destination's port names are not known` };
  return Object.hasOwn(named, port.port) && named[port.port] === c.port;
}

/** OR over a rule's entries; an absent list matches everything. */
function anyOf<T extends { index: number; path: Path }>(items: T[] | undefined, f: (item: T) => boolean | Unknown): Match {
  if (items === undefined) return { v: true, unknowns: [] };
  const unknowns: Match['unknowns'] = [];
  for (const item of items) {
    const r = f(item);
    if (r === true) return { v: true, index: item.index, unknowns: [] };
    if (r !== false) unknowns.push({ ...r, index: item.index, path: item.path });
  }
  return { v: unknowns.length ? 'unknown' : false, unknowns };
}

function evaluateSide(policies: NetworkPolicyInfo[], c: Connection, direction: Direction): SideVerdict {
  const pod = direction === 'ingress' ? c.destination : c.source;
  const other = direction === 'ingress' ? c.source : c.destination;
  const isolatedBy = isolatingPolicies(policies, pod, direction);
  const unknowns: UnknownReason[] = [];
  if (isolatedBy.length === 0) return { direction, allowed: true, isolatedBy, unknowns };
  for (const policy of isolatedBy) {
    for (const rule of policy[direction]) {
      const peers = anyOf(rule.peers, (p) => peerMatches(p, policy.namespace, other, direction === 'ingress' ? 'source' : 'destination'));
      if (peers.v === false) continue;
      const ports = anyOf(rule.ports, (p) => portMatches(p, c));
      if (ports.v === false) continue;
      const ref: RuleRef = { policy, ruleIndex: rule.index, path: rule.path };
      if (peers.v === true && ports.v === true) {
        const path = rule.peers?.find((p) => p.index === peers.index)?.path ?? rule.ports?.find((p) => p.index === ports.index)?.path;
        const admittedBy = { ...ref, peerIndex: peers.index, portIndex: ports.index, path: path ?? rule.path };
        return { direction, allowed: true, isolatedBy, admittedBy, unknowns: [] };
      }
      for (const u of peers.unknowns) unknowns.push({ ...ref, peerIndex: u.index, path: u.path, code: u.code, message: u.message });
      for (const u of ports.unknowns) unknowns.push({ ...ref, portIndex: u.index, path: u.path, code: u.code, message: u.message });
    }
  }
  return { direction, allowed: unknowns.length ? 'unknown' : false, isolatedBy, unknowns };
}

/** `spec.ingress[0].from[1]` */
export function fieldPath(path: Path): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

const policyName = (p: NetworkPolicyInfo) => `${p.namespace}/${p.name}`;

function describeSide(v: SideVerdict, c: Connection): string {
  const pod = v.direction === 'ingress' ? `destination in ${c.destination.namespace}` : `source in ${c.source.namespace}`;
  if (v.isolatedBy.length === 0) return `${v.direction}: the ${pod} is not isolated`;
  if (v.admittedBy) return `${v.direction}: admitted by ${policyName(v.admittedBy.policy)} ${fieldPath(v.admittedBy.path)}`;
  const by = v.isolatedBy.map(policyName).join(', ');
  if (v.allowed === 'unknown') return `${v.direction}: undecided (${v.unknowns.map((u) => u.message).join('; ')})`;
  return `${v.direction}: the ${pod} is isolated by ${by} and no ${v.direction} rule admits ${c.protocol ?? 'TCP'}/${c.port}`;
}

/** The NetworkPolicy verdict on one connection attempt from `c.source` to `c.destination` on `c.port`. */
export function evaluateConnection(policies: NetworkPolicyInfo[], c: Connection): ConnectionVerdict {
  const egress = evaluateSide(policies, c, 'egress');
  const ingress = evaluateSide(policies, c, 'ingress');
  const deniedBy = [egress, ingress].filter((s) => s.allowed === false).map((s) => s.direction);
  const allowed: Tri = deniedBy.length ? false : egress.allowed === true && ingress.allowed === true ? true : 'unknown';
  const unknowns = allowed === 'unknown' ? [...egress.unknowns, ...ingress.unknowns] : [];
  const shown = allowed === false ? [egress, ingress].filter((s) => s.allowed === false) : [egress, ingress];
  const verdict = allowed === true ? 'allowed' : allowed === false ? 'denied' : 'undecided';
  return { allowed, deniedBy, egress, ingress, unknowns, reason: `${verdict}: ${shown.map((s) => describeSide(s, c)).join('; ')}` };
}
