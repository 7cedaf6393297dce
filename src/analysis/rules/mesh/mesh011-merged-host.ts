// MESH011: several VirtualServices bind the same host on the same gateway with overlapping routes.
import { visibleTo } from '../../../model/export.js';
import { gatewaysWithRoutes, serversBinding } from '../../../model/gateway.js';
import { blocksOn, matchesMayOverlap, routeMatchesEverything } from '../../../model/match.js';
import { gatewayProxyNamespaces } from '../../../model/selectors.js';
import type { HttpRoute, VirtualServiceInfo } from '../../../model/types.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { hostPath } from './util.js';

/** Routes istiod keeps for a gateway: up to and including the first catch-all. */
function effectiveRoutes(vs: VirtualServiceInfo, gateway: string): HttpRoute[] {
  const out: HttpRoute[] = [];
  for (const r of vs.http) {
    if (!blocksOn(r, gateway).length) continue;
    out.push(r);
    if (routeMatchesEverything(r)) break; // later routes are never generated (MESH012)
  }
  return out;
}

/** A pair of routes whose order decides which one a request takes, if any. */
function overlapping(a: VirtualServiceInfo, b: VirtualServiceInfo, gateway: string): [HttpRoute, HttpRoute] | undefined {
  const rb = effectiveRoutes(b, gateway);
  for (const x of effectiveRoutes(a, gateway)) {
    const xc = routeMatchesEverything(x);
    for (const y of rb) {
      const yc = routeMatchesEverything(y);
      // istiod moves catch-all routes after the others, so a catch-all only races another catch-all.
      if (xc !== yc) continue;
      if (xc && yc) return [x, y];
      if (blocksOn(x, gateway).some((ma) => blocksOn(y, gateway).some((mb) => matchesMayOverlap(ma, mb)))) return [x, y];
    }
  }
  return undefined;
}

export const mesh011: Rule = {
  meta: {
    code: 'MESH011',
    severity: 'warning',
    title: 'Several VirtualServices bind the same host on one gateway with overlapping routes',
    explanation:
      'On a gateway, the routes of every VirtualService for a host are merged into one virtual host, ordered by creation ' +
      'time (catch-alls last). When their matches overlap, which route a request takes depends on which object was created first.',
    symptom: "requests intermittently (per rollout) routed to the other VirtualService's destination, or 404 NR after a re-create",
    hint: 'Keep one VirtualService per host and gateway, or make the matches disjoint (distinct path prefixes).',
    reads: ['VirtualService', 'Gateway'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const [gw, list] of gatewaysWithRoutes(model)) {
      if (list.length < 2) continue;
      const byHost = new Map<string, Array<{ vs: VirtualServiceInfo; host: string; i: number }>>();
      for (const vs of list) {
        if (vs.isDelegate || !vs.http.length) continue;
        vs.fqdnHosts.forEach((fqdn, i) => {
          const h = fqdn.toLowerCase();
          const e = { vs, host: vs.hosts[i], i };
          const l = byHost.get(h);
          if (!l) byHost.set(h, [e]);
          else if (!l.some((x) => x.vs === vs)) l.push(e);
        });
      }
      for (const entries of byHost.values()) {
        if (entries.length < 2) continue;
        const nss = gatewayProxyNamespaces(model, gw);
        const bound = entries.filter(
          ({ vs, i }) => serversBinding(gw, vs, i).length > 0 && nss.some((ns) => visibleTo(vs.exportTo, vs.namespace, ns)),
        );
        const seen = new Set<VirtualServiceInfo>();
        for (let j = 1; j < bound.length; j++) {
          const b = bound[j];
          if (seen.has(b.vs)) continue;
          for (let i = 0; i < j; i++) {
            const a = bound[i];
            if (a.vs === b.vs) continue;
            const pair = overlapping(a.vs, b.vs, gw.key);
            if (!pair) continue;
            seen.add(b.vs);
            const [ra, rb] = pair;
            out.push({
              object: b.vs.m,
              path: hostPath(b.vs, b.host),
              message:
                `host ${b.host} on gateway ${gw.key} is also bound by VirtualService ${a.vs.namespace}/${a.vs.name}; ` +
                `route ${rb.name ?? `#${rb.index}`} overlaps its route ${ra.name ?? `#${ra.index}`}, so creation order decides`,
              related: [
                {
                  object: a.vs.m,
                  path: hostPath(a.vs, a.host),
                  message: `VirtualService ${a.vs.namespace}/${a.vs.name} binds the same host`,
                },
              ],
            });
            break;
          }
        }
      }
    }
    return out;
  },
};
