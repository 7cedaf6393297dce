// MESH018: a route destination `subset` that no DestinationRule defines, or whose labels select no pod.
import { resolveDestination } from '../../../model/destination.js';
import { destinationRuleFor } from '../../../model/mtls.js';
import { selectorMatches, selectorText, workloadsOfService } from '../../../model/selectors.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { routeClients } from './clients.js';
import { destinationsOf } from './util.js';

export const mesh018: Rule = {
  meta: {
    code: 'MESH018',
    severity: 'error',
    title: 'Destination subset not defined, or selects no pod',
    explanation:
      "A destination `subset` names a subset of the DestinationRule for that host (the one in the client proxy's namespace, " +
      "else the Service's, else the root namespace's). Without it the subset cluster does not exist; with it, only pods with the " +
      "subset's labels are endpoints (istioctl: IST0101, IST0173).",
    symptom: '503 NC (no cluster for the subset), or 503 UH (no healthy upstream) when its labels select no pod',
    hint: 'Define the subset in a DestinationRule for the host, with labels the pods carry, or drop `subset` from the route.',
    reads: ['VirtualService', 'DestinationRule', 'Service', 'Deployment', 'Pod'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const vs of model.virtualServices) {
      const clients = routeClients(model, vs);
      const clientNs = clients.gatewayNamespaces.length ? clients.gatewayNamespaces : [vs.namespace];
      for (const d of destinationsOf(vs)) {
        if (!d.subset) continue;
        const r = resolveDestination(model, d);
        if (r.kind !== 'service') continue;
        const svc = r.service;
        for (const ns of clientNs) {
          const dr = destinationRuleFor(model, svc.fqdn, ns, svc.namespace);
          const subset = dr?.subsets.find((s) => s.name === d.subset);
          if (!dr || !subset) {
            out.push({
              object: vs.m,
              path: [...d.path, 'subset'],
              message: dr
                ? `subset ${d.subset} of ${svc.fqdn} is not defined by DestinationRule ${dr.namespace}/${dr.name} (subsets: ${dr.subsets.map((s) => s.name).join(', ') || 'none'})`
                : `subset ${d.subset}: no DestinationRule for ${svc.fqdn} defines subsets`,
              ...(dr
                ? { related: [{ object: dr.m, path: ['spec', 'subsets'], message: `DestinationRule ${dr.namespace}/${dr.name}` }] }
                : {}),
            });
            break;
          }
          const pods = workloadsOfService(model, svc);
          if (pods.length && !pods.some((w) => selectorMatches(subset.labels, w.labels))) {
            out.push({
              object: vs.m,
              path: [...d.path, 'subset'],
              message: `subset ${d.subset} (${selectorText(subset.labels)}) of DestinationRule ${dr.namespace}/${dr.name} selects none of the pods of Service ${svc.namespace}/${svc.name}`,
              symptom: '503 UH (no healthy upstream)',
              related: [{ object: dr.m, path: ['spec', 'subsets'], message: `DestinationRule ${dr.namespace}/${dr.name}` }],
            });
            break;
          }
        }
      }
    }
    return out;
  },
};
