// MESH014: Service ports whose protocol Istio cannot tell from the name or appProtocol (IST0118).
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { isAssumed } from './util.js';

const PROTOCOLS = new Set(['tcp', 'udp', 'grpc', 'grpc-web', 'http', 'http_proxy', 'http2', 'https', 'tls', 'mongo', 'redis', 'mysql']);
/** Ports Istio treats as TCP whatever their name (SMTP, DNS, MySQL, MongoDB). */
const WELL_KNOWN_TCP = new Set([25, 53, 3306, 27017]);

/** Does Istio know the protocol of this port from its name or appProtocol? */
export function protocolDeclared(name: string | undefined, appProtocol: string | undefined): boolean {
  if (appProtocol) return true;
  if (!name) return false;
  const n = name.toLowerCase();
  if (n.startsWith('grpc-web')) return true;
  const dash = n.indexOf('-');
  return PROTOCOLS.has(dash < 0 ? n : n.slice(0, dash));
}

export const mesh014: Rule = {
  meta: {
    code: 'MESH014',
    severity: 'info',
    title: 'Service port protocol not declared',
    explanation:
      "Istio picks a port's protocol from `appProtocol`, else from the name prefix before the first `-` (http, http2, https, grpc, " +
      'grpc-web, tcp, tls, udp, mongo, redis, mysql, http_proxy). Otherwise it sniffs the traffic, which adds latency and fails for server-first protocols.',
    symptom: 'protocol sniffing: HTTP features (retries, routing on headers) may not apply, server-first protocols can hang',
    hint: 'Name the port `http`, `http-<suffix>`, `grpc`, `tcp-<suffix>`... or set `appProtocol`.',
    reads: ['Service'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const out: FindingDraft[] = [];
    for (const svc of ctx.model.services.values()) {
      if (isAssumed(svc.m) || svc.type === 'ExternalName') continue;
      if (svc.m.obj.metadata?.labels?.['gateway.istio.io/managed']) continue;
      for (const p of svc.ports) {
        if (p.protocol.toUpperCase() === 'UDP' || WELL_KNOWN_TCP.has(p.port) || protocolDeclared(p.name, p.appProtocol)) continue;
        out.push({
          object: svc.m,
          path: p.name !== undefined ? ['spec', 'ports', p.index, 'name'] : ['spec', 'ports', p.index],
          message:
            p.name !== undefined
              ? `port ${p.port} is named "${p.name}", which declares no protocol, and has no appProtocol`
              : `port ${p.port} has neither a name nor an appProtocol`,
        });
      }
    }
    return out;
  },
};
