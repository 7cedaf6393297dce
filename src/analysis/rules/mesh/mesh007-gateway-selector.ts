// MESH007: a Gateway whose selector matches no ingress gateway workload.
import { gatewayWorkloads } from '../../../model/lookup.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { isAssumed, isGatewayWorkload } from './util.js';

export const mesh007: Rule = {
  meta: {
    code: 'MESH007',
    severity: 'error',
    title: 'Gateway selector matches no ingress gateway workload',
    explanation:
      'A Gateway configures the gateway pods whose labels contain its selector (in any namespace). With no such pod, ' +
      'its servers exist nowhere. Unlike istioctl offline, bbmesh matches pod templates and the real Big Bang ingress labels.',
    symptom: "connection refused or timeout: no listener for the Gateway's servers",
    hint: "Use the ingress gateway's pod labels as selector, e.g. `app: public-ingressgateway` for the Big Bang public gateway.",
    reads: ['Gateway', 'Deployment', 'DaemonSet', 'Pod'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const gw of model.gateways.values()) {
      if (isAssumed(gw.m) || !Object.keys(gw.selector).length) continue; // empty selector: every gateway workload
      const ws = gatewayWorkloads(model, gw);
      const sel = Object.entries(gw.selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const ingress = ctx.layout.ingressName('public');
      if (!ws.length) {
        out.push({
          object: gw.m,
          path: ['spec', 'selector'],
          message: `selector ${sel} matches no gateway workload in any namespace`,
          hint: `Use the ingress gateway's labels, e.g. \`app: ${ingress}\` (${ctx.layout.title}).`,
        });
      } else if (!ws.some(isGatewayWorkload)) {
        out.push({
          object: gw.m,
          path: ['spec', 'selector'],
          message: `selector ${sel} matches only application workloads (${ws
            .slice(0, 3)
            .map((w) => `${w.kind} ${w.namespace}/${w.name}`)
            .join(', ')}), not an ingress gateway`,
          severity: 'warning',
          hint: `Use the ingress gateway's labels, e.g. \`app: ${ingress}\`.`,
        });
      }
    }
    return out;
  },
};
