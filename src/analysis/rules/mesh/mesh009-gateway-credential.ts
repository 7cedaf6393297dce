// MESH009: a TLS-terminating server without a certificate in the gateway workload's namespace.
import { credentialFor, parseCredentialName } from '../../../model/credentials.js';
import { terminatesTls } from '../../../model/gateway.js';
import { gatewayWorkloads } from '../../../model/selectors.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { isAssumed } from './util.js';

export const mesh009: Rule = {
  meta: {
    code: 'MESH009',
    severity: 'error',
    title: "Gateway TLS Secret missing from the gateway workload's namespace",
    explanation:
      'The gateway proxy fetches `credentialName` from its own namespace (the namespace of the pod backing the ' +
      "Gateway), not from the Gateway object's namespace. A Secret made there at run time (a cert-manager Certificate, an " +
      'ExternalSecret, a SealedSecret) counts. Without one the TLS listener has no certificate.',
    symptom: 'TLS handshake failure / connection reset on https',
    hint: "Create the TLS Secret (tls.crt/tls.key) in the ingress gateway's namespace, or fix credentialName.",
    reads: ['Gateway', 'Secret', 'Certificate', 'ExternalSecret', 'SealedSecret', 'Deployment', 'Pod'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const gw of model.gateways.values()) {
      if (isAssumed(gw.m)) continue;
      const servers = gw.servers.filter(terminatesTls);
      if (!servers.length) continue;
      const namespaces = [...new Set(gatewayWorkloads(model, gw).map((w) => w.namespace))];
      if (!namespaces.length) continue; // MESH007
      for (const s of servers) {
        const raw = s.tls?.credentialName;
        if (!raw) {
          out.push({
            object: gw.m,
            path: ['spec', 'servers', s.index, 'tls'],
            message: `server ${s.port.name ?? s.port.number} terminates TLS (${(s.tls?.mode ?? 'SIMPLE').toUpperCase()}) but names no credentialName`,
          });
          continue;
        }
        const cred = parseCredentialName(raw);
        const wanted = cred.namespace ? [cred.namespace] : namespaces;
        const missing = wanted.filter((ns) => !credentialFor(model, ns, cred.name));
        if (!missing.length) continue;
        const inGwNs = !cred.namespace && credentialFor(model, gw.namespace, cred.name) && !namespaces.includes(gw.namespace);
        out.push({
          object: gw.m,
          path: ['spec', 'servers', s.index, 'tls', 'credentialName'],
          message:
            `Secret ${missing.map((ns) => `${ns}/${cred.name}`).join(', ')} does not exist` +
            (inGwNs ? `; it is in the Gateway's namespace ${gw.namespace}, but the gateway workload runs in ${namespaces.join(', ')}` : ''),
        });
      }
    }
    return out;
  },
};
