// A typed view of a networking.k8s.io/v1 NetworkPolicy, defaulted as the API server does. Input that the API
// server would reject is recorded in `issues` and left out entry by entry, never thrown; a list whose entries
// were all left out stays an empty list, so it admits nothing rather than widening to "every peer/port".
import type { Manifest, Path } from '../../manifest/types.js';
import { cidrStrictlyWithin, parseCidr } from './ip.js';
import { labelSelectorProblems, show, type LabelSelector, type LabelSelectorRequirement } from './selector.js';

export type PolicyType = 'Ingress' | 'Egress';
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface IpBlock {
  cidr: string;
  except: string[];
}

/** One entry of a rule's `from` (ingress) or `to` (egress). */
export interface NetworkPolicyPeer {
  /** Index in the rule's list. */
  index: number;
  /** Absent: every pod of the selected namespaces (only meaningful with namespaceSelector). */
  podSelector?: LabelSelector;
  /** Absent: the policy's own namespace; `{}`: every namespace. */
  namespaceSelector?: LabelSelector;
  /** Never together with a selector (the API server forbids it). */
  ipBlock?: IpBlock;
  path: Path;
}

export interface NetworkPolicyPort {
  index: number;
  /** TCP when not given. */
  protocol: Protocol;
  /** A number, a container port name (IANA_SVC_NAME), or absent: every port of the protocol. */
  port?: number | string;
  /** With a numeric port: the range port..endPort. */
  endPort?: number;
  path: Path;
}

export interface NetworkPolicyRule {
  index: number;
  /** `from` or `to`; undefined when absent or empty: every peer. */
  peers?: NetworkPolicyPeer[];
  /** undefined when absent or empty: every port of every protocol. */
  ports?: NetworkPolicyPort[];
  path: Path;
}

export interface NetworkPolicyIssue {
  path: Path;
  message: string;
}

export interface NetworkPolicyInfo {
  m: Manifest;
  name: string;
  namespace: string;
  /** spec.podSelector, `{}` (every pod) when absent; undefined only when malformed (selects no pod). */
  podSelector?: LabelSelector;
  policyTypes: PolicyType[];
  /** policyTypes was not given: Ingress, plus Egress when spec.egress has entries (SetDefaults_NetworkPolicy). */
  policyTypesDefaulted: boolean;
  ingress: NetworkPolicyRule[];
  egress: NetworkPolicyRule[];
  /** What the API server would reject, each with the path of the offending field. */
  issues: NetworkPolicyIssue[];
}

type Raw = Record<string, unknown>;
const isRecord = (x: unknown): x is Raw => typeof x === 'object' && x !== null && !Array.isArray(x);
const isAbsent = (x: unknown) => x === undefined || x === null;
const PROTOCOLS = new Set<string>(['TCP', 'UDP', 'SCTP']);

/** IsValidPortName: 1-15 of [a-z0-9-], at least one letter, no leading, trailing or doubled hyphen. */
export function isValidPortName(s: string): boolean {
  return s.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(s) && /[a-z]/.test(s) && !s.includes('--');
}

const isPortNumber = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 65535;

class Parser {
  readonly issues: NetworkPolicyIssue[] = [];

  issue(path: Path, message: string): void {
    this.issues.push({ path, message });
  }

  /** A clean copy of a valid selector, or undefined (with issues) when the API server would reject it. */
  selector(raw: unknown, path: Path): LabelSelector | undefined {
    const problems = labelSelectorProblems(raw);
    for (const p of problems) this.issue([...path, ...p.path], p.message);
    if (problems.length > 0 || !isRecord(raw)) return undefined;
    const sel: LabelSelector = {};
    if (isRecord(raw.matchLabels)) sel.matchLabels = { ...(raw.matchLabels as Record<string, string>) };
    if (Array.isArray(raw.matchExpressions)) {
      sel.matchExpressions = (raw.matchExpressions as LabelSelectorRequirement[]).map((e) => ({
        key: e.key,
        operator: e.operator,
        values: [...(e.values ?? [])],
      }));
    }
    return sel;
  }

