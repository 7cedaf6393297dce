// Step 7: the TLS Secret of the gateway: type, SANs covering the host, validity, the key matching.
import { certificateCovers } from '../../model/hosts.js';
import type { ClusterState } from '../../sources/cluster/gather.js';
import { tlsInfoOf } from '../../sources/cluster/reader.js';
import { cannotCheck, worst } from './common.js';
import type { StepResult, StepStatus } from './types.js';

const DAY = 86_400_000;
export const EXPIRY_WARN_DAYS = 30;

export function step7(state: ClusterState, now: Date): StepResult {
  const ref = state.secretRef;
  const title = `TLS certificate in secret ${ref.namespace}/${ref.name}`;
  if (state.secret.error) {
    const r = cannotCheck(7, title, state.secret.error);
    // A dump without Secrets is the safe way to share one: that is the snapshot's nature, like step 12.
    if (state.secret.error.reason === 'not-captured') r.reason = 'snapshot';
    return r;
  }
  const secret = state.secret.value;
  const installFix = `install Big Bang with a certificate for ${state.pkg.host ?? 'the package host'} (guide step 3: -f ~/bigbang/chart/ingress-certs.yaml, or istio${state.layout === 'bb3' ? 'Gateway' : ''} gateway tls values)`;
  if (!secret) {
    return { step: 7, title, status: 'fail', details: [`secret ${ref.namespace}/${ref.name} not found (${ref.why})`], fix: installFix };
  }
  const details: string[] = [];
  const statuses: StepStatus[] = [];
  const fixes: string[] = [];
  const type = String(secret.obj.type ?? '');
  if (type !== 'kubernetes.io/tls') {
    details.push(`type is ${type || '(none)'}, not kubernetes.io/tls`);
    statuses.push('fail');
    fixes.push('recreate it as a TLS secret: kubectl create secret tls ... --cert=... --key=...');
  } else {
    details.push('type kubernetes.io/tls');
  }
  const info = tlsInfoOf(secret.obj);
  if (!info || info.certError || !info.chain?.length) {
    details.push(info?.certError ?? 'tls.crt could not be read');
    statuses.push('fail');
    fixes.push(installFix);
    return { step: 7, title, status: 'fail', details, fix: fixes.join('; ') };
  }
  const leaf = info.chain[0];
  details.push(`subject: ${leaf.subject || '(empty)'}`);
  details.push(`SANs: ${leaf.sans.length ? leaf.sans.join(', ') : '(none)'}`);
  details.push(
    `issuer: ${leaf.issuer}${leaf.selfSigned ? ' (self-signed)' : ''}${info.chain.length > 1 ? `, chain of ${info.chain.length} certificates` : ''}`,
  );
  const daysLeft = Math.floor((leaf.validToMs - now.getTime()) / DAY);
  details.push(`valid ${leaf.validFrom.slice(0, 10)} to ${leaf.validTo.slice(0, 10)}${daysLeft >= 0 ? ` (${daysLeft} days left)` : ''}`);
  details.push(`SHA-256 fingerprint: ${leaf.fingerprint256}`);
  if (leaf.validFromMs > now.getTime()) {
    statuses.push('fail');
    details.push(`not valid yet: valid from ${leaf.validFrom}`);
    fixes.push('check the clocks, or issue a certificate valid now');
  } else if (leaf.validToMs < now.getTime()) {
    statuses.push('fail');
    details.push(`expired on ${leaf.validTo}`);
    fixes.push(
      `renew the certificate (${state.layout === 'bb2' ? 'istio.gateways.public.tls' : 'istioGateway gateway tls'} values, or a newer ingress-certs.yaml)`,
    );
  } else if (leaf.validToMs - now.getTime() < EXPIRY_WARN_DAYS * DAY) {
    statuses.push('warn');
    details.push(`expires within ${EXPIRY_WARN_DAYS} days`);
    fixes.push('renew the certificate soon');
  }
  const host = state.pkg.host;
  if (!host) {
    statuses.push('warn');
    details.push('package host unknown (no --host and no package VirtualService host): SANs not compared');
    fixes.push('pass --host');
  } else {
    const dns = leaf.sans.filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
    const cover = dns.find((d) => certificateCovers(d, host));
    if (cover) {
      details.push(`covers ${host} (SAN DNS:${cover})`);
    } else {
      statuses.push('fail');
      details.push(`does not cover ${host}${dns.length ? '' : ' (no DNS SANs; clients ignore the CN)'}`);
      fixes.push(`issue a certificate whose SANs include ${host} or *.${host.split('.').slice(1).join('.')}`);
    }
  }
  if (info.keyMatches === true) {
    details.push('tls.key matches the certificate');
  } else if (info.keyMatches === false) {
    statuses.push('fail');
    details.push('tls.key does not match the certificate');
    fixes.push('put the key that belongs to this certificate in the secret (tls.key)');
  } else {
    statuses.push('fail');
    details.push(info.keyError ?? 'tls.key could not be tested');
    fixes.push('put the PEM private key of this certificate in tls.key');
  }
  const st = worst(statuses);
  return { step: 7, title, status: st, details, ...(st !== 'pass' ? { fix: fixes.join('; ') } : {}) };
}
