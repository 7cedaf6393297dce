// The DNS names a gateway's TLS credential is for, when the input holds the certificate: a TLS Secret
// with tls.crt (its subjectAltName DNS entries; clients ignore the CN) or a cert-manager Certificate
// (dnsNames and commonName). The Secret is found the way the gateway finds it (credentials.ts).
import { lazyRequire } from '../core/lazy-require.js';
import { asArray, asObject, asString } from '../manifest/json.js';
import type { Manifest } from '../manifest/types.js';
import { credentialFor } from './credentials.js';
import type { MeshModel } from './types.js';

const crypto = lazyRequire<typeof import('node:crypto')>('node:crypto');

export interface CertificateNames {
  names: string[];
  /** The Secret or Certificate the names were read from. */
  source: Manifest;
  /** `Secret istio-gateway/public-cert` */
  describe: string;
}

const CERTIFICATE = Symbol.for('bbmesh.certificate');

/**
 * Keeps a Secret's certificates (tls.crt, public) on its manifest when the printed render blanks its data:
 * a symbol property, never serialized into any output.
 */
export function attachCertificate(m: Manifest, pem: string): void {
  Object.defineProperty(m, CERTIFICATE, { value: pem, enumerable: false, configurable: true });
}

function attachedCertificate(m: Manifest): string | undefined {
  const v = (m as unknown as Record<symbol, unknown>)[CERTIFICATE];
  return typeof v === 'string' ? v : undefined;
}

/** The DNS subjectAltNames of the first certificate of a PEM bundle; undefined when it cannot be read. */
export function dnsNamesOfPem(pem: string): string[] | undefined {
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  if (!first) return undefined;
  try {
    return (new (crypto().X509Certificate)(first).subjectAltName ?? '')
      .split(/,\s*/)
      .filter((s) => s.startsWith('DNS:'))
      .map((s) => s.slice(4));
  } catch {
    return undefined;
  }
}

/** What the credential `name` in `namespace` covers, when its certificate is in the input; else undefined. */
export function certificateNames(model: MeshModel, namespace: string, name: string): CertificateNames | undefined {
  const cred = credentialFor(model, namespace, name);
  if (!cred) return undefined;
  if (cred.kind === 'secret') {
    const obj = cred.secret.m.obj;
    const raw = asString(asObject(obj.data)['tls.crt']);
    const text =
      attachedCertificate(cred.secret.m) ??
      (raw ? Buffer.from(raw, 'base64').toString('utf8') : asString(asObject(obj.stringData)['tls.crt']));
    const names = text ? dnsNamesOfPem(text) : undefined;
    return names ? { names, source: cred.secret.m, describe: `Secret ${namespace}/${name}` } : undefined;
  }
  if (cred.producer.kind !== 'Certificate') return undefined;
  const spec = asObject(cred.producer.obj.spec);
  const names = [...asArray(spec.dnsNames), spec.commonName].map(asString).filter((s): s is string => !!s);
  return { names, source: cred.producer, describe: `Certificate ${cred.producer.namespace}/${cred.producer.name}` };
}
