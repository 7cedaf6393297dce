// MESH015: DestinationRule tls DISABLE toward a workload whose effective PeerAuthentication is STRICT;
// PeerAuthentication portLevelMtls without a selector.
import { effectiveMtls, targetContainerPorts, workloadsOfService } from '../../../model/lookup.js';
import type { DestinationRuleInfo, MeshModel, PeerAuthenticationInfo, ServiceInfo, Workload } from '../../../model/types.js';
import type { FindingDraft, RelatedLocation, Rule, RuleContext } from '../types.js';

/** The first sidecar workload of the Service that is STRICT on the container port(s) behind one of `svcPorts`. */
function strictTarget(
  model: MeshModel,
  svc: ServiceInfo,
  ws: Workload[],
  svcPorts: ServiceInfo['ports'],
): { w: Workload; pa?: PeerAuthenticationInfo; port?: number } | undefined {
  for (const w of ws) {
    for (const p of svcPorts) {
      const cps = targetContainerPorts(p, w);
      for (const cp of cps.length ? cps : [undefined]) {
        const e = effectiveMtls(model, w, cp);
        if (e.mode === 'STRICT') return { w, pa: e.policy, port: cp };
      }
    }
  }
  return undefined;
}

function paRelated(pa: PeerAuthenticationInfo | undefined): RelatedLocation[] {
  return pa ? [{ object: pa.m, path: ['spec', 'mtls', 'mode'], message: `PeerAuthentication ${pa.namespace}/${pa.name} is STRICT` }] : [];
}

export const mesh015: Rule = {
  meta: {
    code: 'MESH015',
    severity: 'error',
    title: 'mTLS conflict: DestinationRule disables TLS toward a STRICT workload',
    explanation:
      'An explicit DestinationRule `tls` overrides auto-mTLS. `DISABLE` makes clients send plaintext, which a workload whose ' +
      'effective PeerAuthentication (workload > namespace > root namespace) is STRICT rejects. `portLevelMtls` needs a selector.',
    symptom: '503 UC / connection reset by peer (upstream_reset_before_response_started)',
    hint: 'Remove the DestinationRule tls setting (auto-mTLS), or use ISTIO_MUTUAL; put portLevelMtls on a PeerAuthentication with a selector.',
    reads: ['DestinationRule', 'PeerAuthentication', 'Service', 'Deployment', 'Pod'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const pa of model.peerAuthentications) {
      if (pa.selector && Object.keys(pa.selector).length) continue;
      if (!Object.keys(pa.portLevel).length) continue;
      out.push({
        object: pa.m,
        path: ['spec', 'portLevelMtls'],
        message: `portLevelMtls on a PeerAuthentication without a selector is rejected ("mesh/namespace peer authentication cannot have port level mTLS")`,
        hint: 'Add `selector.matchLabels` for the workload whose ports these are (the keys are container ports).',
      });
    }
    for (const dr of model.destinationRules) {
      const disables = String(dr.tlsMode ?? '').toUpperCase() === 'DISABLE';
      const portDisables = dr.portTls.filter((p) => String(p.mode ?? '').toUpperCase() === 'DISABLE');
      if (!disables && !portDisables.length) continue;
      const svc = model.services.get(dr.fqdn);
      if (!svc?.selector) continue;
      // STRICT is enforced by the sidecar: workloads without one accept plaintext.
      const ws = workloadsOfService(model, svc).filter((w) => w.hasProxy || w.injection.injected !== false);
      if (!ws.length) continue;
      const check = (dr: DestinationRuleInfo, ports: ServiceInfo['ports'], path: (string | number)[], what: string) => {
        const hit = strictTarget(model, svc, ws, ports);
        if (!hit) return;
        out.push({
          object: dr.m,
          path,
          message:
            `${what} disables TLS toward Service ${svc.namespace}/${svc.name}, but ${hit.w.kind} ${hit.w.name} is STRICT` +
            (hit.pa ? ` (PeerAuthentication ${hit.pa.namespace}/${hit.pa.name})` : '') +
            (hit.port !== undefined ? ` on port ${hit.port}` : ''),
          related: paRelated(hit.pa),
        });
      };
      if (disables) {
        // Ports the DestinationRule re-enables at port level are not affected.
        const overridden = new Set(dr.portTls.filter((p) => p.mode && String(p.mode).toUpperCase() !== 'DISABLE').map((p) => p.port));
        check(
          dr,
          svc.ports.filter((p) => !overridden.has(p.port)),
          ['spec', 'trafficPolicy', 'tls', 'mode'],
          'trafficPolicy.tls.mode DISABLE',
        );
      }
      for (const p of portDisables) {
        const ports = svc.ports.filter((sp) => sp.port === p.port);
        if (!ports.length) continue;
        check(
          dr,
          ports,
          ['spec', 'trafficPolicy', 'portLevelSettings', p.index, 'tls', 'mode'],
          `portLevelSettings for port ${p.port} (tls DISABLE)`,
        );
      }
    }
    return out;
  },
};
