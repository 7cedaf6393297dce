// Helpers of the rules that span packages: which package an object belongs to, whether the input is
// the umbrella's own render (so its HelmReleases are every enabled package), and the names a gateway's
// TLS certificate covers.
import { X509Certificate } from 'node:crypto';
import { asArray, asObject, asString } from '../../../manifest/json.js';
import type { Manifest } from '../../../manifest/types.js';
import { credentialFor } from '../../../model/credentials.js';
import type { MeshModel } from '../../../model/types.js';
import { fluxReleaseName } from '../../../sources/render/releases.js';

/** The umbrella's Helm release name, as Big Bang installs it. */
export const UMBRELLA_RELEASE = 'bigbang';

export interface PackageRef {
  /** Identity: the Helm release (`podinfo-podinfo`) or Flux's `namespace/name` labels. */
  id: string;
  /** For messages: `HelmRelease bigbang/podinfo`, else `release podinfo-podinfo`. */
  label: string;
}

/** The package that made an object: its Helm release (stage 2 of a render) or Flux's ownership labels; undefined otherwise. */
export function packageOf(model: MeshModel, m: Manifest): PackageRef | undefined {
  if (m.origin.stage === 'package' && m.origin.release) {
    const rel = m.origin.release;
    const hr = model.helmReleases.find(
      (h) =>
        fluxReleaseName({ name: h.name, targetNamespace: h.targetNamespace, releaseName: asString(asObject(h.m.obj.spec).releaseName) }) ===
        rel,
    );
    return { id: rel, label: hr ? `HelmRelease ${hr.namespace}/${hr.name}` : `release ${rel}` };
  }
  const labels = m.obj.metadata?.labels ?? {};
  const name = labels['helm.toolkit.fluxcd.io/name'];
  if (!name) return undefined;
  const ns = labels['helm.toolkit.fluxcd.io/namespace'] ?? '';
  return { id: `${ns}/${name}`, label: `HelmRelease ${ns ? `${ns}/` : ''}${name}` };
}

/**
 * The input holds the umbrella's own stage 1 (rendered through --umbrella, or `helm template bigbang`
 * output, or a cluster Big Bang installed): its HelmReleases are then every package the values enable.
 */
export function umbrellaRendered(model: MeshModel): boolean {
  return model.helmReleases.some((h) => {
    if (h.m.origin.release === UMBRELLA_RELEASE && h.m.origin.stage !== 'package') return true;
    const labels = h.m.obj.metadata?.labels ?? {};
    return labels['app.kubernetes.io/instance'] === UMBRELLA_RELEASE && labels['app.kubernetes.io/part-of'] === 'bigbang';
  });
}

export interface CertificateNames {
  /** DNS names the certificate is for (subjectAltName DNS entries; cert-manager dnsNames and commonName). */
  names: string[];
  /** The Secret or Certificate the names were read from. */
  source: Manifest;
  /** `Secret istio-gateway/public-cert` */
  describe: string;
}

function dnsNamesOfPem(pem: string): string[] | undefined {
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  if (!first) return undefined;
  try {
    const x = new X509Certificate(first);
    return (x.subjectAltName ?? '')
      .split(/,\s*/)
      .filter((s) => s.startsWith('DNS:'))
      .map((s) => s.slice(4));
  } catch {
    return undefined;
  }
}

/** What the credential `name` in `namespace` covers, when a certificate can be read from the input; else undefined. */
export function certificateNames(model: MeshModel, namespace: string, name: string): CertificateNames | undefined {
  const cred = credentialFor(model, namespace, name);
  if (!cred) return undefined;
  if (cred.kind === 'secret') {
    const obj = cred.secret.m.obj;
    const raw = asString(asObject(obj.data)['tls.crt']);
    const text = raw ? Buffer.from(raw, 'base64').toString('utf8') : asString(asObject(obj.stringData)['tls.crt']);
    const names = text ? dnsNamesOfPem(text) : undefined;
    return names ? { names, source: cred.secret.m, describe: `Secret ${namespace}/${name}` } : undefined;
  }
  if (cred.producer.kind !== 'Certificate') return undefined;
  const spec = asObject(cred.producer.obj.spec);
  const names = [...asArray(spec.dnsNames), spec.commonName].map(asString).filter((s): s is string => !!s);
  return { names, source: cred.producer, describe: `Certificate ${cred.producer.namespace}/${cred.producer.name}` };
}
