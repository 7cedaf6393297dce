// Property-based tests of Istio host semantics and destination resolution.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  hostIntersection,
  hostMatches,
  hostSubsetOf,
  parseServerHost,
  requestHostMatches,
  resolveShortName,
  serviceFqdn,
} from '../../src/model/hosts.js';
import { resolveGatewayRef } from '../../src/model/gateway-ref.js';
import { buildModel } from '../../src/model/build.js';
import { loadManifests } from '../../src/manifest/load.js';
import { resolveDestination } from '../../src/model/destination.js';

const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,6}[a-z0-9])?$/);
const domain = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.'));
const dotted = fc.array(label, { minLength: 2, maxLength: 5 }).map((ls) => ls.join('.'));
const wildcard = domain.map((d) => `*.${d}`);
const host = fc.oneof(domain, wildcard, fc.constant('*'));
const anyCase = (s: string) =>
  fc
    .array(fc.boolean(), { minLength: s.length, maxLength: s.length })
    .map((up) => [...s].map((c, i) => (up[i] ? c.toUpperCase() : c)).join(''));

test('hostMatches is symmetric and reflexive', () => {
  fc.assert(fc.property(host, host, (a, b) => hostMatches(a, b) === hostMatches(b, a)));
  fc.assert(fc.property(host, (a) => hostMatches(a, a)));
});

test('configuration hosts bind case-sensitively; request hosts match in any case', () => {
  // Istio compares VirtualService and Gateway hosts as strings (Foo.com does not bind to a foo.com server)...
  fc.assert(fc.property(domain, (d) => !hostMatches(d.toUpperCase(), d) || d.toUpperCase() === d));
  // ...while Envoy picks the virtual host and the SNI filter chain case-insensitively.
  fc.assert(
    fc.property(
      host,
      domain.chain((h) => anyCase(h)),
      (p, c) => requestHostMatches(p, c) === requestHostMatches(p.toLowerCase(), c.toLowerCase()),
    ),
  );
});

test("Istio's own host table (pkg/config/host name_test.go)", () => {
  const table: Array<[string, string, boolean]> = [
    ['', '', true],
    ['', 'foo.com', false],
    ['foo.com', '', false],
    ['foo.com', 'foo.com', true],
    ['bar.com', 'foo.com', false],
    ['bar.foo.com', 'foo.com', false],
    ['foo.com', 'bar.foo.com', false],
    ['*.com', 'foo.com', true],
    ['foo.com', '*.com', true],
    ['*.foo.com', 'bar.foo.com', true],
    ['*', 'foo.com', true],
    ['*', '*.com', true],
    ['*', 'com', true],
    ['*', '*', true],
    ['*', '', true],
    ['*.com', '*.foo.com', true],
    ['foo.com', '*.foo.com', false],
    ['*.foo.com', 'foo.com', false],
    ['*.foo.bar.baz', 'baz', false],
    ['baz', '*.foo.bar.baz', false],
    ['*.foo.bar.baz', '*.baz', true],
    ['foo.bar.baz', '*.baz', true],
  ];
  for (const [a, b, want] of table) assert.equal(hostMatches(a, b), want, `${a} ~ ${b}`);
  const subset: Array<[string, string, boolean]> = [
    ['foo.com', '*.com', true],
    ['*.foo.com', '*.com', true],
    ['*.com', '*.foo.com', false],
    ['*.foo.com', 'foo.com', false],
    ['com', '*', true],
  ];
  for (const [a, b, want] of subset) assert.equal(hostSubsetOf(a, b), want, `${a} ⊆ ${b}`);
  assert.equal(hostIntersection('*.bigbang.dev', 'podinfo.bigbang.dev'), 'podinfo.bigbang.dev');
  assert.equal(hostIntersection('Foo.com', 'foo.com'), undefined);
});

test('`*.d` never matches `d`', () => {
  fc.assert(fc.property(domain, (d) => !hostMatches(`*.${d}`, d) && !requestHostMatches(`*.${d}`, d)));
});

test('a concrete host matches `*.` + suffix iff it ends with `.` + suffix', () => {
  fc.assert(fc.property(domain, domain, (h, suffix) => hostMatches(h, `*.${suffix}`) === h.endsWith(`.${suffix}`)));
  // and the generated subdomains always match
  fc.assert(fc.property(label, domain, (sub, suffix) => hostMatches(`${sub}.${suffix}`, `*.${suffix}`)));
});

test('`*` matches every host; two concrete hosts match only when equal', () => {
  fc.assert(fc.property(host, (h) => hostMatches('*', h)));
  fc.assert(fc.property(domain, domain, (a, b) => hostMatches(a, b) === (a === b)));
});

