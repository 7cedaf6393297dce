// MESH013: workloads that get no sidecar although Istio is enabled (or although they ask for one).
// An explicit opt-out (namespace `istio-injection: disabled`, pod `sidecar.istio.io/inject: "false"`) is a
// deliberate choice (NeuVector's enforcer, Twistlock's defender): reported as info, never as a defect.
import type { Manifest } from '../../../manifest/types.js';
import type { FindingDraft, RelatedLocation, Rule, RuleContext } from '../types.js';
import { isAssumed } from './util.js';

/** Kinds whose pods run to completion: a sidecar keeps them from finishing, so charts opt them out on purpose. */
const RUN_TO_COMPLETION = new Set(['Job', 'CronJob']);
/** Namespaces Istio never injects (by design). */
const NEVER_INJECTED = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

export const mesh013: Rule = {
  meta: {
    code: 'MESH013',
    severity: 'warning',
    title: 'Workload gets no Istio sidecar',
    explanation:
      'Pods are injected when their namespace has `istio-injection=enabled` (or `istio.io/rev`), or, in an unlabelled ' +
      'namespace, when the pod has the label `sidecar.istio.io/inject: "true"`. `istio-injection=disabled` on the namespace wins over the pod label. ' +
      'An explicit opt-out (namespace `istio-injection: disabled`, pod `sidecar.istio.io/inject: "false"`) is a deliberate choice and is reported as info.',
    symptom: 'the pod runs without a sidecar: its calls to STRICT-mTLS services are reset (503 UC/UF), and it is outside mesh policy',
    hint: 'Label the namespace `istio-injection: enabled` when Istio is enabled (Big Bang: from `.Values.istio.enabled`).',
    reads: ['Namespace', 'Deployment', 'StatefulSet', 'DaemonSet', 'Pod'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const w of model.workloads) {
      if (isAssumed(w.m) || w.hasProxy || w.hostNetwork || w.injection.injected !== false) continue;
      if (NEVER_INJECTED.has(w.namespace)) continue;
      if (RUN_TO_COMPLETION.has(w.kind) || w.ownerKind === 'Job') continue;
      if (w.kind === 'Pod' && w.ownerKind) continue; // reported on its controller
      if (
        w.kind === 'ReplicaSet' &&
        Array.isArray(w.m.obj.metadata?.ownerReferences) &&
        (w.m.obj.metadata.ownerReferences as unknown[]).length
      )
        continue;
      const ns = model.namespaces.get(w.namespace);
      if (!ns) continue;
      const podLabel = w.labels['sidecar.istio.io/inject'];
      const optOut = podLabel === 'false' || (podLabel === undefined && w.annotations['sidecar.istio.io/inject'] === 'false');
      const nsLabel = ns.labels['istio-injection'];
      const related = [{ object: ns.m ?? w.m, path: ns.m ? ['metadata', 'labels'] : undefined, message: `Namespace ${ns.name} labels` }];
      if (optOut || (nsLabel === 'disabled' && podLabel !== 'true')) {
        if (!ctx.istioEnabled || w.namespace === model.rootNamespace || w.namespace === ctx.layout.istioNamespace) continue;
        out.push(optedOut(w.m, w.kind, w.name, optOut ? undefined : ns.name, related));
        continue;
      }
      if (podLabel === 'true' && nsLabel !== undefined && nsLabel !== 'enabled') {
        out.push({
          object: w.m,
          path: ['metadata', 'name'],
          message: `${w.kind} ${w.name} asks for a sidecar (sidecar.istio.io/inject: "true") but namespace ${ns.name} has istio-injection=${nsLabel}, which wins: no sidecar is injected`,
          hint: `Set istio-injection: enabled on namespace ${ns.name}, or remove the label there.`,
          related,
        });
        continue;
      }
      // Istio's own namespace is never injected on purpose (istioctl's IST0102 skips it too).
      if (!ctx.istioEnabled || w.namespace === model.rootNamespace || w.namespace === ctx.layout.istioNamespace) continue;
      out.push({
        object: w.m,
        path: ['metadata', 'name'],
        message: `${w.kind} ${w.name} gets no sidecar: ${w.injection.reason}`,
        related,
      });
    }
    return out;
  },
};

/** A deliberate opt-out: info, since the pod is meant to run outside the mesh. */
function optedOut(m: Manifest, kind: string, name: string, namespace: string | undefined, related: RelatedLocation[]): FindingDraft {
  const how = namespace ? `namespace ${namespace} has istio-injection: disabled` : 'the pod sets sidecar.istio.io/inject: "false"';
  return {
    object: m,
    path: ['metadata', 'name'],
    severity: 'info',
    message: `${kind} ${name} runs without a sidecar by choice (${how}): it is outside mesh mTLS and policy`,
    symptom: 'none by itself: the opt-out is deliberate; only calls from it to STRICT-mTLS services are refused',
    hint: 'nothing to do if the opt-out is intended; otherwise remove it',
    related: namespace ? related : undefined,
  };
}
