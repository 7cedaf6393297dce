// MESH010: exportTo hides a VirtualService from the namespace of its gateway's workload.
import { gatewayWorkloads } from '../../../model/lookup.js';
import type { VirtualServiceInfo } from '../../../model/types.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';

/** Is the VirtualService visible to proxies in `ns`? Empty exportTo: everywhere (Istio's default). */
export function exportedTo(vs: VirtualServiceInfo, ns: string): boolean {
  if (!vs.exportTo.length) return true;
  return vs.exportTo.some((e) => e === '*' || e === ns || (e === '.' && vs.namespace === ns));
}

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
      for (const g of vs.gateways) {
        const gw = g.resolved === 'mesh' ? undefined : model.gateways.get(g.resolved);
        if (!gw) continue;
        const ws = Object.keys(gw.selector).length ? gatewayWorkloads(model, gw) : [];
        const namespaces = ws.length ? [...new Set(ws.map((w) => w.namespace))] : [gw.namespace];
        for (const ns of namespaces) if (!exportedTo(vs, ns) && !hidden.includes(`${gw.key}@${ns}`)) hidden.push(`${gw.key}@${ns}`);
      }
      if (!hidden.length) continue;
      const list = hidden
        .map((h) => {
          const [key, ns] = h.split('@');
          return `${key} (workload namespace ${ns})`;
        })
        .join(', ');
      out.push({
        object: vs.m,
        path: ['spec', 'exportTo'],
        message: `exportTo [${vs.exportTo.join(', ')}] hides this VirtualService from gateway ${list}`,
      });
    }
    return out;
  },
};
