// Property tests: evaluateConnection and labelSelectorMatches against naive references written from the wording of
// https://kubernetes.io/docs/concepts/services-networking/network-policies/ and the networking.k8s.io/v1 and
// metav1.LabelSelector API reference, over random policies in a small universe of names, labels and ports.
import assert from 'node:assert/strict';
import { BlockList, isIPv6 } from 'node:net';
import { test } from 'node:test';
import fc from 'fast-check';
import { toManifest } from '../../src/manifest/load.js';
import type { K8sObject } from '../../src/manifest/types.js';
import {
  cidrContains,
  evaluateConnection,
  labelSelectorMatches,
  labelSelectorMatchesKnown,
  parseCidr,
  parseIp,
  parseNetworkPolicy,
  type Connection,
  type Direction,
  type Endpoint,
  type LabelSelector,
} from '../../src/model/netpol.js';

// Every assert.ok has a message: without one, Node re-parses the (transpiled) source to build it, which can hang.
const RUNS = { numRuns: 400 };

// ---- The reference, straight from the docs' sentences (raw objects in, booleans out). ----

type RawSelector = { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };
type Labels = Record<string, string>;

/** "An empty label selector matches all objects. A null label selector matches no objects." */
function refSelects(sel: RawSelector | undefined, labels: Labels): boolean {
  if (sel === undefined) return false;
  // "{key,value} in the matchLabels map is equivalent to an element of matchExpressions, whose key field is
  // "key", the operator is "In", and the values array contains only "value"."
  const reqs = [
    ...Object.keys(sel.matchLabels ?? {}).map((key) => ({ key, operator: 'In', values: [sel.matchLabels![key]!] })),
    ...(sel.matchExpressions ?? []),
  ];
  // "Valid operators are In, NotIn, Exists and DoesNotExist." "If the operator is In or NotIn, the values array
  // must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty."
  // A selector the API rejects cannot select anything.
  for (const r of reqs) {
    const n = (r.values ?? []).length;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(r.operator)) return false;
    if ((r.operator === 'In' || r.operator === 'NotIn') && n === 0) return false;
    if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && n > 0) return false;
  }
  // "The requirements are ANDed."
  const keys = Object.keys(labels);
  return reqs.every((r) => {
    if (r.operator === 'Exists') return keys.includes(r.key);
    if (r.operator === 'DoesNotExist') return !keys.includes(r.key);
    const listed = keys.includes(r.key) && r.values!.includes(labels[r.key]!);
    return r.operator === 'In' ? listed : !listed;
  });
}

type RawPeer = { podSelector?: RawSelector; namespaceSelector?: RawSelector; ipBlock?: { cidr: string; except?: string[] } };
type RawPort = { protocol?: string; port?: number | string; endPort?: number };
type RawRule = { from?: RawPeer[]; to?: RawPeer[]; ports?: RawPort[] };
type RawPolicy = {
  metadata: { name: string; namespace: string };
  spec: { podSelector?: RawSelector; policyTypes?: string[]; ingress?: RawRule[]; egress?: RawRule[] };
};
type FullEndpoint = Required<Endpoint>;

function refInCidr(ip: string, cidr: string): boolean {
  const [net, len] = cidr.split('/') as [string, string];
  const family = isIPv6(net) ? 'ipv6' : 'ipv4';
  if (family !== (isIPv6(ip) ? 'ipv6' : 'ipv4')) return false;
  const list = new BlockList();
  list.addSubnet(net, Number(len), family);
  return list.check(ip, family);
}

/** "If no policyTypes are specified ... Ingress will always be set and Egress will be set if the NetworkPolicy has any egress rules." */
function refPolicyTypes(p: RawPolicy): string[] {
  if (p.spec.policyTypes?.length) return p.spec.policyTypes;
  return p.spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
}

