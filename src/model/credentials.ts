// Where a gateway's TLS credential comes from. The proxy fetches `credentialName` (optionally
// `kubernetes://name`) from its own namespace (pilot credentials ParseResourceName), so the Secret must
// be there; a cert-manager Certificate, an External Secrets ExternalSecret or a Sealed Secret in that
// namespace produce it at run time and count as present.
import { memo } from './memo.js';
import type { Manifest } from '../manifest/types.js';
import type { MeshModel, SecretInfo } from './types.js';

export type CredentialSource =
  | { kind: 'secret'; secret: SecretInfo }
  /** Made at run time by a controller from this object. */
  | { kind: 'produced'; producer: Manifest; controller: string };

/** `kubernetes://name`, `name` or `ns/name` as written in credentialName. */
export function parseCredentialName(raw: string): { namespace?: string; name: string } {
  const v = raw.replace(/^kubernetes:\/\//, '');
  const i = v.indexOf('/');
  return i < 0 ? { name: v } : { namespace: v.slice(0, i), name: v.slice(i + 1) };
}

function spec(m: Manifest): Record<string, unknown> {
  const s = m.obj.spec;
  return s && typeof s === 'object' ? (s as Record<string, unknown>) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

function nested(v: unknown, ...keys: string[]): unknown {
  let cur = v;
  for (const k of keys) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

/** The Secret name a controller-managed object produces, with the controller's name; undefined for other objects. */
export function producedSecret(m: Manifest): { name: string; controller: string } | undefined {
  const group = m.apiVersion.split('/')[0];
  if (m.kind === 'Certificate' && group === 'cert-manager.io') {
    const name = str(spec(m).secretName);
    return name ? { name, controller: 'cert-manager' } : undefined;
  }
  if (m.kind === 'ExternalSecret' && group === 'external-secrets.io') {
    return { name: str(nested(spec(m), 'target', 'name')) ?? m.name, controller: 'External Secrets' };
  }
  if (m.kind === 'SealedSecret' && group === 'bitnami.com') {
    return { name: str(nested(spec(m), 'template', 'metadata', 'name')) ?? m.name, controller: 'Sealed Secrets' };
  }
  return undefined;
}

/** The credential Secret `name` in `namespace`, or what produces it; undefined when nothing does. */
export function credentialFor(model: MeshModel, namespace: string, name: string): CredentialSource | undefined {
  const secret = model.secrets.get(`${namespace}/${name}`);
  if (secret) return { kind: 'secret', secret };
  const producers = memo(model, 'secretProducers', () => {
    const out = new Map<string, { m: Manifest; controller: string }>();
    for (const m of model.manifests) {
      const p = producedSecret(m);
      if (p && !out.has(`${m.namespace}/${p.name}`)) out.set(`${m.namespace}/${p.name}`, { m, controller: p.controller });
    }
    return out;
  });
  const p = producers.get(`${namespace}/${name}`);
  return p ? { kind: 'produced', producer: p.m, controller: p.controller } : undefined;
}
