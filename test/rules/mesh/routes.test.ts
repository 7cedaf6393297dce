// MESH011 (merged VirtualServices on one gateway host), MESH012 (route after a catch-all).
import { ruleTester } from '../tester.js';
import { mesh011 } from '../../../src/analysis/rules/mesh/mesh011-merged-host.js';
import { mesh012 } from '../../../src/analysis/rules/mesh/mesh012-unreachable-route.js';
import { PODINFO, virtualService } from '../fixtures/mesh/podinfo.js';

/** A VirtualService on the public gateway for podinfo.bigbang.dev with the given http rules (spec line 53 = gateways). */
const vs = (name: string, http: string, gateways = '[istio-system/public]') =>
  virtualService(
    `  gateways: ${gateways}
  hosts:
    - podinfo.bigbang.dev
  http:
${http}`,
    name,
  );

const rule = (match: string, port = 9898) => `    - ${match ? `match:\n        ${match.replace(/\n/g, '\n        ')}\n      ` : ''}route:
        - destination: {host: podinfo, port: {number: ${port}}}`;

// PODINFO, then VirtualService `first` from line 47 (its host on 55), `---`, then `second`:
// with one-line rules (no match) its host is on line 68, with a two-line match on line 70.
const two = (a: string, b: string) => ({ yaml: `${PODINFO}${vs('first', a)}\n---\n${vs('second', b)}` });

const disjoint = two(rule('- uri: {prefix: /api}'), rule('- uri: {prefix: /web}'));
const catchAllVsPrefix = two(rule(''), rule('- uri: {prefix: /api}'));
const sameCatchAll = two(rule(''), rule('- uri: {prefix: /}'));
const nested = two(rule('- uri: {prefix: /api}'), rule('- uri: {prefix: /api/v2}'));
const headers = two(rule('- headers: {x-canary: {exact: "true"}}'), rule('- headers: {x-canary: {exact: "false"}}'));
const regex = two(rule('- uri: {regex: "/api/.*"}'), rule('- uri: {prefix: /ap}'));
const regexDisjoint = two(rule('- uri: {regex: "^/api/v[0-9]+"}'), rule('- uri: {exact: /web}'));

ruleTester(mesh011, {
  valid: [
    { name: 'disjoint prefixes', yaml: disjoint.yaml },
    { name: "a catch-all is sorted after the other VirtualService's routes", yaml: catchAllVsPrefix.yaml },
    { name: 'disjoint header values', yaml: headers.yaml },
    { name: 'regex with a disjoint literal prefix', yaml: regexDisjoint.yaml },
    {
      name: 'same host on different gateways',
      yaml: `${PODINFO}${vs('first', rule(''))}\n---\n${vs('second', rule(''), '[mesh]')}`,
    },
  ],
  invalid: [
    {
      name: 'two catch-alls: creation order decides',
      yaml: sameCatchAll.yaml,
      errors: [
        {
          object: 'VirtualService/podinfo/second',
          line: 68,
          message: /also bound by VirtualService podinfo\/first; route #0 overlaps its route #0/,
        },
      ],
    },
    { name: 'nested prefixes', yaml: nested.yaml, errors: [{ object: 'VirtualService/podinfo/second', line: 70 }] },
    { name: 'regex and prefix overlap', yaml: regex.yaml, errors: [{ line: 70 }] },
  ],
});

ruleTester(mesh012, {
  valid: [
    { name: 'catch-all last', yaml: PODINFO + vs('podinfo', `${rule('- uri: {prefix: /api}')}\n${rule('')}`) },
    {
      name: 'prefix / with a header is not a catch-all',
      yaml: PODINFO + vs('podinfo', `${rule('- uri: {prefix: /}\n  headers: {x-a: {exact: b}}')}\n${rule('')}`),
    },
    {
      name: 'catch-all restricted to mesh by match.gateways',
      yaml: PODINFO + vs('podinfo', `${rule('- uri: {prefix: /}\n  gateways: [mesh]')}\n${rule('')}`),
    },
  ],
  invalid: [
    {
      name: 'route without match first',
      yaml: PODINFO + vs('podinfo', `${rule('')}\n${rule('- uri: {prefix: /api}')}`),
      errors: [{ object: 'VirtualService/podinfo/podinfo', line: 59, message: /route #1 can never match: route #0 has no match/ }],
    },
    {
      name: 'prefix / and regex .* before other routes',
      yaml: PODINFO + vs('podinfo', `${rule('- uri: {regex: ".*"}')}\n${rule('- uri: {prefix: /api}')}\n${rule('- uri: {exact: /}')}`),
      errors: [
        { line: 61, message: /route #1 can never match: route #0 matches regex \.\*/ },
        { line: 65, message: /route #2 can never match/ },
      ],
    },
  ],
});
