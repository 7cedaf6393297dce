// Table tests of NetworkPolicy parsing and connection evaluation over small manifest fixtures.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadManifests, toManifest } from '../../src/manifest/load.js';
import { locate } from '../../src/manifest/locate.js';
import {
  evaluateConnection,
  labelSelectorMatches,
  labelSelectorMatchesKnown,
  parseCidr,
  parseIp,
  parseNetworkPolicy,
  type Connection,
  type Endpoint,
  type LabelSelector,
  type NetworkPolicyInfo,
} from '../../src/model/netpol.js';

function policies(yaml: string): NetworkPolicyInfo[] {
  return loadManifests(yaml, { file: 'test.yaml', stage: 'input' })
    .filter((m) => m.kind === 'NetworkPolicy')
    .map(parseNetworkPolicy);
}

/** One NetworkPolicy document; `spec` is indented YAML under `spec:`. */
const np = (name: string, namespace: string, spec: string) =>
  `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n${spec}\n`;

const gateway: Endpoint = {
  namespace: 'istio-gateway',
  namespaceLabels: { 'app.kubernetes.io/name': 'istio-gateway' },
  labels: { app: 'public-ingressgateway', istio: 'ingressgateway' },
};
const prometheus: Endpoint = {
  namespace: 'monitoring',
  namespaceLabels: { 'app.kubernetes.io/name': 'monitoring' },
  labels: { 'app.kubernetes.io/name': 'prometheus' },
};
const podinfo: Endpoint = {
  namespace: 'podinfo',
  namespaceLabels: { 'app.kubernetes.io/name': 'podinfo' },
  labels: { 'app.kubernetes.io/name': 'podinfo' },
  namedPorts: { http: 9898, 'http-metrics': 9797 },
};
const istiod: Endpoint = {
  namespace: 'istio-system',
  namespaceLabels: { 'app.kubernetes.io/name': 'istio-controlplane' },
  labels: { app: 'istiod', istio: 'pilot' },
};
const toPodinfo = (source: Endpoint, port = 9898, extra: Partial<Connection> = {}): Connection => ({
  source,
  destination: podinfo,
  port,
  ...extra,
});

const DENY_INGRESS = np('default-deny', 'podinfo', '  podSelector: {}\n  policyTypes: [Ingress]');
const ALLOW_GATEWAY_NS = np(
  'allow-gateway',
  'podinfo',
  `  podSelector:
    matchLabels:
      app.kubernetes.io/name: podinfo
  policyTypes: [Ingress]
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          app.kubernetes.io/name: istio-gateway
      podSelector:
        matchLabels:
          istio: ingressgateway
    ports:
    - port: 9898`,
);

