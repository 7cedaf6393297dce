// MESH003: a route destination host that resolves to no Service or ServiceEntry.
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { destinationsOf, resolveDestination } from './util.js';

export const mesh003: Rule = {
  meta: {
    code: 'MESH003',
    severity: 'error',
    title: 'Destination host resolves to no Service or ServiceEntry',
    explanation:
      "A destination host must be a Service (`name`, expanded in the VirtualService's namespace, or " +
      '`name.ns.svc.cluster.local`) or a ServiceEntry host. Otherwise istiod builds a route to a cluster that does not exist.',
    symptom: '503 NC (cluster_not_found) for requests on that route',
    hint: "Point the destination at an existing Service: a short name from the VirtualService's namespace or `svc.ns.svc.cluster.local`; for an external host add a ServiceEntry.",
    reads: ['VirtualService', 'Service', 'ServiceEntry'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const vs of model.virtualServices) {
      for (const d of destinationsOf(vs)) {
        const r = resolveDestination(model, d);
        if (r.kind !== 'missing') continue;
        const expanded = d.fqdn !== d.host.toLowerCase() ? ` (${d.fqdn})` : '';
        out.push({
          object: vs.m,
          path: [...d.path, 'host'],
          message: `destination host ${d.host}${expanded} matches no Service or ServiceEntry`,
        });
      }
    }
    return out;
  },
};
