// MESH011: several VirtualServices bind the same host on the same gateway with overlapping routes.
import { gatewayWorkloads, serversForHost } from '../../../model/lookup.js';
import type { HttpRoute, VirtualServiceInfo } from '../../../model/types.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { exportedTo } from './mesh010-export-to.js';
import { blocksOn, hostPath, isCatchAllRoute, matchesMayOverlap } from './util.js';

/** Routes istiod keeps for a gateway: up to and including the first catch-all. */
function effectiveRoutes(vs: VirtualServiceInfo, gateway: string): HttpRoute[] {
  const out: HttpRoute[] = [];
  for (const r of vs.http) {
    if (!blocksOn(r, gateway).length) continue;
    out.push(r);
    if (isCatchAllRoute(r)) break; // later routes are never generated (MESH012)
  }
  return out;
}

/** A pair of routes whose order decides which one a request takes, if any. */
function overlapping(a: VirtualServiceInfo, b: VirtualServiceInfo, gateway: string): [HttpRoute, HttpRoute] | undefined {
  const rb = effectiveRoutes(b, gateway);
  for (const x of effectiveRoutes(a, gateway)) {
    const xc = isCatchAllRoute(x);
    for (const y of rb) {
      const yc = isCatchAllRoute(y);
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
    for (const [key, list] of model.virtualServicesByGateway) {
      if (key === 'mesh' || list.length < 2) continue;
      const gw = model.gateways.get(key);
      if (!gw) continue;
      let wsNs: string[] | undefined;
      const byHost = new Map<string, Array<{ vs: VirtualServiceInfo; host: string }>>();
      for (const vs of list) {
        if (vs.isDelegate || !vs.http.length) continue;
        for (const host of new Set(vs.hosts)) {
          const h = host.toLowerCase();
          const l = byHost.get(h);
          if (l) l.push({ vs, host });
          else byHost.set(h, [{ vs, host }]);
        }
      }
      for (const entries of byHost.values()) {
        if (entries.length < 2) continue;
        wsNs ??= (() => {
          const ns = [...new Set(gatewayWorkloads(model, gw).map((w) => w.namespace))];
          return ns.length ? ns : [gw.namespace];
        })();
        const nss = wsNs;
        const bound = entries.filter(
          ({ vs, host }) => serversForHost(model, gw, host, vs.namespace).length > 0 && nss.some((ns) => exportedTo(vs, ns)),
        );
        const seen = new Set<VirtualServiceInfo>();
        for (let j = 1; j < bound.length; j++) {
          const b = bound[j];
          if (seen.has(b.vs)) continue;
          for (let i = 0; i < j; i++) {
            const a = bound[i];
            if (a.vs === b.vs) continue;
            const pair = overlapping(a.vs, b.vs, key);
            if (!pair) continue;
            seen.add(b.vs);
            const [ra, rb] = pair;
            out.push({
              object: b.vs.m,
              path: hostPath(b.vs, b.host),
              message:
                `host ${b.host} on gateway ${key} is also bound by VirtualService ${a.vs.namespace}/${a.vs.name}; ` +
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
