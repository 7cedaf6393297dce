// MESH010: exportTo hides a VirtualService from the namespace of its gateway's workload.
import { visibleTo } from '../../../model/export.js';
import { gatewayProxyNamespaces } from '../../../model/selectors.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { boundGateways } from './util.js';

export const mesh010: Rule = {
  meta: {
    code: 'MESH010',
    severity: 'error',
    title: 'exportTo hides the VirtualService from its gateway',
    explanation:
      "Visibility is evaluated for the gateway proxy's namespace: a VirtualService is used by a gateway only when it is " +
      'exported there. `exportTo: ["."]` in the package namespace hides it from the istio-system ingress gateway.',
    symptom: '404 NR at the ingress gateway',
    hint: "Remove exportTo, or add the gateway workload's namespace (or `*`) to it.",
    reads: ['VirtualService', 'Gateway', 'Deployment', 'Pod'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const vs of model.virtualServices) {
      if (!vs.exportTo.length) continue;
      const hidden: string[] = [];
      for (const gw of boundGateways(model, vs)) {
        for (const ns of gatewayProxyNamespaces(model, gw))
          if (!visibleTo(vs.exportTo, vs.namespace, ns)) hidden.push(`${gw.key} (workload namespace ${ns})`);
      }
      if (!hidden.length) continue;
      out.push({
        object: vs.m,
        path: ['spec', 'exportTo'],
        message: `exportTo [${vs.exportTo.join(', ')}] hides this VirtualService from gateway ${[...new Set(hidden)].join(', ')}`,
      });
    }
    return out;
  },
};
