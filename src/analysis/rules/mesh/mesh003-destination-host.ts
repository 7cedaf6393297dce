// MESH003: a route destination host that resolves to no Service or ServiceEntry (for the proxy that routes it).
import { resolveDestination } from '../../../model/destination.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { routeClients } from './clients.js';
import { destinationsOf } from './util.js';

export const mesh003: Rule = {
  meta: {
    code: 'MESH003',
    severity: 'error',
    title: 'Destination host resolves to no Service or ServiceEntry',
    explanation:
      "A destination host must be a Service (`name`, expanded in the VirtualService's namespace, or `name.ns.svc.cluster.local`) " +
      'or a ServiceEntry host visible to the proxy that routes it (a Service annotated `networking.istio.io/exportTo` is hidden ' +
      'from other namespaces). Otherwise istiod builds a route to a cluster that does not exist.',
    symptom: '503 NC (cluster_not_found) for requests on that route',
    hint: "Point the destination at an existing Service: a short name from the VirtualService's namespace or `svc.ns.svc.cluster.local`; for an external host add a ServiceEntry.",
    reads: ['VirtualService', 'Service', 'ServiceEntry', 'Gateway'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const vs of model.virtualServices) {
      const clients = routeClients(model, vs);
      for (const d of destinationsOf(vs)) {
        const r = resolveDestination(model, d);
        const expanded = d.fqdn !== d.host ? ` (${d.fqdn})` : '';
        if (r.kind === 'missing') {
          out.push({
            object: vs.m,
            path: [...d.path, 'host'],
            message: `destination host ${d.host}${expanded} matches no Service or ServiceEntry`,
          });
          continue;
        }
        if (r.kind !== 'service') continue;
        const hiddenFrom = clients.gatewayNamespaces.filter((ns) => resolveDestination(model, d, ns).kind === 'hidden');
        if (!hiddenFrom.length) continue;
        out.push({
          object: vs.m,
          path: [...d.path, 'host'],
          message:
            `destination Service ${r.service.namespace}/${r.service.name} is hidden from the gateway namespace ${hiddenFrom.join(', ')} ` +
            `by its annotation networking.istio.io/exportTo: "${r.service.m.obj.metadata?.annotations?.['networking.istio.io/exportTo']}"`,
          hint: `Add ${hiddenFrom[0]} (or *) to the Service's networking.istio.io/exportTo annotation.`,
          related: [
            { object: r.service.m, path: ['metadata', 'annotations'], message: `Service ${r.service.namespace}/${r.service.name}` },
          ],
        });
      }
    }
    return out;
  },
};
