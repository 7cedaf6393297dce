// MESH016: a destination host written `svc.ns`, which Istio takes literally.
import { serviceFqdn } from '../../../model/hosts.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { resolveDestination } from '../../../model/destination.js';
import { destinationsOf } from './util.js';

export const mesh016: Rule = {
  meta: {
    code: 'MESH016',
    severity: 'error',
    title: 'Destination host `svc.ns` is not expanded by Istio',
    explanation:
      'Istio expands only dot-less short names (to `name.<vs namespace>.svc.cluster.local`). A host with a dot is taken ' +
      'literally, so `podinfo.podinfo` matches no Service even though Kubernetes DNS would resolve it.',
    symptom: '503 NC (cluster_not_found), or 404 NR when the route is dropped',
    hint: 'Use `svc.ns.svc.cluster.local`, or the short name `svc` from a VirtualService in the same namespace.',
    reads: ['VirtualService', 'Service', 'ServiceEntry', 'Namespace'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const vs of model.virtualServices) {
      for (const d of destinationsOf(vs)) {
        const r = resolveDestination(model, d);
        if (r.kind !== 'svcDotNs') continue;
        const full = serviceFqdn(r.name, r.namespace);
        const short = r.namespace === vs.namespace ? ` or \`${r.name}\`` : '';
        out.push({
          object: vs.m,
          path: [...d.path, 'host'],
          message: `destination host ${d.host} is not expanded by Istio${r.service ? `; the Service is ${full}` : ''}`,
          hint: `Write \`${full}\`${short}.`,
        });
      }
    }
    return out;
  },
};
