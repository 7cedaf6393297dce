// MESH007: a Gateway whose selector matches no ingress gateway workload.
import { gatewayWorkloads, isEmptySelector, selectedByGateway, selectorText } from '../../../model/selectors.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { isAssumed } from './util.js';

export const mesh007: Rule = {
  meta: {
    code: 'MESH007',
    severity: 'error',
    title: 'Gateway selector matches no ingress gateway workload',
    explanation:
      'A Gateway configures the gateway proxies whose labels contain its selector, in any namespace (no selector: every gateway ' +
      'proxy). With no such proxy its servers exist nowhere. Unlike istioctl offline, bbmesh matches pod templates and the real ' +
      'Big Bang ingress labels.',
    symptom: "connection refused or timeout: no listener for the Gateway's servers",
    hint: "Use the ingress gateway's pod labels as selector, e.g. `app: public-ingressgateway` for the Big Bang public gateway.",
    reads: ['Gateway', 'Deployment', 'DaemonSet', 'Pod'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    const ingress = ctx.layout.ingressName('public');
    for (const gw of model.gateways.values()) {
      if (isAssumed(gw.m)) continue;
      const proxies = gatewayWorkloads(model, gw);
      if (proxies.length) continue;
      const selected = selectedByGateway(model, gw);
      const sel = selectorText(gw.selector);
      if (!selected.length) {
        out.push({
          object: gw.m,
          path: ['spec', 'selector'],
          message: isEmptySelector(gw.selector)
            ? 'the Gateway has no selector, so it applies to every gateway workload, and there is none'
            : `selector ${sel} matches no gateway workload in any namespace`,
          hint: `Use the ingress gateway's labels, e.g. \`app: ${ingress}\` (${ctx.layout.title}).`,
        });
      } else {
        out.push({
          object: gw.m,
          path: ['spec', 'selector'],
          message: `selector ${sel} matches only application workloads (${selected
            .slice(0, 3)
            .map((w) => `${w.kind} ${w.namespace}/${w.name}`)
            .join(', ')}), not an ingress gateway: sidecars ignore Gateways`,
          hint: `Use the ingress gateway's labels, e.g. \`app: ${ingress}\`.`,
        });
      }
    }
    return out;
  },
};