describe('ingress at the destination', () => {
  test('no policy: every connection passes and no side is isolated', () => {
    const v = evaluateConnection([], toPodinfo(gateway));
    assert.equal(v.allowed, true);
    assert.deepEqual(v.deniedBy, []);
    assert.deepEqual([v.ingress.isolatedBy, v.egress.isolatedBy], [[], []]);
  });

  test('default-deny ingress denies, names the isolating policy and leaves egress open', () => {
    const v = evaluateConnection(policies(DENY_INGRESS), toPodinfo(gateway));
    assert.equal(v.allowed, false);
    assert.deepEqual(v.deniedBy, ['ingress']);
    assert.deepEqual(
      v.ingress.isolatedBy.map((p) => p.name),
      ['default-deny'],
    );
    assert.equal(v.egress.allowed, true);
    assert.match(v.reason, /isolated by podinfo\/default-deny and no ingress rule admits TCP\/9898/);
  });

  test('allow from the gateway namespace by label: the admitting rule and peer point at their line', () => {
    const text = DENY_INGRESS + ALLOW_GATEWAY_NS;
    const ps = policies(text);
    const v = evaluateConnection(ps, toPodinfo(gateway));
    assert.equal(v.allowed, true);
    const by = v.ingress.admittedBy!;
    assert.equal(by.policy.name, 'allow-gateway');
    assert.deepEqual([by.ruleIndex, by.peerIndex, by.portIndex], [0, 0, 0]);
    assert.deepEqual(by.path, ['spec', 'ingress', 0, 'from', 0]);
    assert.equal(locate(by.policy.m, by.path)?.line, text.split('\n').indexOf('    - namespaceSelector:') + 1);
    assert.deepEqual(
      v.ingress.isolatedBy.map((p) => p.name),
      ['default-deny', 'allow-gateway'],
    );
    // Prometheus is in another namespace; a gateway-labelled pod outside the gateway namespace is not admitted.
    assert.equal(evaluateConnection(ps, toPodinfo(prometheus)).allowed, false);
    assert.equal(evaluateConnection(ps, toPodinfo({ ...prometheus, labels: gateway.labels })).allowed, false);
  });

  test('kubernetes.io/metadata.name is implied, even when the namespace labels are not known', () => {
    const ps = policies(
      DENY_INGRESS +
        np(
          'by-name',
          'podinfo',
          '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: istio-gateway}}',
        ),
    );
    assert.equal(evaluateConnection(ps, toPodinfo(gateway)).allowed, true);
    assert.equal(evaluateConnection(ps, toPodinfo({ ...gateway, namespaceLabels: undefined })).allowed, true);
    // The name label cannot be overridden by a given label set, and a different name is a definite no.
    assert.equal(evaluateConnection(ps, toPodinfo({ ...gateway, namespaceLabels: { 'kubernetes.io/metadata.name': 'x' } })).allowed, true);
    assert.equal(evaluateConnection(ps, toPodinfo({ ...prometheus, namespaceLabels: undefined })).allowed, false);
  });

  test('a namespace selector over labels that are not known is unknown, with the reason', () => {
    const ps = policies(DENY_INGRESS + ALLOW_GATEWAY_NS);
    const v = evaluateConnection(ps, toPodinfo({ ...gateway, namespaceLabels: undefined }));
    assert.equal(v.allowed, 'unknown');
    assert.deepEqual(
      v.unknowns.map((u) => [u.code, u.policy.name, u.ruleIndex, u.peerIndex]),
      [['namespace-labels-unknown', 'allow-gateway', 0, 0]],
    );
    // ...but a pod selector that does not match decides it without the namespace's labels.
    assert.equal(evaluateConnection(ps, toPodinfo({ ...gateway, namespaceLabels: undefined, labels: { app: 'other' } })).allowed, false);
  });

  test('a podSelector-only peer means pods of the policy namespace; a namespaceSelector-only peer all pods there', () => {
    const ps = policies(
      DENY_INGRESS +
        np('same-ns', 'podinfo', '  podSelector: {}\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels: {role: client}') +
        np(
          'all-of-monitoring',
          'podinfo',
          '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels: {app.kubernetes.io/name: monitoring}',
        ),
    );
    const client = { namespace: 'podinfo', namespaceLabels: {}, labels: { role: 'client' } };
    assert.equal(evaluateConnection(ps, toPodinfo(client)).ingress.admittedBy?.policy.name, 'same-ns');
    assert.equal(evaluateConnection(ps, toPodinfo({ ...gateway, labels: { role: 'client' } })).allowed, false);
    assert.equal(evaluateConnection(ps, toPodinfo(prometheus)).ingress.admittedBy?.policy.name, 'all-of-monitoring');
  });

  test('namespaceSelector and podSelector in one peer are ANDed; as two peers they are ORed', () => {
    const and = policies(ALLOW_GATEWAY_NS);
    const or = policies(
      np(
        'or',
        'podinfo',
        `  podSelector: {}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {app.kubernetes.io/name: istio-gateway}}
    - podSelector: {matchLabels: {istio: ingressgateway}}`,
      ),
    );
    const otherGatewayPod = { ...gateway, labels: { app: 'debug' } };
    assert.equal(evaluateConnection(and, toPodinfo(otherGatewayPod)).allowed, false);
    const v = evaluateConnection(or, toPodinfo(otherGatewayPod));
    assert.equal(v.allowed, true);
    assert.equal(v.ingress.admittedBy?.peerIndex, 0);
  });

  test('an empty selector `{}` in a peer: every namespace, or every pod of the policy namespace', () => {
    const anyNs = policies(np('any-ns', 'podinfo', '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {}'));
    assert.equal(evaluateConnection(anyNs, toPodinfo({ ...prometheus, namespaceLabels: undefined })).allowed, true);
    const samePods = policies(np('same', 'podinfo', '  podSelector: {}\n  ingress:\n  - from:\n    - podSelector: {}'));
    assert.equal(evaluateConnection(samePods, toPodinfo({ ...podinfo, labels: {} })).allowed, true);
    assert.equal(evaluateConnection(samePods, toPodinfo(prometheus)).allowed, false);
  });
});

