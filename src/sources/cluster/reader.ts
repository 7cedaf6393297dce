// The seam between the verify steps and a cluster: list/get by kind and namespace, returning
// Manifest objects (origin.stage 'cluster') or a ReadError. Two implementations: kube.ts
// (the official client against an API server) and snapshot.ts (a `kubectl get -o yaml` dump).
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { K8sObject, Manifest } from '../../manifest/index.js';
import type { Slot } from '../../analysis/verify/types.js';

/** The kinds verify reads, with their API coordinates. Versions are tried in order. */
export const KINDS = {
  Namespace: { group: '', versions: ['v1'], plural: 'namespaces', namespaced: false },
  Pod: { group: '', versions: ['v1'], plural: 'pods', namespaced: true },
  Service: { group: '', versions: ['v1'], plural: 'services', namespaced: true },
  Secret: { group: '', versions: ['v1'], plural: 'secrets', namespaced: true },
  HelmRelease: { group: 'helm.toolkit.fluxcd.io', versions: ['v2', 'v2beta2', 'v2beta1'], plural: 'helmreleases', namespaced: true },
  GitRepository: { group: 'source.toolkit.fluxcd.io', versions: ['v1', 'v1beta2'], plural: 'gitrepositories', namespaced: true },
  Gateway: { group: 'networking.istio.io', versions: ['v1beta1', 'v1'], plural: 'gateways', namespaced: true },
  VirtualService: { group: 'networking.istio.io', versions: ['v1beta1', 'v1'], plural: 'virtualservices', namespaced: true },
} as const;

export type ReadKind = keyof typeof KINDS;

/** `helmreleases.helm.toolkit.fluxcd.io`, or `pods` for the core group. */
export function resourceName(kind: ReadKind): string {
  const k = KINDS[kind];
  return k.group ? `${k.plural}.${k.group}` : k.plural;
}

/** Whether an object's apiVersion belongs to the group verify means by this kind (Gateway: Istio's, not Gateway API's). */
export function groupMatches(kind: ReadKind, apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return group === KINDS[kind].group;
}

export interface ClusterReader {
  /** One line naming what is read: `cluster <context> (<server>)` or `snapshot <file>`. */
  readonly description: string;
  readonly live: boolean;
  /** Objects of a kind in a namespace. Never throws: failures come back as `error`. */
  list(kind: ReadKind, namespace: string): Promise<Slot<Manifest[]>>;
  /** One object; `value: undefined` without error when it does not exist. Never throws. */
  get(kind: ReadKind, namespace: string, name: string): Promise<Slot<Manifest | undefined>>;
}

// ---------------------------------------------------------------------------------------------
// Secrets: only metadata, type, data key names and, for TLS secrets, the parsed certificate.

/** What step 7 and step 12 need from a TLS secret. No private key material. */
export interface TlsInfo {
  dataKeys: string[];
  /** Parsed certificates of tls.crt, leaf first; absent if tls.crt is missing. */
  chain?: CertInfo[];
  /** Why tls.crt did not parse. */
  certError?: string;
  /** Whether tls.key is the private key of the leaf certificate; undefined when it could not be tested. */
  keyMatches?: boolean;
  /** Why the key could not be tested (missing, unparseable); never contains the key. */
  keyError?: string;
  /** Certificates (PEM, public) from tls.crt and ca.crt, for verifying the ingress in step 12. */
  trustPem: string[];
}

export interface CertInfo {
  subject: string;
  issuer: string;
  /** `DNS:a, DNS:b, IP Address:1.2.3.4` as node reports it, split. */
  sans: string[];
  validFrom: string;
  validTo: string;
  validFromMs: number;
  validToMs: number;
  fingerprint256: string;
  selfSigned: boolean;
  isCA: boolean;
}

const TLS_INFO = Symbol.for('bbmesh.tlsInfo');

/** The TLS info attached to a sanitized Secret object (a symbol key: never serialized). */
export function tlsInfoOf(secret: K8sObject | undefined): TlsInfo | undefined {
  return secret ? ((secret as unknown as Record<symbol, unknown>)[TLS_INFO] as TlsInfo | undefined) : undefined;
}

