// MESH008: a Gateway server port that no Service of the gateway workload exposes (IST0162 logic, real objects).
import { containerPortByName } from '../../../model/gateway.js';
import { gatewayWorkloads, servicesSelecting } from '../../../model/selectors.js';
import type { ServiceInfo } from '../../../model/types.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { isAssumed } from './util.js';

export const mesh008: Rule = {
  meta: {
    code: 'MESH008',
    severity: 'error',
    title: 'Gateway server port not exposed by the gateway Service',
    explanation:
      'istiod listens on the server port (translated to the targetPort when it equals a port of a Service selecting the ' +
      'gateway pod). A server port that is neither a port nor a targetPort of such a Service receives no traffic from the load balancer.',
    symptom: 'connection refused or timeout on that port at the load balancer',
    hint: 'Use a targetPort of the ingress Service (Big Bang: 8080 for http, 8443 for https) or one of its ports (80/443).',
    reads: ['Gateway', 'Service', 'Deployment', 'Pod'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const gw of model.gateways.values()) {
      if (isAssumed(gw.m)) continue;
      const ws = gatewayWorkloads(model, gw);
      if (!ws.length) continue; // MESH007
      const svcs = new Set<ServiceInfo>();
      for (const w of ws) for (const s of servicesSelecting(model, w)) svcs.add(s);
      const accepted = new Set<number>();
      for (const s of svcs) {
        for (const p of s.ports) {
          if (p.protocol.toUpperCase() === 'UDP') continue;
          accepted.add(p.port);
          if (typeof p.targetPort === 'number') accepted.add(p.targetPort);
          else
            for (const w of ws) {
              const n = containerPortByName(w, p.targetPort);
              if (n !== undefined) accepted.add(n);
            }
        }
      }
      for (const s of gw.servers) {
        if (s.port.number < 0 || accepted.has(s.port.number)) continue;
        out.push({
          object: gw.m,
          path: ['spec', 'servers', s.index, 'port', 'number'],
          message: svcs.size
            ? `server port ${s.port.number} is neither a port nor a targetPort of ${[...svcs].map((x) => `Service ${x.namespace}/${x.name}`).join(', ')} (${[...accepted].sort((a, b) => a - b).join(', ')})`
            : `server port ${s.port.number}: no Service selects the gateway workload ${ws.map((w) => `${w.namespace}/${w.name}`).join(', ')}`,
        });
      }
    }
    return out;
  },
};