describe('ports', () => {
  const ps = policies(
    DENY_INGRESS +
      np(
        'ports',
        'podinfo',
        `  podSelector: {}
  ingress:
  - ports:
    - port: http
    - port: 15000
      endPort: 15010
    - protocol: UDP
      port: 53
    - protocol: SCTP`,
      ),
  );
  const cases: Array<[string, Partial<Connection>, boolean | 'unknown', number | undefined]> = [
    ['named port that the destination maps to the connection port', { port: 9898 }, true, 0],
    ['a port no entry lists', { port: 9797 }, false, undefined],
    ['endPort range, lower bound', { port: 15000 }, true, 1],
    ['endPort range, upper bound', { port: 15010 }, true, 1],
    ['just past endPort', { port: 15011 }, false, undefined],
    ['UDP port on UDP', { port: 53, protocol: 'UDP' }, true, 2],
    ['UDP port on TCP', { port: 53 }, false, undefined],
    ['a port-less entry admits every port of its protocol', { port: 7, protocol: 'SCTP' }, true, 3],
    ['a port-less SCTP entry does not admit TCP', { port: 7 }, false, undefined],
    ['named port, port names not known', { port: 9898, destination: { ...podinfo, namedPorts: undefined } }, 'unknown', undefined],
    ['named port, the destination has no such name', { port: 9898, destination: { ...podinfo, namedPorts: {} } }, false, undefined],
  ];
  for (const [name, extra, allowed, portIndex] of cases) {
    test(name, () => {
      const v = evaluateConnection(ps, toPodinfo(gateway, 0, extra));
      assert.equal(v.allowed, allowed);
      assert.equal(v.ingress.admittedBy?.portIndex, portIndex);
      if (allowed === 'unknown')
        assert.deepEqual(
          v.unknowns.map((u) => [u.code, u.portIndex]),
          [['named-port-unknown', 0]],
        );
    });
  }

  test('a port name that is also an Object member is looked up as a plain name', () => {
    const named = policies(DENY_INGRESS + np('odd-name', 'podinfo', '  podSelector: {}\n  ingress:\n  - ports: [{port: constructor}]'));
    assert.equal(evaluateConnection(named, toPodinfo(gateway, 9898, { destination: { ...podinfo, namedPorts: {} } })).allowed, false);
  });

  test('a numeric port in a rule with peers needs both to match', () => {
    const both = policies(DENY_INGRESS + ALLOW_GATEWAY_NS);
    assert.equal(evaluateConnection(both, toPodinfo(gateway, 9898)).allowed, true);
    assert.equal(evaluateConnection(both, toPodinfo(gateway, 9797)).allowed, false);
  });
});