function refPeer(peer: RawPeer, policyNs: string, pod: FullEndpoint): boolean {
  // ipBlock: "particular IP CIDR ranges to allow"; "except ... CIDRs that should not be included within this rule".
  if (peer.ipBlock) return refInCidr(pod.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((e) => refInCidr(pod.ip, e));
  const nsLabels = { ...pod.namespaceLabels, 'kubernetes.io/metadata.name': pod.namespace };
  // "namespaceSelector and podSelector: ... selects particular Pods within particular namespaces."
  if (peer.namespaceSelector && peer.podSelector)
    return refSelects(peer.namespaceSelector, nsLabels) && refSelects(peer.podSelector, pod.labels);
  // "namespaceSelector: This selects particular namespaces for which all Pods should be allowed"
  if (peer.namespaceSelector) return refSelects(peer.namespaceSelector, nsLabels);
  // "podSelector: This selects particular Pods in the same namespace as the NetworkPolicy"
  return pod.namespace === policyNs && refSelects(peer.podSelector, pod.labels);
}

function refPort(p: RawPort, c: Connection): boolean {
  if ((p.protocol ?? 'TCP') !== (c.protocol ?? 'TCP')) return false;
  if (p.port === undefined) return true; // "If this field is not provided, this matches all port names and numbers."
  if (typeof p.port === 'string') return Object.entries(c.destination.namedPorts!).some(([n, v]) => n === p.port && v === c.port);
  if (p.endPort !== undefined) return p.port <= c.port && c.port <= p.endPort; // "the range of ports from port to endPort, inclusive"
  return p.port === c.port;
}

/** "each rule allows traffic which matches both the from and ports sections"; an empty or missing list matches all. */
function refRuleAdmits(rule: RawRule, dir: Direction, policyNs: string, c: Connection): boolean {
  const peers = dir === 'ingress' ? rule.from : rule.to;
  const other = (dir === 'ingress' ? c.source : c.destination) as FullEndpoint;
  const peerOk = !peers || peers.length === 0 || peers.some((p) => refPeer(p, policyNs, other));
  const portOk = !rule.ports || rule.ports.length === 0 || rule.ports.some((p) => refPort(p, c));
  return peerOk && portOk;
}

/** "A pod is isolated for ingress if there is any NetworkPolicy that both selects the pod and has Ingress in its policyTypes". */
function refIsolating(policies: RawPolicy[], dir: Direction, pod: Endpoint): RawPolicy[] {
  const type = dir === 'ingress' ? 'Ingress' : 'Egress';
  return policies.filter(
    (p) => p.metadata.namespace === pod.namespace && refPolicyTypes(p).includes(type) && refSelects(p.spec.podSelector ?? {}, pod.labels),
  );
}

/** "the only allowed connections ... are those allowed by the ingress list of some NetworkPolicy that applies to the pod". */
function refSide(policies: RawPolicy[], dir: Direction, c: Connection): boolean {
  const isolating = refIsolating(policies, dir, dir === 'ingress' ? c.destination : c.source);
  return isolating.length === 0 || isolating.some((p) => (p.spec[dir] ?? []).some((r) => refRuleAdmits(r, dir, p.metadata.namespace, c)));
}

// ---- The universe. ----

const NAMESPACES = ['apps', 'istio-gateway', 'istio-system'];
const POD_KEYS = ['app', 'tier', 'istio'];
const POD_VALUES = ['a', 'b', 'c'];
const NS_KEYS = ['team', 'env', 'kubernetes.io/metadata.name'];
const NS_VALUES = ['x', 'y', ...NAMESPACES];
const PORTS = [80, 443, 8080, 15012];
const CONN_PORTS = [...PORTS, 81, 9000, 15010, 15020];
const PORT_NAMES = ['http', 'grpc', 'metrics'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
const IPS = ['10.0.0.1', '10.0.1.5', '192.168.1.1', 'fd00::1', 'fd00::1:5', '2001:db8::1'];
const CIDRS = [
  '10.0.0.0/8',
  '10.0.0.0/24',
  '10.0.1.0/24',
  '10.0.1.4/30',
  '0.0.0.0/0',
  '192.168.0.0/16',
  'fd00::/8',
  'fd00::1:0/112',
  '::/0',
];

const labels = (keys: string[], values: string[]) =>
  fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values), { maxKeys: keys.length });
