// MESH015: a DestinationRule tls mode other than ISTIO_MUTUAL toward a workload whose effective
// PeerAuthentication is STRICT, ISTIO_MUTUAL toward a workload without a sidecar; PeerAuthentication
// portLevelMtls without a selector.
import { targetContainerPorts } from '../../../model/destination.js';
import { effectiveMtls, hasSidecar } from '../../../model/mtls.js';
import { workloadsOfService } from '../../../model/selectors.js';
import type { MeshModel, PeerAuthenticationInfo, ServiceInfo, Workload } from '../../../model/types.js';
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
      const svc = model.services.get(dr.fqdn);
      if (!svc?.selector) continue;
      const pods = workloadsOfService(model, svc);
      if (!pods.length) continue;
      // Each tls setting and the Service ports it governs (port-level settings override the policy's).
      const portModes = new Map(dr.portTls.filter((p) => p.mode).map((p) => [p.port, p]));
      const settings: Array<{ mode: string; ports: ServiceInfo['ports']; path: (string | number)[]; what: string }> = [];
      if (dr.tlsMode) {
        settings.push({
          mode: dr.tlsMode.toUpperCase(),
          ports: svc.ports.filter((p) => !portModes.has(p.port)),
          path: ['spec', 'trafficPolicy', 'tls', 'mode'],
          what: `trafficPolicy.tls.mode ${dr.tlsMode.toUpperCase()}`,
        });
      }
      for (const p of portModes.values()) {
        settings.push({
          mode: String(p.mode).toUpperCase(),
          ports: svc.ports.filter((sp) => sp.port === p.port),
          path: ['spec', 'trafficPolicy', 'portLevelSettings', p.index, 'tls', 'mode'],
          what: `portLevelSettings for port ${p.port} (tls ${String(p.mode).toUpperCase()})`,
        });
      }
      for (const st of settings) {
        if (!st.ports.length) continue;
        if (st.mode === 'ISTIO_MUTUAL') {
          const bare = pods.find((w) => hasSidecar(w) === false);
          if (!bare) continue;
          out.push({
            object: dr.m,
            path: st.path,
            message: `${st.what} makes clients speak Istio mTLS to Service ${svc.namespace}/${svc.name}, but ${bare.kind} ${bare.name} has no sidecar (${bare.injection.reason})`,
            symptom: '503 UF / connection reset: the plain-text pod cannot answer the mTLS handshake',
            hint: 'Inject the sidecar into those pods, or remove the DestinationRule tls setting (auto-mTLS sends plain text to pods without one).',
          });
          continue;
        }
        // STRICT is enforced by the sidecar: workloads without one accept what they get.
        const hit = strictTarget(
          model,
          svc,
          pods.filter((w) => hasSidecar(w) !== false),
          st.ports,
        );
        if (!hit) continue;
        out.push({
          object: dr.m,
          path: st.path,
          message:
            `${st.what} ${st.mode === 'DISABLE' ? 'disables TLS' : 'replaces Istio mTLS'} toward Service ${svc.namespace}/${svc.name}, but ${hit.w.kind} ${hit.w.name} is STRICT` +
            (hit.pa ? ` (PeerAuthentication ${hit.pa.namespace}/${hit.pa.name})` : '') +
            (hit.port !== undefined ? ` on port ${hit.port}` : ''),
          related: paRelated(hit.pa),
        });
      }
    }
    return out;
  },
};
