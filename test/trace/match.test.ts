// Match semantics (property-based) and Istio's route merge order across VirtualServices.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { uriMatches, stringMatches } from '../../src/model/match.js';
import { mutate, PODINFO, trace, VS_ROUTE } from './helpers.js';

const seg = fc.stringMatching(/^[a-zA-Z0-9._~-]{0,8}$/);
const path = fc.array(seg, { maxLength: 4 }).map((p) => '/' + p.join('/'));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('uri prefix is a plain string prefix (`/api` matches `/apiv2`)', () => {
  fc.assert(
    fc.property(path, seg, (p, rest) => {
      assert.equal(uriMatches({ prefix: p }, p + rest), true);
      assert.equal(uriMatches({ prefix: p + 'Z' }, p + rest), (p + rest).startsWith(p + 'Z'));
    }),
  );
  assert.equal(uriMatches({ prefix: '/api' }, '/apiv2'), true);
});

test('uri regex must match the whole path (query excluded)', () => {
  fc.assert(
    fc.property(
      path,
      seg.filter((s) => s.length > 0),
      (p, extra) => {
        assert.equal(uriMatches({ regex: escape(p) }, p), true);
        assert.equal(uriMatches({ regex: escape(p) }, p + extra), false);
        assert.equal(uriMatches({ regex: escape(p) }, `${p}?q=${extra}`), true);
        assert.equal(uriMatches({ regex: `${escape(p)}.*` }, p + extra), true);
      },
    ),
  );
});

test('ignoreUriCase, exact ignores the query, header presence', () => {
  fc.assert(
    fc.property(path, (p) => {
      assert.equal(uriMatches({ exact: p.toUpperCase() }, p.toLowerCase(), true), true);
      assert.equal(uriMatches({ exact: p }, `${p}?a=1`), true);
    }),
  );
  assert.equal(stringMatches({}, ''), true);
  assert.equal(stringMatches({}, undefined), false);
});

function vsWithRules(prefixes: string[]): string {
  const rules = prefixes
    .map(
      (p) => `    - match:
        - uri:
            prefix: ${JSON.stringify(p)}
      route:
        - destination:
            host: podinfo-podinfo.podinfo.svc.cluster.local
            port:
              number: 9898
`,
    )
    .join('');
  return mutate(PODINFO, VS_ROUTE, `  http:\n${rules}`);
}

test('first match wins among the rules of a VirtualService', () => {
  const prefix = fc.stringMatching(/^\/[ab]{1,3}$/);
  fc.assert(
    fc.property(fc.array(prefix, { minLength: 1, maxLength: 5 }), fc.stringMatching(/^\/[ab]{0,4}$/), (prefixes, p) => {
      const r = trace(vsWithRules(prefixes), `https://podinfo.bigbang.dev${p}`);
      const want = prefixes.findIndex((x) => p.startsWith(x));
      if (want < 0) {
        assert.equal(r.verdict.status, 404);
        assert.equal(r.verdict.flag, 'NR');
      } else {
        assert.equal(r.verdict.ok, true);
        assert.equal(r.hops.find((h) => h.kind === 'route')?.title, `podinfo-podinfo http[${want}]`);
      }
    }),
    { numRuns: 60 },
  );
});

const SECOND_VS = (name: string, ts: string, rule: string, extra = '') => `
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: ${name}
  namespace: podinfo
  creationTimestamp: "${ts}"
spec:
${extra}  gateways: [istio-system/public]
  hosts: [podinfo.bigbang.dev]
  http:
${rule}`;
const RULE = (match: string) => `    - ${match ? `match: [${match}]\n      ` : ''}route:
        - destination: {host: podinfo-podinfo, port: {number: 9898}}
`;

test('several VirtualServices on one host merge: by creationTimestamp, catch-alls last', () => {
  // podinfo-podinfo (no timestamp, catch-all) is first by age, but catch-alls go last.
  const yaml =
    PODINFO +
    SECOND_VS('api', '2024-01-02T00:00:00Z', RULE('{uri: {prefix: /api}}')) +
    SECOND_VS('api-old', '2024-01-01T00:00:00Z', RULE('{uri: {prefix: /ap}}'));
  const r = trace(yaml, 'https://podinfo.bigbang.dev/api/x');
  assert.equal(r.hops.find((h) => h.kind === 'route')?.title, 'api-old http[0]');
  assert.equal(r.hops.find((h) => h.kind === 'virtual-service')?.code, 'MESH011');
  const root = trace(yaml, 'https://podinfo.bigbang.dev/');
  assert.equal(root.hops.find((h) => h.kind === 'route')?.title, 'podinfo-podinfo http[0]');
});

test('exported-to VirtualServices come before public ones', () => {
  const yaml =
    PODINFO +
    SECOND_VS(
      'b-exported',
      '2030-01-01T00:00:00Z',
      RULE('{uri: {prefix: /}, headers: {x: {exact: "1"}}}'),
      '  exportTo: [istio-system]\n',
    ) +
    SECOND_VS('a-public', '2020-01-01T00:00:00Z', RULE('{uri: {prefix: /}, headers: {x: {exact: "1"}}}'));
  const r = trace(yaml, { url: 'https://podinfo.bigbang.dev/', headers: { X: '1' } });
  assert.equal(r.hops.find((h) => h.kind === 'route')?.title, 'b-exported http[0]');
});

test('delegate VirtualService: one level, the delegate match must be inside the root match', () => {
  const yaml =
    mutate(
      PODINFO,
      VS_ROUTE,
      `  http:
    - match: [{uri: {prefix: /api}}]
      delegate: {name: api, namespace: podinfo}
`,
    ) +
    `
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: api, namespace: podinfo}
spec:
  http:
    - match: [{uri: {prefix: /api/v1}}]
      route: [{destination: {host: podinfo-podinfo, port: {number: 9898}}}]
    - match: [{uri: {prefix: /other}}]
      route: [{destination: {host: podinfo-podinfo, port: {number: 9898}}}]
`;
  const ok = trace(yaml, 'https://podinfo.bigbang.dev/api/v1/x');
  assert.equal(ok.verdict.ok, true);
  const route = ok.hops.find((h) => h.kind === 'route')!;
  assert.equal(route.title, 'api http[0]');
  assert.match(route.detail, /delegated from podinfo\/podinfo-podinfo http\[0\]/);
  assert.equal(trace(yaml, 'https://podinfo.bigbang.dev/other').verdict.status, 404);
  assert.equal(trace(yaml, 'https://podinfo.bigbang.dev/api/v2').verdict.status, 404);
});

test('header and method matches', () => {
  const yaml = mutate(
    PODINFO,
    VS_ROUTE,
    `  http:
    - match: [{method: {exact: POST}, headers: {x-env: {prefix: dev}}}]
      route: [{destination: {host: podinfo-podinfo, port: {number: 9898}}}]
`,
  );
  assert.equal(trace(yaml, { url: 'https://podinfo.bigbang.dev/', method: 'post', headers: { 'X-Env': 'dev1' } }).verdict.ok, true);
  assert.equal(trace(yaml, { url: 'https://podinfo.bigbang.dev/', method: 'GET', headers: { 'x-env': 'dev1' } }).verdict.status, 404);
  assert.equal(trace(yaml, { url: 'https://podinfo.bigbang.dev/', method: 'POST' }).verdict.status, 404);
});