const requirement = (keys: string[], values: string[], operators: string[]) =>
  fc.record(
    {
      key: fc.constantFrom(...keys),
      operator: fc.constantFrom(...operators),
      values: fc.uniqueArray(fc.constantFrom(...values), { maxLength: 2 }),
    },
    { requiredKeys: ['key', 'operator'] },
  );
/** Valid selectors: In/NotIn with values, Exists/DoesNotExist without. */
const validSelector = (keys: string[], values: string[]) =>
  fc.record(
    {
      matchLabels: labels(keys, values),
      matchExpressions: fc.array(
        fc.oneof(
          fc.record({
            key: fc.constantFrom(...keys),
            operator: fc.constantFrom('In', 'NotIn'),
            values: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 2 }),
          }),
          fc.record({ key: fc.constantFrom(...keys), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
        ),
        { maxLength: 2 },
      ),
    },
    { requiredKeys: [] },
  );
const podSelector = validSelector(POD_KEYS, POD_VALUES);
const nsSelector = validSelector(NS_KEYS, NS_VALUES);
const optionalList = <T>(item: fc.Arbitrary<T>) => fc.option(fc.array(item, { maxLength: 3 }), { nil: undefined });

const peer: fc.Arbitrary<RawPeer> = fc.oneof(
  fc.record({ podSelector }),
  fc.record({ namespaceSelector: nsSelector }),
  fc.record({ podSelector, namespaceSelector: nsSelector }),
  fc.record({ ipBlock: fc.record({ cidr: fc.constantFrom(...CIDRS), except: fc.array(fc.constantFrom(...CIDRS), { maxLength: 2 }) }) }),
);
const protocol = fc.option(fc.constantFrom(...PROTOCOLS), { nil: undefined });
const port: fc.Arbitrary<RawPort> = fc.oneof(
  fc.record({ protocol }, { requiredKeys: [] }),
  fc.record({ protocol, port: fc.constantFrom(...PORTS) }, { requiredKeys: ['port'] }),
  fc.record({ protocol, port: fc.constantFrom(...PORT_NAMES) }, { requiredKeys: ['port'] }),
  // endPort often on a connection port, so that both range bounds are exercised.
  fc
    .record({ protocol, port: fc.constantFrom(...PORTS), end: fc.constantFrom(...CONN_PORTS) }, { requiredKeys: ['port', 'end'] })
    .map(({ end, ...p }) => ({ ...p, endPort: Math.max(p.port, end) })),
);
const rule = (peersKey: 'from' | 'to'): fc.Arbitrary<RawRule> =>
  fc.record({ [peersKey]: optionalList(peer), ports: optionalList(port) }, { requiredKeys: [] }) as fc.Arbitrary<RawRule>;
const policy: fc.Arbitrary<RawPolicy> = fc
  .record({
    namespace: fc.constantFrom(...NAMESPACES),
    spec: fc.record(
      {
        // Biased towards selecting pods, so that most cases exercise isolation and rules.
        podSelector: fc.oneof(fc.constant({}), podSelector),
        policyTypes: fc.subarray(['Ingress', 'Egress']).chain((ts) => fc.shuffledSubarray(ts, { minLength: ts.length })),
        ingress: fc.array(rule('from'), { maxLength: 3 }),
        egress: fc.array(rule('to'), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    ),
  })
  .map(({ namespace, spec }) => ({ metadata: { name: 'p', namespace }, spec }));
const policies = fc.array(policy, { maxLength: 6 }).map((ps) => ps.map((p, i) => ({ ...p, metadata: { ...p.metadata, name: `p${i}` } })));

const namespaceLabels = fc.record(Object.fromEntries(NAMESPACES.map((n) => [n, labels(NS_KEYS.slice(0, 2), NS_VALUES.slice(0, 2))])));
const pod = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  labels: labels(POD_KEYS, POD_VALUES),
  ip: fc.constantFrom(...IPS),
  namedPorts: fc.dictionary(fc.constantFrom(...PORT_NAMES), fc.constantFrom(...CONN_PORTS), { maxKeys: 3 }),
});
/** A connection with everything known (namespace labels consistent per namespace). */
const connection: fc.Arbitrary<Connection> = fc
  .record({ nsLabels: namespaceLabels, source: pod, destination: pod, port: fc.constantFrom(...CONN_PORTS), protocol })
  .map(({ nsLabels, source, destination, port, protocol }) => ({
    source: { ...source, namespaceLabels: nsLabels[source.namespace]! },
    destination: { ...destination, namespaceLabels: nsLabels[destination.namespace]! },
    port,
    ...(protocol ? { protocol } : {}),
  }));

