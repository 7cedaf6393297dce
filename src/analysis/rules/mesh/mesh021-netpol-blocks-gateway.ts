// MESH021: the NetworkPolicies of the destination's namespace (or of the gateway's) drop the ingress
// gateway's connection to the pod a route delivers to. Judged by model/netpol (gatewayToWorkload), as trace does.
import { gatewayToWorkload } from '../../../model/netpol.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { routeTargets } from './route-targets.js';
import { objRef } from './util.js';

export const mesh021: Rule = {
  meta: {
    code: 'MESH021',
    severity: 'error',
    title: 'NetworkPolicies block the ingress gateway from the destination pod',
    explanation:
      'Once a NetworkPolicy selects a pod for Ingress, only connections some rule of some such policy admits get in (policies add up; ' +
      "a default deny admits nothing). The ingress gateway dials the pod IP on the Service's targetPort, so a policy must admit the " +
      "gateway's namespace and pod labels on that container port (not the Service port). Egress policies of the gateway's namespace " +
      'apply the same way. An ipBlock is no way to admit a pod: its IP changes, and some CNIs never match pod IPs with ipBlock.',
    symptom:
      'connection timeout at the gateway: 503 UF, `upstream connect error or disconnect/reset before headers. reset reason: connection timeout`',
    hint:
      'Admit the gateway in the package namespace: with bb-common, `routes.inbound.<name>` does it (its `selector` must match the pods and ' +
      '`port` must be the port the pod receives on), or `networkPolicies.ingress.to.<pod>:<port>.from.k8s.istio-gateway/<gateway>-ingressgateway: true`; ' +
      'by hand, an ingress rule from namespaceSelector kubernetes.io/metadata.name: istio-gateway and podSelector app.kubernetes.io/name: <gateway>-ingressgateway.',
    reads: ['NetworkPolicy', 'Namespace', 'VirtualService', 'Gateway', 'Service', 'Deployment'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    if (!model.networkPolicies.length) return out;
    const seen = new Set<string>();
    for (const t of routeTargets(model)) {
      const adm = gatewayToWorkload(model, t.gw, t.workload, t.containerPort);
      if (adm.allowed || !adm.object) continue;
      const key = `${adm.object.namespace}/${adm.object.name}|${t.workload.namespace}/${t.workload.name}|${t.containerPort}|${t.gw.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        object: adm.object.m,
        path: adm.objectPath,
        severity: adm.ipBlockOnly ? 'warning' : undefined,
        message:
          `gateway ${t.gw.namespace}/${t.gw.name} cannot connect to ${objRef(t.workload)} on TCP/${t.containerPort} ` +
          `(VirtualService ${t.vs.namespace}/${t.vs.name} ${t.route}, Service ${t.service.name} port ${t.servicePort.port}): ${adm.reason}`,
        related: [
          { object: t.vs.m, path: t.routePath, message: `route of VirtualService ${t.vs.namespace}/${t.vs.name}` },
          ...adm.blocking
            .filter((p) => p !== adm.object)
            .map((p) => ({
              object: p.m,
              path: ['spec'],
              message: `NetworkPolicy ${p.namespace}/${p.name} also selects the pod and does not admit the gateway`,
            })),
        ],
      });
    }
    return out;
  },
};
