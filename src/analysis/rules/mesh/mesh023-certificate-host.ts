// MESH023: a host bound to a TLS-terminating gateway server that the server's certificate does not cover.
import { parseCredentialName } from '../../../model/credentials.js';
import { gatewaysWithRoutes, serversBinding, terminatesTls } from '../../../model/gateway.js';
import { certificateCovers } from '../../../model/hosts.js';
import { gatewayProxyNamespaces } from '../../../model/selectors.js';
import { hostPath } from './util.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { certificateNames, type CertificateNames } from '../../../model/certificate-names.js';

export const mesh023: Rule = {
  meta: {
    code: 'MESH023',
    severity: 'error',
    title: "Gateway host not covered by the server's TLS certificate",
    explanation:
      'A TLS-terminating gateway server presents the certificate of its `credentialName` for every host it serves. A ' +
      "VirtualService host outside the certificate's DNS names (an exact name or a one-label wildcard) is served with a " +
      'certificate for another name. Checked where the certificate is in the input: a TLS Secret with tls.crt (Big Bang ' +
      'renders one from the gateway certificate values) or a cert-manager Certificate.',
    symptom: 'browsers and curl refuse the connection: certificate name mismatch (curl: "no alternative certificate subject name matches")',
    hint:
      "issue the gateway certificate for the host (add it, or a wildcard for its domain, to the certificate's DNS names), " +
      "or use a host of the certificate's domain",
    reads: ['VirtualService', 'Gateway', 'Secret', 'Certificate'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const [gw, list] of gatewaysWithRoutes(model)) {
      const certs = new Map<number, CertificateNames | undefined>();
      const certOf = (index: number, raw: string): CertificateNames | undefined => {
        if (!certs.has(index)) {
          const cred = parseCredentialName(raw);
          const ns = cred.namespace ?? gatewayProxyNamespaces(model, gw)[0];
          certs.set(index, certificateNames(model, ns, cred.name));
        }
        return certs.get(index);
      };
      for (const vs of list) {
        vs.hosts.forEach((host, i) => {
          if (host === '*') return;
          for (const s of serversBinding(gw, vs, i)) {
            if (!terminatesTls(s) || !s.tls?.credentialName) continue;
            const cert = certOf(s.index, s.tls.credentialName);
            if (!cert || cert.names.some((n) => certificateCovers(n, host))) continue;
            out.push({
              object: vs.m,
              path: hostPath(vs, host),
              message:
                `host ${host} is served by gateway ${gw.key} server ${s.port.name ?? s.port.number} ` +
                `with the certificate of ${cert.describe}, ` +
                `which covers ${cert.names.length ? cert.names.join(', ') : 'no DNS name'}`,
              related: [{ object: cert.source, message: `${cert.describe} holds the certificate` }],
            });
            break;
          }
        });
      }
    }
    return out;
  },
};
