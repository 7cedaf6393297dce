// MESH006: a Service targetPort that no container of the selected workloads exposes.
import { workloadsOfService } from '../../../model/lookup.js';
import type { Container, ContainerPort } from '../../../model/types.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { isAssumed } from './util.js';

function hasPort(containers: Container[], pred: (p: ContainerPort) => boolean): boolean {
  for (const c of containers) for (const p of c.ports) if (pred(p)) return true;
  return false;
}

export const mesh006: Rule = {
  meta: {
    code: 'MESH006',
    severity: 'error',
    title: 'Service targetPort not exposed by the selected workloads',
    explanation:
      'A named targetPort is resolved against the container port names of each pod; a pod without that name gives no ' +
      'endpoint. A numeric targetPort must be where the application listens.',
    symptom: '503 UH (no endpoints for the port), or 503 UF/connection refused when nothing listens on the numeric port',
    hint: 'Make targetPort the `name` (or `containerPort`) of the container port the application listens on.',
    reads: ['Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'Pod'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const svc of model.services.values()) {
      if (!svc.selector || svc.type === 'ExternalName' || isAssumed(svc.m)) continue;
      const ws = workloadsOfService(model, svc);
      if (!ws.length) continue; // MESH005
      const containers = ws.length === 1 ? ws[0].containers : ws.flatMap((w) => w.containers);
      for (const p of svc.ports) {
        const t = p.targetPort;
        const label = p.name ? `port ${p.name} (${p.port})` : `port ${p.port}`;
        if (typeof t === 'string') {
          if (hasPort(containers, (cp) => cp.name === t)) continue;
          const names = [...new Set(containers.flatMap((c) => c.ports.map((cp) => cp.name).filter(Boolean)))];
          out.push({
            object: svc.m,
            path: ['spec', 'ports', p.index, 'targetPort'],
            message:
              `${label}: targetPort "${t}" is not the name of a container port of ${ws.map((w) => `${w.kind}/${w.name}`).join(', ')}` +
              (names.length ? ` (names: ${names.join(', ')})` : ' (no named container ports)'),
          });
          continue;
        }
        if (t < 0) continue;
        // Kubernetes does not require declaring ports: a container without any may listen anywhere.
        if (containers.some((c) => !c.ports.length) || hasPort(containers, (cp) => cp.containerPort === t)) continue;
        const nums = [...new Set(containers.flatMap((c) => c.ports.map((cp) => cp.containerPort)))];
        out.push({
          object: svc.m,
          path: ['spec', 'ports', p.index, 'targetPort'],
          message: `${label}: targetPort ${t} is not a containerPort of ${ws.map((w) => `${w.kind}/${w.name}`).join(', ')} (container ports: ${nums.join(', ')})`,
        });
      }
    }
    return out;
  },
};