test('requestHostMatches (concrete request host) implies hostMatches', () => {
  fc.assert(fc.property(host, domain, (p, c) => !requestHostMatches(p, c) || hostMatches(p, c)));
});

test('resolveShortName leaves dotted names unchanged and expands dot-less names', () => {
  fc.assert(fc.property(dotted, label, (h, ns) => resolveShortName(h, ns) === h));
  fc.assert(fc.property(label, label, (n, ns) => resolveShortName(n, ns) === `${n}.${ns}.svc.cluster.local`));
  fc.assert(fc.property(label, label, (n, ns) => resolveShortName(n, ns) === serviceFqdn(n, ns)));
});

test('resolveGatewayRef: `ns/name` is a fixed point; every form resolves to one', () => {
  const ref = fc.oneof(
    label,
    fc.tuple(label, label).map(([n, ns]) => `${ns}/${n}`),
    label.map((n) => `./${n}`),
    fc.tuple(label, label).map(([n, ns]) => `${n}.${ns}.svc.cluster.local`),
    fc.constant('mesh'),
  );
  fc.assert(fc.property(label, label, label, (n, ns, vsNs) => resolveGatewayRef(`${ns}/${n}`, vsNs) === `${ns}/${n}`));
  fc.assert(
    fc.property(ref, label, label, (r, vsNs, other) => {
      const once = resolveGatewayRef(r, vsNs);
      return resolveGatewayRef(once, other) === once;
    }),
  );
  fc.assert(
    fc.property(
      label,
      label,
      (n, vsNs) => resolveGatewayRef(n, vsNs) === `${vsNs}/${n}` && resolveGatewayRef(`./${n}`, vsNs) === `${vsNs}/${n}`,
    ),
  );
  fc.assert(fc.property(label, label, label, (n, ns, vsNs) => resolveGatewayRef(`${n}.${ns}.svc.cluster.local`, vsNs) === `${ns}/${n}`));
});

test('parseServerHost: no prefix means any namespace, `./` the Gateway namespace', () => {
  fc.assert(
    fc.property(host, label, (h, gwNs) => {
      const a = parseServerHost(h, gwNs);
      const b = parseServerHost(`./${h}`, gwNs);
      const c = parseServerHost(`*/${h}`, gwNs);
      return a.namespace === '*' && a.host === h && b.namespace === gwNs && b.host === h && c.namespace === '*';
    }),
  );
});

// Names are quoted: the generator produces `n`, `y`, which YAML 1.1 reads as booleans.
function model(services: Array<[string, string]>, namespaces: string[]) {
  const docs = [
    ...namespaces.map((ns) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: "${ns}"}`),
    ...services.map(
      ([n, ns]) => `apiVersion: v1\nkind: Service\nmetadata: {name: "${n}", namespace: "${ns}"}\nspec:\n  ports: [{name: http, port: 80}]`,
    ),
  ];
  return buildModel(loadManifests(docs.join('\n---\n'), { file: 'gen.yaml', stage: 'input' }));
}

const dest = (host: string, vsNs: string) => ({ host, fqdn: resolveShortName(host, vsNs), path: [] as (string | number)[] });

test('destination resolution: a short name finds the Service of the VirtualService namespace, FQDN anywhere', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.tuple(label, label), { minLength: 1, maxLength: 6, selector: ([n, ns]) => `${n}.${ns}` }),
      fc.nat(),
      (svcs, i) => {
        const m = model(svcs, [...new Set(svcs.map(([, ns]) => ns))]);
        const [n, ns] = svcs[i % svcs.length];
        const short = resolveDestination(m, dest(n, ns));
        const full = resolveDestination(m, dest(`${n}.${ns}.svc.cluster.local`, 'elsewhere'));
        return (
          short.kind === 'service' &&
          short.service.name === n &&
          short.service.namespace === ns &&
          full.kind === 'service' &&
          full.service.name === n
        );
      },
    ),
  );
});

test('destination resolution: `svc.ns` never resolves to a Service', () => {
  fc.assert(
    fc.property(label, label, label, (n, ns, vsNs) => {
      const m = model([[n, ns]], [ns]);
      const r = resolveDestination(m, dest(`${n}.${ns}`, vsNs));
      return r.kind === 'svcDotNs' && r.name === n && r.namespace === ns && r.service?.name === n;
    }),
  );
});

test('destination resolution: a short name of a missing Service in a known namespace is missing', () => {
  fc.assert(
    fc.property(label, label, label, (n, other, ns) => {
      fc.pre(n !== other);
      const m = model([[other, ns]], [ns]);
      assert.equal(resolveDestination(m, dest(n, ns)).kind, 'missing');
    }),
  );
});
