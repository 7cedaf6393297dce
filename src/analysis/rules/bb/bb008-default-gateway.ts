// BB008: the package default gateway `istio-system/main` exists only in the Istio chart's
// own defaults; Big Bang removes it and passes its gateways (`public`) down instead.
import type { FindingDraft, Rule, RuleContext } from '../types.js';

export const bb008: Rule = {
  meta: {
    code: 'BB008',
    severity: 'error',
    title: 'VirtualService still binds the package default gateway `istio-system/main`',
    explanation:
      "`istio-system/main` is the package's placeholder default (the Istio chart's own default Gateway). Big Bang does not create it: the umbrella sets `gateways.main: null` and passes `istio-system/public` (2.x) or `istio-gateway/public-ingressgateway` (3.x) through `bigbang.defaults.<pkg>`. " +
      'A VirtualService still bound to `main` means the passdown is missing or writes a key the chart does not read.',
    symptom:
      '404 NR at the ingress gateway: no Gateway selects the VirtualService, `istioctl analyze` reports IST0101 (referenced gateway not found)',
    hint: 'the VirtualService template must take its gateways from values (`range (get .Values.istio $pkg).gateways`), not hard-code them; and bigbang/templates/<pkg>/values.yaml must pass `istio.<pkg>.gateways: [istio-system/{{ default "public" .Values.<pkg>.ingress.gateway }}]` (bb3: `istio-gateway/<name>-ingressgateway`) under the key the template reads',
    reads: ['VirtualService', 'Gateway'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const main = ctx.layout.packageDefaultGateway;
    // 3.x packages default to a gateway Big Bang creates: nothing to catch there.
    if (ctx.layout.defaultGateways.some((g) => ctx.layout.gatewayRef(g) === main)) return [];
    if (ctx.model.gateways.get(main) && ctx.model.gateways.get(main)!.m.origin.stage !== 'platform') return [];
    const out: FindingDraft[] = [];
    for (const vs of ctx.model.virtualServices) {
      if (vs.m.origin.stage === 'platform') continue;
      for (const g of vs.gateways) {
        if (g.resolved !== main) continue;
        out.push({
          object: vs.m,
          path: ['spec', 'gateways', g.index],
          message: `VirtualService ${vs.namespace}/${vs.name} binds gateway "${g.raw}", the package default Big Bang does not create (Big Bang's gateway is ${ctx.layout.gatewayRef('public')})`,
        });
      }
    }
    return out;
  },
};
