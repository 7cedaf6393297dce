// MESH002: a VirtualService host that no server of its bound Gateways serves.
import { resolveShortName } from '../../../model/hosts.js';
import { hostMatches } from '../../../model/hosts.js';
import { gatewayServesHost, serverHosts } from '../../../model/lookup.js';
import type { GatewayInfo } from '../../../model/types.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { isClusterInternalHost } from './util.js';

export const mesh002: Rule = {
  meta: {
    code: 'MESH002',
    severity: 'error',
    title: 'VirtualService host not served by its Gateway',
    explanation:
      "A gateway-bound VirtualService only gets the hosts that intersect a server's hosts (after the server's `ns/` filter). " +
      "`*.bigbang.dev` matches `app.bigbang.dev` but not `bigbang.dev`; `./host` admits only the Gateway's namespace.",
    symptom: '404 NR at the ingress gateway for that host (http gets the 301 redirect first)',
    hint: 'Use a host under one of the Gateway server hosts (e.g. `<app>.bigbang.dev` for `*.bigbang.dev`), or bind the right Gateway.',
    reads: ['VirtualService', 'Gateway'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const vs of model.virtualServices) {
      if (vs.isDelegate) continue;
      const gws: GatewayInfo[] = [];
      for (const g of vs.gateways) {
        const gw = g.resolved === 'mesh' ? undefined : model.gateways.get(g.resolved);
        if (gw && !gws.includes(gw)) gws.push(gw);
      }
      if (!gws.length) continue;
      const bindsMesh = vs.gateways.some((g) => g.resolved === 'mesh');
      let unserved: Array<{ h: string; i: number }> | undefined;
      vs.hosts.forEach((h, i) => {
        if (!gws.some((gw) => gatewayServesHost(model, gw, h, vs.namespace))) (unserved ??= []).push({ h, i });
      });
      if (!unserved) continue;
      // Cluster-internal names next to served hosts (or on a VS also bound to mesh) are for the sidecars.
      const all = unserved.length === vs.hosts.length && !bindsMesh;
      for (const { h, i } of unserved) {
        if (!all && isClusterInternalHost(model, h)) continue;
        const served = gws.map((gw) => `${gw.key} (${[...new Set(gw.servers.flatMap((s) => s.hosts))].join(', ')})`).join('; ');
        // Would match if the namespace filter allowed it?
        const filtered = gws.find((gw) => serverHosts(gw, model).some((hs) => hs.some((sh) => hostMatches(sh.host, h))));
        const why = filtered
          ? `: ${filtered.key} serves it only to VirtualServices in other namespaces (server host namespace prefix)`
          : !h.includes('.') && h !== '*'
            ? ` (a short name: Istio reads it as ${resolveShortName(h, vs.namespace)}; a domain is missing, e.g. \`${h}.{{ .Values.domain }}\` in the values the VirtualService's hosts come from)`
            : '';
        out.push({
          object: vs.m,
          path: ['spec', 'hosts', i],
          message: `host ${h} is not served by ${served}${why}`,
        });
      }
    }
    return out;
  },
};
