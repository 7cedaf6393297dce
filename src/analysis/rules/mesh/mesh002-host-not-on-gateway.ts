// MESH002: a VirtualService host that no server of its bound Gateways serves.
import { serverHosts, serversBinding } from '../../../model/gateway.js';
import { hostMatches, isClusterInternalHost } from '../../../model/hosts.js';
import { knownNamespaces } from '../../../model/destination.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { boundGateways } from './util.js';

export const mesh002: Rule = {
  meta: {
    code: 'MESH002',
    severity: 'error',
    title: 'VirtualService host not served by its Gateway',
    explanation:
      "A gateway-bound VirtualService only gets the hosts that intersect a server's hosts (after the server's `ns/` filter). " +
      "`*.bigbang.dev` matches `app.bigbang.dev` but not `bigbang.dev`; `./host` admits only the Gateway's namespace; hosts are " +
      'compared case-sensitively, and a dot-less host means `<host>.<namespace>.svc.cluster.local`.',
    symptom: '404 NR at the ingress gateway for that host (http gets the 301 redirect first)',
    hint: 'Use a host under one of the Gateway server hosts (e.g. `<app>.bigbang.dev` for `*.bigbang.dev`), or bind the right Gateway.',
    reads: ['VirtualService', 'Gateway'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const vs of model.virtualServices) {
      if (vs.isDelegate) continue;
      const gws = boundGateways(model, vs);
      if (!gws.length) continue;
      const bindsMesh = vs.gateways.some((g) => g.resolved === 'mesh');
      const unserved: number[] = [];
      vs.hosts.forEach((_, i) => {
        if (!gws.some((gw) => serversBinding(gw, vs, i).length)) unserved.push(i);
      });
      if (!unserved.length) continue;
      // Cluster-internal names next to served hosts (or on a VirtualService also bound to mesh) are for the sidecars.
      const all = unserved.length === vs.hosts.length && !bindsMesh;
      for (const i of unserved) {
        const h = vs.hosts[i];
        const fqdn = vs.fqdnHosts[i];
        if (!all && isClusterInternalHost(h, knownNamespaces(model))) continue;
        const served = gws.map((gw) => `${gw.key} (${[...new Set(gw.servers.flatMap((s) => s.hosts))].join(', ')})`).join('; ');
        const hostsOf = (gw: (typeof gws)[number]) => gw.servers.flatMap((s) => serverHosts(gw, s));
        const filtered = gws.find((gw) => hostsOf(gw).some((sh) => hostMatches(sh.host, fqdn)));
        const caseOnly = gws.find((gw) => hostsOf(gw).some((sh) => hostMatches(sh.host.toLowerCase(), fqdn.toLowerCase())));
        const why = filtered
          ? `: ${filtered.key} serves it only to VirtualServices in other namespaces (server host namespace prefix)`
          : caseOnly
            ? `: hosts are compared case-sensitively when they bind, and ${caseOnly.key} writes it in another case; write it in lower case`
            : fqdn !== h
              ? ` (a short name: Istio reads it as ${fqdn}; a domain is missing, e.g. \`${h}.{{ .Values.domain }}\` in the values the VirtualService's hosts come from)`
              : '';
        out.push({ object: vs.m, path: ['spec', 'hosts', i], message: `host ${h} is not served by ${served}${why}` });
      }
    }
    return out;
  },
};