const parseAll = (raw: RawPolicy[]) =>
  raw.map((p) =>
    parseNetworkPolicy(
      toManifest(structuredClone({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', ...p }) as K8sObject, { stage: 'input' }),
    ),
  );

// ---- Properties. ----

test('labelSelectorMatches agrees with the reference, valid and invalid selectors alike', () => {
  const anySelector = fc.record(
    {
      matchLabels: labels(POD_KEYS, POD_VALUES),
      matchExpressions: fc.array(requirement(POD_KEYS, POD_VALUES, ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Equals']), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(fc.option(anySelector, { nil: undefined }), labels(POD_KEYS, POD_VALUES), (sel, l) => {
      assert.equal(labelSelectorMatches(sel as LabelSelector | undefined, l), refSelects(sel, l));
    }),
    { numRuns: 1000 },
  );
});

test('labelSelectorMatchesKnown: complete knowledge is labelSelectorMatches; a definite partial answer holds for every completion', () => {
  fc.assert(
    fc.property(podSelector, labels(POD_KEYS, POD_VALUES), fc.subarray(POD_KEYS), (sel, full, knownKeys) => {
      const s = sel as LabelSelector;
      assert.equal(labelSelectorMatchesKnown(s, full, true), labelSelectorMatches(s, full));
      const known = Object.fromEntries(Object.entries(full).filter(([k]) => knownKeys.includes(k)));
      const partial = labelSelectorMatchesKnown(s, known, false);
      if (partial !== 'unknown') assert.equal(partial, labelSelectorMatches(s, full));
    }),
    RUNS,
  );
});

test('with everything known, evaluateConnection is decided and agrees with the reference on both sides', () => {
  fc.assert(
    fc.property(policies, connection, (raw, c) => {
      const v = evaluateConnection(parseAll(raw), c);
      const egress = refSide(raw, 'egress', c);
      const ingress = refSide(raw, 'ingress', c);
      assert.equal(v.egress.allowed, egress);
      assert.equal(v.ingress.allowed, ingress);
      assert.equal(v.allowed, egress && ingress);
      assert.deepEqual(
        v.deniedBy,
        (['egress', 'ingress'] as const).filter((d) => !(d === 'egress' ? egress : ingress)),
      );
    }),
    RUNS,
  );
});

test('the verdict names the isolating policies and an admitting rule that really admits', () => {
  fc.assert(
    fc.property(policies, connection, (raw, c) => {
      const v = evaluateConnection(parseAll(raw), c);
      for (const side of [v.egress, v.ingress]) {
        const isolating = refIsolating(raw, side.direction, side.direction === 'ingress' ? c.destination : c.source);
        assert.deepEqual(
          side.isolatedBy.map((p) => p.name),
          isolating.map((p) => p.metadata.name),
        );
        if (!side.admittedBy) {
          assert.ok(isolating.length === 0 || side.allowed !== true, 'an isolated side that passes names its rule');
          continue;
        }
        const { policy, ruleIndex, peerIndex, portIndex } = side.admittedBy;
        const r = raw.find((p) => p.metadata.name === policy.name)!;
        const rawRule = r.spec[side.direction]![ruleIndex]!;
        const peers = side.direction === 'ingress' ? rawRule.from : rawRule.to;
        // The reported entries alone admit the connection; an undefined index means the rule lists none.
        const narrowed: RawRule = {
          ...rawRule,
          from: undefined,
          to: undefined,
          ports: portIndex === undefined ? undefined : [rawRule.ports![portIndex]!],
        };
        if (peerIndex !== undefined) narrowed[side.direction === 'ingress' ? 'from' : 'to'] = [peers![peerIndex]!];
        else assert.ok(!peers?.length, 'no peer index only when the rule lists no peers');
        if (portIndex === undefined) assert.ok(!rawRule.ports?.length, 'no port index only when the rule lists no ports');
        assert.ok(refRuleAdmits(narrowed, side.direction, r.metadata.namespace, c), 'the reported peer and port admit the connection');
      }
    }),
    RUNS,
  );
});

test('with some input missing, a definite answer is the full answer, and an unknown one says why', () => {
  const hide = fc.record({ srcNs: fc.boolean(), dstNs: fc.boolean(), srcIp: fc.boolean(), dstIp: fc.boolean(), names: fc.boolean() });
  fc.assert(
    fc.property(policies, connection, hide, (raw, c, h) => {
      const ps = parseAll(raw);
      const partial: Connection = {
        ...c,
        source: { ...c.source, namespaceLabels: h.srcNs ? undefined : c.source.namespaceLabels, ip: h.srcIp ? undefined : c.source.ip },
        destination: {
          ...c.destination,
          namespaceLabels: h.dstNs ? undefined : c.destination.namespaceLabels,
          ip: h.dstIp ? undefined : c.destination.ip,
          namedPorts: h.names ? undefined : c.destination.namedPorts,
        },
      };
      const v = evaluateConnection(ps, partial);
      const full = refSide(raw, 'egress', c) && refSide(raw, 'ingress', c);
      if (v.allowed === 'unknown') assert.ok(v.unknowns.length > 0, 'an unknown verdict gives its reasons');
      else assert.equal(v.allowed, full);
    }),
    { numRuns: 600 },
  );
});

test('CIDR containment agrees with node:net BlockList for IPv4 and IPv6', () => {
  const v4 = fc.tuple(fc.ipV4(), fc.ipV4(), fc.integer({ min: 0, max: 32 }));
  const v6 = fc.tuple(fc.ipV6(), fc.ipV6(), fc.integer({ min: 0, max: 128 }));
  fc.assert(
    fc.property(fc.oneof(v4, v6), ([ip, net, len]) => {
      const addr = parseIp(ip);
      const cidr = parseCidr(`${net}/${len}`);
      assert.ok(addr && cidr, `${ip} ${net}/${len}`);
      fc.pre(addr.bits === (isIPv6(ip) ? 128 : 32) && cidr.bits === (isIPv6(net) ? 128 : 32)); // mapped IPv4 is ours alone
      // BlockList needs the network address itself; the evaluator masks host bits as the API server's parser does.
      const list = new BlockList();
      list.addSubnet(net, len, isIPv6(net) ? 'ipv6' : 'ipv4');
      assert.equal(cidrContains(cidr, addr), list.check(ip, isIPv6(ip) ? 'ipv6' : 'ipv4'));
    }),
    { numRuns: 1000 },
  );
});

test('parsing and evaluating arbitrary JSON in a spec never throws', () => {
  const junk = fc.jsonValue({ maxDepth: 4 });
  const spec = fc.oneof(
    junk,
    fc.record(
      { podSelector: junk, policyTypes: junk, ingress: fc.array(fc.record({ from: junk, ports: junk })), egress: junk },
      { requiredKeys: [] },
    ),
    fc.record({
      ingress: fc.array(fc.record({ from: fc.array(fc.record({ podSelector: junk, namespaceSelector: junk, ipBlock: junk })) })),
    }),
  );
  fc.assert(
    fc.property(spec, connection, (s, c) => {
      const m = toManifest(
        { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'j', namespace: 'apps' }, spec: s },
        { stage: 'input' },
      );
      const v = evaluateConnection([parseNetworkPolicy(m)], c);
      assert.ok([true, false, 'unknown'].includes(v.allowed), 'a verdict is true, false or unknown');
    }),
    RUNS,
  );
});
