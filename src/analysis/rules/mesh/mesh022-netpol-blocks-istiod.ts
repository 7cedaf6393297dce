// MESH022: egress NetworkPolicies of a package namespace drop its sidecars' connection to istiod (15012):
// the proxy never gets its configuration or certificate. Judged by model/netpol (sidecarToIstiod), as trace does.
import { hasSidecar } from '../../../model/mtls.js';
import { sidecarToIstiod } from '../../../model/netpol.js';
import type { NetworkPolicyInfo } from '../../../model/netpol.js';
import type { Path } from '../../../manifest/types.js';
import type { Workload } from '../../../model/types.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { isAssumed, objRef } from './util.js';

export const mesh022: Rule = {
  meta: {
    code: 'MESH022',
    severity: 'error',
    title: 'NetworkPolicies block the sidecars from istiod',
    explanation:
      "An injected pod's istio-proxy fetches its configuration (xDS) and its workload certificate from istiod on TCP 15012. " +
      'When an egress NetworkPolicy selects the pod, a rule must admit istiod (namespace istio-system, pods app: istiod) on 15012, ' +
      "or the proxy never becomes ready, the pod never joins its Service's endpoints, and every route to it fails.",
    symptom:
      'istio-proxy not ready (`envoy proxy is NOT ready: config not received from XDS server`); the gateway answers 503 UH, no healthy upstream',
    hint: "Keep bb-common's `networkPolicies.egress.defaults.allowIstiod` on, or add an egress rule to namespaceSelector kubernetes.io/metadata.name: istio-system, podSelector app: istiod, port 15012.",
    reads: ['NetworkPolicy', 'Namespace', 'Deployment', 'Pod'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    if (!model.networkPolicies.length) return [];
    const byPolicy = new Map<NetworkPolicyInfo, { pods: Workload[]; reason: string; blocking: NetworkPolicyInfo[]; path?: Path }>();
    for (const w of model.workloads) {
      if (isAssumed(w.m) || hasSidecar(w) !== true) continue;
      const adm = sidecarToIstiod(model, w);
      if (adm.allowed || !adm.object) continue;
      const e = byPolicy.get(adm.object) ?? { pods: [], reason: adm.reason, blocking: adm.blocking };
      e.pods.push(w);
      e.path ??= adm.objectPath;
      byPolicy.set(adm.object, e);
    }
    return [...byPolicy].map(([p, e]) => ({
      object: p.m,
      path: e.path,
      message: `the sidecars of ${e.pods.map(objRef).join(', ')} cannot reach istiod: ${e.reason}`,
      related: e.blocking
        .filter((b) => b !== p)
        .map((b) => ({ object: b.m, path: ['spec'], message: `NetworkPolicy ${b.namespace}/${b.name} also isolates the pods for egress` })),
    }));
  },
};
