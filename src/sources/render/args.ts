// The `.Capabilities` every helm template call of a render advertises: the Kubernetes version and the
// API group versions Big Bang charts test for (Istio's only when Istio is on).

/** Used when neither the caller nor an umbrella chart's kubeVersion says otherwise. */
export const DEFAULT_KUBE_VERSION = '1.31.0';

const API_VERSIONS = [
  'networking.istio.io/v1beta1',
  'networking.istio.io/v1alpha3',
  'networking.istio.io/v1',
  'security.istio.io/v1beta1',
  'security.istio.io/v1',
  'helm.toolkit.fluxcd.io/v2',
  'helm.toolkit.fluxcd.io/v2beta2',
  'helm.toolkit.fluxcd.io/v2beta1',
  'source.toolkit.fluxcd.io/v1',
  'source.toolkit.fluxcd.io/v1beta2',
  'monitoring.coreos.com/v1',
];

const MESH_GROUPS = /^(networking|security|telemetry|extensions)\.istio\.io\/|^gateway\.networking\.k8s\.io\//;

export function apiArgs(kubeVersion?: string, istioApis = true): string[] {
  const args = ['--kube-version', kubeVersion ?? DEFAULT_KUBE_VERSION];
  for (const a of API_VERSIONS) if (istioApis || !MESH_GROUPS.test(a)) args.push('--api-versions', a);
  return args;
}
