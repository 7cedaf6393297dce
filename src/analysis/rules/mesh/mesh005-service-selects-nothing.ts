// MESH005: a Service whose selector matches no workload.
import { workloadsOfService } from '../../../model/selectors.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { isAssumed, mayHaveOperatorPods } from './util.js';

export const mesh005: Rule = {
  meta: {
    code: 'MESH005',
    severity: 'error',
    title: 'Service selects no workload',
    explanation:
      'A Service gets its endpoints from the pods its selector matches, in its own namespace. When no pod template ' +
      'carries those labels the Service has no endpoints.',
    symptom: '503 UH (no healthy upstream)',
    hint: 'Make `spec.selector` a subset of the pod template labels of the Deployment/StatefulSet that serves it.',
    reads: ['Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'Pod'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const svc of model.services.values()) {
      if (!svc.selector || svc.type === 'ExternalName' || isAssumed(svc.m)) continue;
      if (workloadsOfService(model, svc).length) continue;
      const sel = Object.entries(svc.selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      const inNs = model.workloadsByNamespace.get(svc.namespace) ?? [];
      const operator = !inNs.length || mayHaveOperatorPods(model, svc.namespace);
      out.push({
        object: svc.m,
        path: ['spec', 'selector'],
        message:
          `selector ${sel} matches no workload in namespace ${svc.namespace}` +
          (operator
            ? ' (the pods may come from an operator or another release not in the input)'
            : ` (${inNs.length} workload(s) there: ${inNs
                .slice(0, 3)
                .map((w) => `${w.kind}/${w.name}`)
                .join(', ')}${inNs.length > 3 ? ', ...' : ''})`),
        severity: operator ? 'info' : undefined,
      });
    }
    return out;
  },
};
