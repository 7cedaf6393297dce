// MESH017: one of a VirtualService's Gateways serves none of its hosts (Istio's IST0132, judged per
// VirtualService-Gateway pair): that binding does nothing while the others work.
import { gatewayBindsAny } from '../../../model/gateway.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { boundGateways } from './util.js';

export const mesh017: Rule = {
  meta: {
    code: 'MESH017',
    severity: 'warning',
    title: 'A bound Gateway serves none of the VirtualService hosts',
    explanation:
      'A VirtualService bound to several Gateways gets routes only on the Gateways whose servers share a host with it. A Gateway that ' +
      'serves none of its hosts adds nothing: usually a Gateway meant for other hosts, or hosts missing from that Gateway ' +
      '(istioctl analyze: IST0132). When no bound Gateway serves a host, MESH002 reports it instead.',
    symptom: 'requests through that Gateway get 404 NR for the VirtualService hosts, while the other Gateway serves them',
    hint: "Remove the Gateway from spec.gateways, or add the hosts to that Gateway's servers.",
    reads: ['VirtualService', 'Gateway'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const vs of model.virtualServices) {
      if (vs.isDelegate || vs.gateways.length < 2) continue;
      const gws = boundGateways(model, vs);
      const idle = gws.filter((gw) => !gatewayBindsAny(gw, vs));
      // Only when the VirtualService works elsewhere (a Gateway binds it, or it is also for the mesh).
      if (!idle.length || (idle.length === gws.length && !vs.gateways.some((g) => g.resolved === 'mesh'))) continue;
      for (const gw of idle) {
        const i = vs.gateways.findIndex((g) => g.resolved === gw.key);
        out.push({
          object: vs.m,
          path: ['spec', 'gateways', i],
          message: `Gateway ${gw.key} serves none of the hosts ${vs.hosts.join(', ')} (its servers: ${[...new Set(gw.servers.flatMap((s) => s.hosts))].join(', ')}), so this binding does nothing`,
          related: [{ object: gw.m, path: ['spec', 'servers'], message: `servers of Gateway ${gw.key}` }],
        });
      }
    }
    return out;
  },
};