describe('ipBlock peers', () => {
  const ps = policies(
    DENY_INGRESS +
      np(
        'from-vpc',
        'podinfo',
        `  podSelector: {}
  ingress:
  - from:
    - ipBlock:
        cidr: 10.0.0.0/16
        except: [10.0.5.0/24]
    - ipBlock:
        cidr: fd00::/64`,
      ),
  );
  test('without the source IP the answer is unknown, naming each ipBlock', () => {
    const v = evaluateConnection(ps, toPodinfo(gateway));
    assert.equal(v.allowed, 'unknown');
    assert.deepEqual(
      v.unknowns.map((u) => [u.code, u.path.join('.')]),
      [
        ['ip-unknown', 'spec.ingress.0.from.0'],
        ['ip-unknown', 'spec.ingress.0.from.1'],
      ],
    );
    assert.match(v.reason, /^undecided: .*ipBlock 10\.0\.0\.0\/16 decides and the source IP is not known/);
  });
  const cases: Array<[string, boolean | 'unknown', number | undefined]> = [
    ['10.0.1.7', true, 0],
    ['10.0.5.7', false, undefined],
    ['10.1.0.1', false, undefined],
    ['fd00::1234', true, 1],
    ['FD00:0:0:0:ffff::1', true, 1],
    ['fd00:0:0:1::1', false, undefined],
    ['::ffff:10.0.1.7', true, 0],
    ['not-an-ip', 'unknown', undefined],
  ];
  for (const [ip, allowed, peerIndex] of cases) {
    test(`source IP ${ip}`, () => {
      const v = evaluateConnection(ps, toPodinfo({ ...gateway, ip }));
      assert.equal(v.allowed, allowed);
      assert.equal(v.ingress.admittedBy?.peerIndex, peerIndex);
    });
  }
  test('a definite denial elsewhere wins over an unknown side', () => {
    const egressDeny = policies(np('deny-out', 'istio-gateway', '  podSelector: {}\n  policyTypes: [Egress]'));
    const v = evaluateConnection([...ps, ...egressDeny], toPodinfo(gateway));
    assert.equal(v.allowed, false);
    assert.deepEqual(v.deniedBy, ['egress']);
    assert.deepEqual(v.unknowns, []);
  });
});