const PEM_CERT_RE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function certInfo(x: X509Certificate): CertInfo {
  const sans = (x.subjectAltName ?? '')
    .split(/,\s*/)
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    subject: oneLineDn(x.subject),
    issuer: oneLineDn(x.issuer),
    sans,
    validFrom: new Date(x.validFrom).toISOString(),
    validTo: new Date(x.validTo).toISOString(),
    validFromMs: Date.parse(x.validFrom),
    validToMs: Date.parse(x.validTo),
    fingerprint256: x.fingerprint256,
    selfSigned: x.subject === x.issuer && safeVerify(x),
    isCA: x.ca,
  };
}

function safeVerify(x: X509Certificate): boolean {
  try {
    return x.verify(x.publicKey);
  } catch {
    return false;
  }
}

function oneLineDn(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

function decodeB64(v: unknown): Buffer | undefined {
  return typeof v === 'string' ? Buffer.from(v, 'base64') : undefined;
}

/** Parses the certificate and tests the key once, in memory; the key itself is dropped. */
export function parseTlsData(data: Record<string, unknown> | undefined, stringData?: Record<string, unknown>): TlsInfo {
  const raw = (k: string): Buffer | undefined =>
    decodeB64(data?.[k]) ?? (typeof stringData?.[k] === 'string' ? Buffer.from(String(stringData[k])) : undefined);
  const info: TlsInfo = {
    dataKeys: [...new Set([...Object.keys(data ?? {}), ...Object.keys(stringData ?? {})])].sort(),
    trustPem: [],
  };
  const crt = raw('tls.crt');
  const ca = raw('ca.crt');
  let leaf: X509Certificate | undefined;
  if (!crt) {
    info.certError = 'the secret has no tls.crt';
  } else {
    const pems = crt.toString('utf8').match(PEM_CERT_RE) ?? [];
    try {
      const certs = pems.length ? pems.map((p) => new X509Certificate(p)) : [new X509Certificate(crt)];
      leaf = certs[0];
      info.chain = certs.map(certInfo);
      info.trustPem.push(...certs.map((c) => c.toString()));
    } catch (err) {
      info.certError = `tls.crt is not a valid X.509 certificate (${(err as NodeJS.ErrnoException)?.code ?? 'parse error'})`;
    }
  }
  if (ca) {
    for (const p of ca.toString('utf8').match(PEM_CERT_RE) ?? []) {
      try {
        info.trustPem.push(new X509Certificate(p).toString());
      } catch {
        // an unparseable ca.crt only loses a trust anchor
      }
    }
  }
  const key = raw('tls.key');
  if (!key) {
    info.keyError = 'the secret has no tls.key';
  } else if (leaf) {
    try {
      info.keyMatches = leaf.checkPrivateKey(createPrivateKey({ key, format: 'pem' }));
    } catch (err) {
      // The error text of a failed key parse can quote the input: report only its code.
      info.keyError = `tls.key is not a PEM private key (${(err as NodeJS.ErrnoException)?.code ?? 'parse error'})`;
    }
    key.fill(0);
  }
  return info;
}

const DROP_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

/**
 * A Secret reduced to metadata (without managedFields or last-applied, which can hold the data),
 * type, and, for TLS secrets, the parsed certificate info under a symbol key. `data` is gone.
 */
export function sanitizeSecret(obj: K8sObject): K8sObject {
  const meta = { ...(obj.metadata ?? {}) } as Record<string, unknown>;
  delete meta.managedFields;
  if (meta.annotations && typeof meta.annotations === 'object') {
    const a = { ...(meta.annotations as Record<string, string>) };
    for (const k of DROP_ANNOTATIONS) delete a[k];
    meta.annotations = a;
  }
  const out: K8sObject = { apiVersion: obj.apiVersion ?? 'v1', kind: 'Secret', metadata: meta as K8sObject['metadata'] };
  if (obj.type !== undefined) out.type = obj.type;
  const info = parseTlsData(obj.data as Record<string, unknown> | undefined, obj.stringData as Record<string, unknown> | undefined);
  Object.defineProperty(out, TLS_INFO, { value: info, enumerable: false });
  return out;
}
