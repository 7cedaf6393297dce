// MESH009: a TLS server whose credentialName Secret is not in the gateway workload's namespace.
import { gatewayWorkloads } from '../../../model/lookup.js';
import type { MeshModel } from '../../../model/types.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { isAssumed } from './util.js';

const TERMINATING = new Set(['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL']);

/** `ns/name` of Secrets the input provides directly or through a controller (cert-manager, External Secrets, Sealed Secrets). */
function providedSecrets(model: MeshModel): Set<string> {
  const out = new Set(model.secrets.keys());
  for (const m of model.manifests) {
    const spec: any = m.obj.spec;
    if (m.kind === 'Certificate' && m.apiVersion.startsWith('cert-manager.io/') && spec?.secretName)
      out.add(`${m.namespace}/${spec.secretName}`);
    else if (m.kind === 'ExternalSecret' && m.apiVersion.startsWith('external-secrets.io/'))
      out.add(`${m.namespace}/${spec?.target?.name ?? m.name}`);
    else if (m.kind === 'SealedSecret' && m.apiVersion.startsWith('bitnami.com/'))
      out.add(`${m.namespace}/${spec?.template?.metadata?.name ?? m.name}`);
  }
  return out;
}

export const mesh009: Rule = {
  meta: {
    code: 'MESH009',
    severity: 'error',
    title: "Gateway TLS Secret missing from the gateway workload's namespace",
    explanation:
      'The gateway proxy fetches `credentialName` from its own namespace (the namespace of the pod backing the ' +
      "Gateway), not from the Gateway object's namespace. A missing Secret leaves the TLS listener without a certificate.",
    symptom: 'TLS handshake failure / connection reset on https',
    hint: "Create the TLS Secret (tls.crt/tls.key) in the ingress gateway's namespace, or fix credentialName.",
    reads: ['Gateway', 'Secret', 'Deployment', 'Pod', 'Certificate'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    let have: Set<string> | undefined;
    for (const gw of model.gateways.values()) {
      if (isAssumed(gw.m) || !Object.keys(gw.selector).length) continue;
      const servers = gw.servers.filter((s) => s.tls?.credentialName && TERMINATING.has(String(s.tls.mode ?? '').toUpperCase()));
      if (!servers.length) continue;
      const namespaces = [...new Set(gatewayWorkloads(model, gw).map((w) => w.namespace))];
      if (!namespaces.length) continue; // MESH007
      have ??= providedSecrets(model);
      for (const s of servers) {
        const cred = String(s.tls?.credentialName).replace(/^kubernetes:\/\//, '');
        const slash = cred.indexOf('/');
        const wanted = slash >= 0 ? [`${cred}`] : namespaces.map((ns) => `${ns}/${cred}`);
        const missing = wanted.filter((k) => !have?.has(k));
        if (!missing.length) continue;
        const inGwNs = slash < 0 && have.has(`${gw.namespace}/${cred}`) && !namespaces.includes(gw.namespace);
        out.push({
          object: gw.m,
          path: ['spec', 'servers', s.index, 'tls', 'credentialName'],
          message:
            `Secret ${missing.join(', ')} does not exist` +
            (inGwNs ? `; it is in the Gateway's namespace ${gw.namespace}, but the gateway workload runs in ${namespaces.join(', ')}` : ''),
        });
      }
    }
    return out;
  },
};