describe('rules, policy types and policies adding up', () => {
  test('an empty ingress rule `- {}` (or a null one) admits everything', () => {
    for (const rule of ['- {}', '-']) {
      const v = evaluateConnection(
        policies(DENY_INGRESS + np('all', 'podinfo', `  podSelector: {}\n  ingress:\n  ${rule}`)),
        toPodinfo(prometheus, 1),
      );
      assert.equal(v.allowed, true, rule);
      assert.deepEqual([v.ingress.admittedBy?.policy.name, v.ingress.admittedBy?.peerIndex], ['all', undefined]);
    }
  });

  test('`ingress: []` with no policyTypes isolates for ingress (Ingress is always defaulted)', () => {
    const [p] = policies(np('none', 'podinfo', '  podSelector: {}\n  ingress: []'));
    assert.deepEqual([p!.policyTypes, p!.policyTypesDefaulted], [['Ingress'], true]);
    assert.equal(evaluateConnection([p!], toPodinfo(gateway)).allowed, false);
  });

  test('an absent spec selects every pod and denies their ingress (the zero spec)', () => {
    const ps = policies('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bare, namespace: podinfo}\n');
    assert.deepEqual([ps[0]!.podSelector, ps[0]!.policyTypes, ps[0]!.issues], [{}, ['Ingress'], []]);
    assert.equal(evaluateConnection(ps, toPodinfo(gateway)).allowed, false);
  });

  test('policyTypes defaulting: Egress only when spec.egress has entries', () => {
    const [withRules, emptyList, explicit] = policies(
      np('a', 'podinfo', '  podSelector: {}\n  egress:\n  - to: [{podSelector: {}}]') +
        np('b', 'podinfo', '  podSelector: {}\n  egress: []') +
        np('c', 'podinfo', '  podSelector: {}\n  policyTypes: [Egress, Egress]\n  ingress: [{}]'),
    );
    assert.deepEqual(withRules!.policyTypes, ['Ingress', 'Egress']);
    assert.deepEqual(emptyList!.policyTypes, ['Ingress']);
    assert.deepEqual([explicit!.policyTypes, explicit!.policyTypesDefaulted], [['Egress'], false]);
  });

  test('an egress-only policy isolates the source for egress only', () => {
    const ps = policies(
      np('deny-egress', 'podinfo', '  podSelector: {}\n  policyTypes: [Egress]') +
        np(
          'egress-istiod',
          'podinfo',
          `  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector:
        matchLabels:
          app.kubernetes.io/name: istio-controlplane
      podSelector:
        matchLabels:
          app: istiod
    ports:
    - port: 15012`,
        ),
    );
    const sidecarToIstiod = (port: number): Connection => ({ source: podinfo, destination: istiod, port });
    const ok = evaluateConnection(ps, sidecarToIstiod(15012));
    assert.equal(ok.allowed, true);
    assert.deepEqual([ok.egress.admittedBy?.policy.name, ok.egress.admittedBy?.path], ['egress-istiod', ['spec', 'egress', 0, 'to', 0]]);
    assert.deepEqual(ok.ingress.isolatedBy, []);
    const denied = evaluateConnection(ps, sidecarToIstiod(15010));
    assert.deepEqual([denied.allowed, denied.deniedBy], [false, ['egress']]);
    assert.equal(evaluateConnection(ps, toPodinfo(gateway)).allowed, true); // ingress to podinfo stays open
  });

  test('several policies add up; the first admitting one (input order) is reported', () => {
    const ps = policies(
      DENY_INGRESS +
        ALLOW_GATEWAY_NS +
        np(
          'allow-prometheus',
          'podinfo',
          '  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {app.kubernetes.io/name: monitoring}}',
        ) +
        np('allow-all-9898', 'podinfo', '  podSelector: {}\n  ingress:\n  - ports: [{port: 9898}]'),
    );
    assert.equal(evaluateConnection(ps, toPodinfo(gateway)).ingress.admittedBy?.policy.name, 'allow-gateway');
    assert.equal(evaluateConnection(ps, toPodinfo(prometheus, 9797)).ingress.admittedBy?.policy.name, 'allow-prometheus');
    const byPort = evaluateConnection(ps, toPodinfo(istiod, 9898)).ingress.admittedBy;
    assert.deepEqual(
      [byPort?.policy.name, byPort?.peerIndex, byPort?.path],
      ['allow-all-9898', undefined, ['spec', 'ingress', 0, 'ports', 0]],
    );
    assert.equal(evaluateConnection(ps, toPodinfo(istiod, 9797)).allowed, false);
  });

  test('a policy in another namespace, or one whose podSelector does not select the pod, does not apply', () => {
    const ps = policies(
      np('deny-elsewhere', 'monitoring', '  podSelector: {}\n  policyTypes: [Ingress, Egress]') +
        np('deny-others', 'podinfo', '  podSelector: {matchLabels: {app.kubernetes.io/name: other}}'),
    );
    const v = evaluateConnection(ps, toPodinfo(gateway));
    assert.equal(v.allowed, true);
    assert.deepEqual([v.ingress.isolatedBy, v.egress.isolatedBy], [[], []]);
    // ...while its own namespace's pods are isolated in both directions.
    assert.deepEqual(evaluateConnection(ps, { source: prometheus, destination: prometheus, port: 9090 }).deniedBy, ['egress', 'ingress']);
  });
});

