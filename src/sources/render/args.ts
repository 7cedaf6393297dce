// The `.Capabilities` every helm template call of a render advertises: the Kubernetes version and the
// API group versions Big Bang charts test for (Istio's only when Istio is on).

import type { RenderOptions } from './types.js';

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

/** `kubeVersion`: resolved by the caller (see kube-version.ts), so every call of one render agrees. */
export function apiArgs(kubeVersion: string, istioApis = true): string[] {
  const args = ['--kube-version', kubeVersion];
  for (const a of API_VERSIONS) if (istioApis || !MESH_GROUPS.test(a)) args.push('--api-versions', a);
  return args;
}

/** Helm's value flags for stage 1, passed as given (Helm applies and reports them): --set, --set-string, --set-file, --set-json. */
export function valueFlagArgs(opts: RenderOptions, extraSet: string[] = []): string[] {
  return [
    ...[...(opts.set ?? []), ...extraSet].flatMap((s) => ['--set', s]),
    ...(opts.setString ?? []).flatMap((s) => ['--set-string', s]),
    ...(opts.setFile ?? []).flatMap((s) => ['--set-file', s]),
    ...(opts.setJson ?? []).flatMap((s) => ['--set-json', s]),
  ];
}