  /** A list field: undefined when absent or empty, [] plus an issue when it is not a list. */
  list(raw: unknown, path: Path): unknown[] | undefined {
    if (isAbsent(raw)) return undefined;
    if (!Array.isArray(raw)) {
      this.issue(path, 'must be a list');
      return [];
    }
    return raw.length === 0 ? undefined : raw;
  }

  rule(raw: unknown, index: number, path: Path, peersKey: 'from' | 'to'): NetworkPolicyRule | undefined {
    if (raw === null) return { index, path }; // a null entry decodes to the empty rule: it admits everything
    if (!isRecord(raw)) {
      this.issue(path, 'a rule must be an object');
      return undefined;
    }
    const rule: NetworkPolicyRule = { index, path };
    const peers = this.list(raw[peersKey], [...path, peersKey]);
    if (peers) rule.peers = peers.flatMap((p, i) => this.peer(p, i, [...path, peersKey, i]) ?? []);
    const ports = this.list(raw.ports, [...path, 'ports']);
    if (ports) rule.ports = ports.flatMap((p, i) => this.port(p, i, [...path, 'ports', i]) ?? []);
    return rule;
  }

  peer(raw: unknown, index: number, path: Path): NetworkPolicyPeer | undefined {
    if (!isRecord(raw)) {
      this.issue(path, 'must specify a peer (podSelector, namespaceSelector or ipBlock)');
      return undefined;
    }
    const given = (['podSelector', 'namespaceSelector', 'ipBlock'] as const).filter((k) => !isAbsent(raw[k]));
    if (given.length === 0) {
      this.issue(path, 'must specify a peer (podSelector, namespaceSelector or ipBlock)');
      return undefined;
    }
    if (given.length > 1 && given.includes('ipBlock')) {
      this.issue(path, 'may not specify both ipBlock and another peer');
      return undefined;
    }
    const peer: NetworkPolicyPeer = { index, path };
    if (!isAbsent(raw.podSelector)) peer.podSelector = this.selector(raw.podSelector, [...path, 'podSelector']);
    if (!isAbsent(raw.namespaceSelector)) peer.namespaceSelector = this.selector(raw.namespaceSelector, [...path, 'namespaceSelector']);
    if (!isAbsent(raw.ipBlock)) peer.ipBlock = this.ipBlock(raw.ipBlock, [...path, 'ipBlock']);
    return given.every((k) => peer[k] !== undefined) ? peer : undefined;
  }

  ipBlock(raw: unknown, path: Path): IpBlock | undefined {
    if (!isRecord(raw)) {
      this.issue(path, 'ipBlock must be an object');
      return undefined;
    }
    if (typeof raw.cidr !== 'string' || !raw.cidr) {
      this.issue([...path, 'cidr'], 'ipBlock needs a cidr');
      return undefined;
    }
    const cidr = parseCidr(raw.cidr);
    if (!cidr) {
      this.issue([...path, 'cidr'], `"${raw.cidr}" is not a valid CIDR`);
      return undefined;
    }
    const except: string[] = [];
    let ok = isAbsent(raw.except) || Array.isArray(raw.except);
    (this.list(raw.except, [...path, 'except']) ?? []).forEach((e, i) => {
      const c = typeof e === 'string' ? parseCidr(e) : undefined;
      if (!c) {
        this.issue([...path, 'except', i], `"${show(e)}" is not a valid CIDR`);
        ok = false;
        return;
      }
      // Kept and evaluated as written: the policy is invalid either way, the issue says so.
      if (!cidrStrictlyWithin(c, cidr)) this.issue([...path, 'except', i], 'must be a strict subset of `cidr`');
      except.push(e as string);
    });
    return ok ? { cidr: raw.cidr, except } : undefined;
  }