describe('malformed input', () => {
  const ps = policies(
    np('bad-spec-types', 'podinfo', '  podSelector: nope\n  policyTypes: Ingress\n  ingress: nope') +
      np(
        'bad-entries',
        'podinfo',
        `  podSelector: {}
  policyTypes: [Ingress, Sideways]
  ingress:
  - from:
    - null
    - {}
    - ipBlock: {cidr: 10.0.0.0/33}
    - ipBlock: {cidr: 10.0.0.0/8}
      podSelector: {}
    - podSelector: {matchExpressions: [{key: app, operator: Has}]}
    - namespaceSelector: {matchLabels: {team: 7}}
    - podSelector: {matchExpressions: [{key: app, operator: In, values: []}]}
  - ports:
    - port: 0
    - port: "80"
    - endPort: 90
    - {port: http, endPort: 90}
    - {port: 100, endPort: 90}
    - protocol: ICMP
  - 42
  - from: {podSelector: {}}`,
      ),
  );

  test('parsing never throws and records each rejected field with its path', () => {
    const [types, entries] = ps;
    assert.deepEqual(
      types!.issues.map((i) => i.path.join('.')),
      ['spec.podSelector', 'spec.policyTypes', 'spec.ingress'],
    );
    assert.equal(types!.podSelector, undefined);
    assert.deepEqual(
      entries!.issues.map((i) => i.path.join('.')),
      [
        'spec.policyTypes.1',
        ...[0, 1, 2, 3].map((i) => `spec.ingress.0.from.${i}`).map((p, i) => (i === 2 ? `${p}.ipBlock.cidr` : p)),
        'spec.ingress.0.from.4.podSelector.matchExpressions.0',
        'spec.ingress.0.from.5.namespaceSelector.matchLabels.team',
        'spec.ingress.0.from.6.podSelector.matchExpressions.0',
        ...[0, 1].map((i) => `spec.ingress.1.ports.${i}.port`),
        ...[2, 3, 4].map((i) => `spec.ingress.1.ports.${i}.endPort`),
        'spec.ingress.1.ports.5.protocol',
        'spec.ingress.2',
        'spec.ingress.3.from',
      ],
    );
    assert.deepEqual(
      entries!.ingress.map((r) => [r.index, r.peers?.length, r.ports?.length]),
      [
        [0, 0, undefined],
        [1, undefined, 0],
        [3, 0, undefined],
      ],
    );
  });

  test('lists whose entries were all rejected admit nothing instead of everything', () => {
    const v = evaluateConnection([ps[1]!], toPodinfo(gateway));
    assert.deepEqual([v.allowed, v.ingress.isolatedBy.length], [false, 1]);
    // A malformed podSelector selects no pod, so that policy isolates nothing.
    assert.equal(evaluateConnection([ps[0]!], toPodinfo(gateway)).allowed, true);
  });

  test('a spec that is not an object isolates nothing; odd values inside the object do not throw', () => {
    const odd = policies(
      np('x', 'podinfo', '  - 1') + np('y', 'podinfo', '  podSelector: {matchLabels: [1]}\n  egress: [{to: [{ipBlock: {cidr: 1}}]}]'),
    );
    assert.deepEqual(
      odd.map((p) => p.issues.map((i) => i.path.join('.'))),
      [['spec'], ['spec.podSelector.matchLabels', 'spec.egress.0.to.0.ipBlock.cidr']],
    );
    assert.equal(evaluateConnection(odd, toPodinfo(gateway)).allowed, true);
  });

  test('values without a prototype (as from some JSON decoders) are reported, not thrown on', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { x: 1 });
    const m = toManifest(
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'n', namespace: 'podinfo' },
        spec: { ingress: [{ ports: [{ port: bare }] }] },
      },
      { stage: 'input' },
    );
    assert.deepEqual(
      parseNetworkPolicy(m).issues.map((i) => i.message),
      ['"{"x":1}" is neither a port number (1-65535) nor a port name'],
    );
  });

  test('an except outside its cidr is reported and still evaluated as written', () => {
    const [p] = policies(
      np('e', 'podinfo', '  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/16, except: [10.0.0.0/8]}'),
    );
    assert.deepEqual(
      p!.issues.map((i) => i.message),
      ['must be a strict subset of `cidr`'],
    );
    assert.equal(evaluateConnection([p!], toPodinfo({ ...gateway, ip: '10.0.0.1' })).allowed, false);
  });
});

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front' };
  const cases: Array<[string, LabelSelector | undefined, boolean]> = [
    ['empty selects everything', {}, true],
    ['null selects nothing', undefined, false],
    ['matchLabels all equal', { matchLabels: { app: 'web', tier: 'front' } }, true],
    ['matchLabels one differs', { matchLabels: { app: 'web', tier: 'back' } }, false],
    ['matchLabels missing key', { matchLabels: { env: 'prod' } }, false],
    ['In', { matchExpressions: [{ key: 'app', operator: 'In', values: ['db', 'web'] }] }, true],
    ['In, key absent', { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }, false],
    ['NotIn, key absent matches', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, true],
    ['NotIn, value listed', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, false],
    ['Exists', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, false],
    [
      'matchLabels AND matchExpressions',
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] },
      false,
    ],
    ['In without values is invalid: nothing', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: [] }] }, false],
    ['Exists with values is invalid: nothing', { matchExpressions: [{ key: 'zone', operator: 'DoesNotExist', values: ['a'] }] }, false],
    ['an invalid key is invalid: nothing', { matchExpressions: [{ key: 'a b', operator: 'DoesNotExist' }] }, false],
    ['an invalid value is invalid: nothing', { matchLabels: { app: 'web', tier: 'front', x: '-bad' } as Record<string, string> }, false],
    ['keys named like Object members are plain keys', { matchExpressions: [{ key: 'constructor', operator: 'DoesNotExist' }] }, true],
    ['...also in matchLabels', { matchLabels: { toString: 'x' } }, false],
  ];
  for (const [name, sel, expected] of cases) test(name, () => assert.equal(labelSelectorMatches(sel, labels), expected));

  test('with partial knowledge only a requirement on an unknown key is unknown', () => {
    const known = { 'kubernetes.io/metadata.name': 'podinfo' };
    const sel = (s: LabelSelector) => labelSelectorMatchesKnown(s, known, false);
    assert.equal(sel({ matchLabels: { team: 'a' } }), 'unknown');
    assert.equal(sel({ matchLabels: { team: 'a', 'kubernetes.io/metadata.name': 'other' } }), false);
    assert.equal(sel({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['podinfo'] }] }), true);
    assert.equal(sel({ matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['a'] }] }), 'unknown');
  });
});

