// BB010: two packages claim the same host on one gateway.
import { gatewaysWithRoutes, serversBinding } from '../../../model/gateway.js';
import type { VirtualServiceInfo } from '../../../model/types.js';
import { hostPath } from '../mesh/util.js';
import type { Finding, FindingDraft, Rule, RuleContext } from '../types.js';
import { packageOf, type PackageRef } from './packages.js';

const same = (a: { kind: string; namespace: string; name: string }, b: { kind: string; namespace: string; name: string }) =>
  a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;

export const bb010: Rule = {
  meta: {
    code: 'BB010',
    severity: 'warning',
    title: 'Two packages claim the same host on one gateway',
    explanation:
      'Istio merges every VirtualService bound to a host on a gateway into one virtual host. When two packages of a ' +
      "deployment claim the same host, one package's routes shadow the other's (creation order decides for overlapping " +
      'matches), so one of the two applications is unreachable under its name. Big Bang gives every package its own host.',
    symptom: "the host serves the other package's application, or switches between the two after a re-install",
    hint: "give each package its own host (the package's `istio.<pkg>.hosts` or `hostname` values), or bind one of them to another gateway",
    reads: ['VirtualService', 'Gateway', 'HelmRelease'],
    supersedes: [
      {
        code: 'MESH011',
        when: (mine: Finding, theirs: Finding) =>
          (same(mine.object, theirs.object) && theirs.related.some((r) => mine.related.some((m) => same(m.object, r.object)))) ||
          (theirs.related.some((r) => same(r.object, mine.object)) && mine.related.some((m) => same(m.object, theirs.object))),
      },
    ],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const [gw, list] of gatewaysWithRoutes(model)) {
      const byHost = new Map<string, Array<{ vs: VirtualServiceInfo; i: number; pkg: PackageRef }>>();
      for (const vs of list) {
        const pkg = packageOf(model, vs.m);
        if (!pkg) continue;
        vs.fqdnHosts.forEach((fqdn, i) => {
          if (!serversBinding(gw, vs, i).length) return;
          const h = fqdn.toLowerCase();
          byHost.set(h, [...(byHost.get(h) ?? []), { vs, i, pkg }]);
        });
      }
      for (const entries of byHost.values()) {
        const first = entries[0];
        for (const e of entries.slice(1)) {
          if (e.pkg.id === first.pkg.id) continue;
          const host = e.vs.hosts[e.i];
          out.push({
            object: e.vs.m,
            path: hostPath(e.vs, host),
            message:
              `host ${host} on gateway ${gw.key} is claimed by ${e.pkg.label} (VirtualService ${e.vs.namespace}/${e.vs.name}) ` +
              `and by ${first.pkg.label} (VirtualService ${first.vs.namespace}/${first.vs.name})`,
            related: [
              { object: first.vs.m, path: hostPath(first.vs, first.vs.hosts[first.i]), message: `${first.pkg.label} claims the same host` },
            ],
          });
        }
      }
    }
    return out;
  },
};
