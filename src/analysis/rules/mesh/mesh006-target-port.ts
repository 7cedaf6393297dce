// MESH006: a Service targetPort that no container of the selected workloads exposes.
import { resolveTargetPort } from '../../../model/destination.js';
import { workloadsOfService } from '../../../model/selectors.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { isAssumed } from './util.js';

export const mesh006: Rule = {
  meta: {
    code: 'MESH006',
    severity: 'error',
    title: 'Service targetPort not exposed by the selected workloads',
    explanation:
      'A named targetPort is resolved against the container port names of each pod; a pod without that name gives no ' +
      'endpoint. A numeric targetPort needs no declaration (Kubernetes forwards to it whatever the pod declares), so an ' +
      'undeclared one is only noted, as info: the application may well listen there.',
    symptom: '503 UH (no endpoints for the port); for an undeclared numeric port, 503 UF if nothing listens there',
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
      const containers = ws.flatMap((w) => w.containers);
      const of = ws.map((w) => `${w.kind}/${w.name}`).join(', ');
      for (const p of svc.ports) {
        if (p.targetPort === -1) continue;
        const r = resolveTargetPort(p, ws);
        if (r.kind === 'declared') continue;
        const label = p.name ? `port ${p.name} (${p.port})` : `port ${p.port}`;
        const path = ['spec', 'ports', p.index, 'targetPort'];
        if (r.kind === 'unnamed') {
          const names = [...new Set(containers.flatMap((c) => c.ports.map((cp) => cp.name).filter(Boolean)))];
          out.push({
            object: svc.m,
            path,
            message:
              `${label}: targetPort "${r.name}" is not the name of a container port of ${of}` +
              (names.length ? ` (names: ${names.join(', ')})` : ' (no named container ports)'),
          });
          continue;
        }
        // A container that declares no ports at all says nothing about where it listens.
        if (containers.some((c) => !c.ports.length)) continue;
        const nums = [...new Set(containers.flatMap((c) => c.ports.map((cp) => cp.containerPort)))];
        out.push({
          object: svc.m,
          path,
          severity: 'info',
          message: `${label}: targetPort ${r.containerPort} is declared by no container of ${of}${nums.length ? ` (declared: ${nums.join(', ')})` : ''}; Kubernetes forwards to it anyway, so it works if the application listens there`,
          symptom: '503 UF (upstream connect error) only if nothing listens on that port',
        });
      }
    }
    return out;
  },
};
