// Istio's sidecar-injection decision (the default-revision webhooks, then injectRequired).
import type { InjectionDecision, Labels, NamespaceInfo } from './types.js';

const IGNORED_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

export function injectionDecision(
  ns: NamespaceInfo | undefined,
  namespaceName: string,
  podLabels: Labels,
  podAnnotations: Labels,
  hostNetwork: boolean,
): InjectionDecision {
  const podLabel = podLabels['sidecar.istio.io/inject'];
  const podAnno = podAnnotations['sidecar.istio.io/inject'];
  if (hostNetwork) return { injected: false, reason: 'the pod uses hostNetwork' };
  if (IGNORED_NAMESPACES.has(namespaceName)) return { injected: false, reason: `${namespaceName} is never injected` };
  if (!ns) return { injected: undefined, reason: `namespace ${namespaceName} is not in the input` };
  const nsLabel = ns.labels['istio-injection'];
  const rev = ns.labels['istio.io/rev'];
  const optOut = podLabel === 'false' || (podLabel === undefined && podAnno === 'false');
  if (nsLabel === 'enabled') {
    if (optOut) return { injected: false, reason: `the pod opts out with sidecar.istio.io/inject: "false"` };
    return { injected: true, reason: `namespace ${namespaceName} has istio-injection=enabled` };
  }
  if (nsLabel !== undefined) {
    return {
      injected: false,
      reason: `namespace ${namespaceName} has istio-injection=${nsLabel}${podLabel === 'true' ? ', which overrides the pod label sidecar.istio.io/inject=true' : ''}`,
    };
  }
  if (rev !== undefined) {
    if (optOut) return { injected: false, reason: `the pod opts out with sidecar.istio.io/inject: "false"` };
    return { injected: true, reason: `namespace ${namespaceName} has istio.io/rev=${rev}` };
  }
  if (podLabel === 'true') return { injected: true, reason: 'the pod has the label sidecar.istio.io/inject=true' };
  return { injected: false, reason: `namespace ${namespaceName} has no istio-injection label` };
}
