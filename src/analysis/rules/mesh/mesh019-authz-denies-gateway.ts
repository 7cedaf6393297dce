// MESH019: the AuthorizationPolicies of a destination workload deny the ingress gateway's requests on an
// exposed route: a DENY rule matches them, or ALLOW policies apply (an allow-nothing `spec: {}` included)
// and none admits them. Judged for a request that matches each route, as trace does. One code for the one
// symptom (403 RBAC: access denied): a DENY that shuts the route off is reported too, since nothing reaches it.
import { authorize, workloadPrincipal } from '../../../model/authz.js';
import { resolveDestination, resolveTargetPort, selectServicePort } from '../../../model/destination.js';
import { serversBinding } from '../../../model/gateway.js';
import { blocksOn, exampleRequest } from '../../../model/match.js';
import { clientTls, hasSidecar } from '../../../model/mtls.js';
import { gatewayWorkloads, workloadsOfService } from '../../../model/selectors.js';
import type { AuthorizationPolicyInfo } from '../../../model/types.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { boundGateways } from './util.js';

export const mesh019: Rule = {
  meta: {
    code: 'MESH019',
    severity: 'error',
    title: "AuthorizationPolicy denies the ingress gateway's requests to the workload",
    explanation:
      "The destination's sidecar enforces the AuthorizationPolicies of its namespace and the mesh-wide ones: a matching DENY " +
      'rule denies; when ALLOW policies apply (an allow-nothing `spec: {}` included), one must match the request, whose source ' +
      "principal is the gateway's service account (Big Bang hardened mode needs an allow rule for it; 3.x names it " +
      '`<gateway>-ingressgateway-ingressgateway-service-account`). A DENY rule that matches the requests of an exposed route is ' +
      'reported too: whether deliberate or not, nothing reaches the route, and the maintainer must know.',
    symptom: '403 RBAC: access denied, from the sidecar of the destination pod',
    hint:
      "Allow the gateway's principal (e.g. cluster.local/ns/istio-gateway/sa/public-ingressgateway-ingressgateway-service-account) in an ALLOW policy " +
      'of the namespace (bb-common: `routes.inbound.<name>` with istio.authorizationPolicies.enabled writes it); narrow a DENY rule so it spares the route, ' +
      'or remove the route if it must stay closed.',
    reads: ['AuthorizationPolicy', 'VirtualService', 'Gateway', 'Service', 'Deployment', 'DestinationRule'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    if (!model.authorizationPolicies.length) return out;
    const reported = new Set<AuthorizationPolicyInfo>();
    for (const vs of model.virtualServices) {
      for (const gwObj of boundGateways(model, vs)) {
        const hostIndex = vs.hosts.findIndex((_, i) => serversBinding(gwObj, vs, i).length);
        if (hostIndex < 0) continue;
        const gw = gatewayWorkloads(model, gwObj)[0];
        if (!gw) continue;
        const host = vs.fqdnHosts[hostIndex].replace(/^\*\./, 'www.');
        for (const rule of vs.http) {
          for (const block of blocksOn(rule, gwObj.key)) {
            const req = exampleRequest(block);
            if (!req) continue;
            for (const d of rule.route) {
              if (rule.route.length > 1 && !((d.weight ?? 0) > 0)) continue;
              const r = resolveDestination(model, d, gw.namespace);
              if (r.kind !== 'service') continue;
              const sp = selectServicePort(r.service, d, 8443).port;
              const pods = workloadsOfService(model, r.service);
              if (!sp || !pods.length) continue;
              const target = resolveTargetPort(sp, pods);
              if (target.kind === 'unnamed' || hasSidecar(target.workload) === false) continue;
              const mtls =
                clientTls(model, gw.namespace, r.service.fqdn, r.service.namespace, sp.port, target.workload).mode === 'ISTIO_MUTUAL';
              const dec = authorize(model, target.workload, {
                host,
                method: req.method,
                path: req.path.split('?')[0],
                headers: req.headers,
                port: target.containerPort,
                source: mtls ? { namespace: gw.namespace, principal: workloadPrincipal(gw) } : {},
              });
              if (!dec || dec.allowed || !dec.policy || reported.has(dec.policy)) continue;
              reported.add(dec.policy);
              out.push({
                object: dec.policy.m,
                path: dec.policy.action === 'DENY' && dec.rule !== undefined && dec.rule >= 0 ? ['spec', 'rules', dec.rule] : ['spec'],
                message:
                  `${req.method} ${host}${req.path} through gateway ${gwObj.key} (VirtualService ${vs.namespace}/${vs.name} http[${rule.index}]) ` +
                  `is denied at ${target.workload.kind} ${target.workload.namespace}/${target.workload.name}: ${dec.reason}`,
                related: [{ object: vs.m, path: rule.path, message: `route of VirtualService ${vs.namespace}/${vs.name}` }],
              });
            }
          }
        }
      }
    }
    return out;
  },
};