describe('IP addresses and CIDRs', () => {
  test('host bits are masked, IPv6 forms are equivalent, mapped IPv4 is IPv4', () => {
    assert.deepEqual(parseCidr('10.1.2.3/8'), parseCidr('10.0.0.0/8'));
    assert.deepEqual(parseIp('fd00::1'), parseIp('fd00:0:0:0:0:0:0:1'));
    assert.deepEqual(parseIp('::ffff:10.0.0.1'), parseIp('10.0.0.1'));
    assert.deepEqual(parseCidr('::ffff:10.0.0.0/104'), parseCidr('10.0.0.0/8'));
    assert.equal(parseIp('::1.2.3.4')?.bits, 128);
  });
  for (const bad of ['10.0.0', '10.0.0.256', '1::2::3', '1:2:3:4:5:6:7:8:9', '::1:2:3:4:5:6:7:8', 'fe80::1%eth0', ':1::', '1.2.3.4::']) {
    test(`"${bad}" is not an IP`, () => assert.equal(parseIp(bad), undefined));
  }
  for (const bad of ['10.0.0.0', '10.0.0.0/33', '::/129', '10.0.0.0/-1', '10.0.0.0/ 8']) {
    test(`"${bad}" is not a CIDR`, () => assert.equal(parseCidr(bad), undefined));
  }
});