  port(raw: unknown, index: number, path: Path): NetworkPolicyPort | undefined {
    if (raw === null) return { index, protocol: 'TCP', path }; // decodes to the zero port: every TCP port
    if (!isRecord(raw)) {
      this.issue(path, 'a port must be an object');
      return undefined;
    }
    const before = this.issues.length;
    const port: NetworkPolicyPort = { index, protocol: 'TCP', path };
    if (!isAbsent(raw.protocol)) {
      if (typeof raw.protocol === 'string' && PROTOCOLS.has(raw.protocol)) port.protocol = raw.protocol as Protocol;
      else this.issue([...path, 'protocol'], `unsupported protocol "${show(raw.protocol)}" (TCP, UDP or SCTP)`);
    }
    const p = raw.port;
    if (isPortNumber(p) || (typeof p === 'string' && isValidPortName(p))) port.port = p;
    else if (!isAbsent(p)) this.issue([...path, 'port'], `"${show(p)}" is neither a port number (1-65535) nor a port name`);
    const end = raw.endPort;
    if (!isAbsent(end)) {
      const endPath = [...path, 'endPort'];
      if (!isPortNumber(end)) this.issue(endPath, `endPort "${show(end)}" is not a port number (1-65535)`);
      else if (isAbsent(p)) this.issue(endPath, 'endPort may not be specified when `port` is not specified');
      else if (typeof p === 'string') this.issue(endPath, 'endPort may not be specified when `port` is non-numeric');
      else if (typeof p === 'number' && end < p) this.issue(endPath, 'endPort must be greater than or equal to `port`');
      else port.endPort = end;
    }
    return this.issues.length > before ? undefined : port;
  }
}

function policyTypesOf(spec: Raw, parser: Parser): { types: PolicyType[]; defaulted: boolean } {
  const raw = spec.policyTypes;
  if (Array.isArray(raw) && raw.length > 0) {
    if (raw.length > 2) parser.issue(['spec', 'policyTypes'], 'may not specify more than two policyTypes');
    const types = new Set<PolicyType>();
    raw.forEach((t: unknown, i) => {
      if (t === 'Ingress' || t === 'Egress') types.add(t);
      else parser.issue(['spec', 'policyTypes', i], `unsupported policy type "${show(t)}" (Ingress or Egress)`);
    });
    return { types: [...types], defaulted: false };
  }
  if (!isAbsent(raw) && !Array.isArray(raw)) parser.issue(['spec', 'policyTypes'], 'must be a list');
  const hasEgressRules = Array.isArray(spec.egress) && spec.egress.length > 0;
  return { types: hasEgressRules ? ['Ingress', 'Egress'] : ['Ingress'], defaulted: true };
}

/** The typed, defaulted view of a NetworkPolicy manifest; never throws. */
export function parseNetworkPolicy(m: Manifest): NetworkPolicyInfo {
  const parser = new Parser();
  const info: NetworkPolicyInfo = {
    m,
    name: m.name,
    namespace: m.namespace,
    podSelector: {},
    policyTypes: [],
    policyTypesDefaulted: false,
    ingress: [],
    egress: [],
    issues: parser.issues,
  };
  const rawSpec = m.obj.spec;
  if (!isAbsent(rawSpec) && !isRecord(rawSpec)) {
    parser.issue(['spec'], 'spec must be an object');
    info.podSelector = undefined;
    return info;
  }
  // An absent spec decodes to the zero spec: it selects every pod and denies all their ingress.
  const spec: Raw = isRecord(rawSpec) ? rawSpec : {};
  if (!isAbsent(spec.podSelector)) info.podSelector = parser.selector(spec.podSelector, ['spec', 'podSelector']);
  const { types, defaulted } = policyTypesOf(spec, parser);
  info.policyTypes = types;
  info.policyTypesDefaulted = defaulted;
  for (const [key, peersKey] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    const rules = parser.list(spec[key], ['spec', key]) ?? [];
    info[key] = rules.flatMap((r, i) => parser.rule(r, i, ['spec', key, i], peersKey) ?? []);
  }
  return info;
}
