// Step 12: `curl -sL https://<host>/` without editing /etc/hosts: connect to the ingress address,
// send SNI and Host for the package host (like `curl --resolve host:443:<addr>`), verify TLS
// against --ca, else the public-cert chain plus the system roots (or --insecure), follow the
// http->https redirect, and report status, latency and a podinfo-like JSON body.
import http from 'node:http';
import https from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';
import type { SecureContext, TLSSocket } from 'node:tls';
import type { ClusterState } from '../../sources/cluster/gather.js';
import { tlsInfoOf } from '../../sources/cluster/reader.js';
import { ingressAddress } from './steps.js';
import type { StepResult, StepStatus } from './types.js';

export interface ProbeOptions {
  address?: { host: string; httpsPort?: number; httpPort?: number };
  caPem?: string;
  insecure?: boolean;
  timeoutMs: number;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
  peer?: { subject: string; issuer: string; fingerprint256: string; validTo: string };
}

const MAX_BODY = 64 * 1024;

// One TLS context per trust set: building one parses every CA (the system roots are ~140), and
// verify --all probes every package against the same set.
const contexts = new Map<string, SecureContext>();
function contextFor(ca: string[]): SecureContext {
  const key = ca.join('\n');
  let c = contexts.get(key);
  if (!c) {
    if (contexts.size > 16) contexts.clear();
    contexts.set(key, (c = createSecureContext({ ca })));
  }
  return c;
}
const MAX_REDIRECTS = 5;
const PODINFO_FIELDS = ['hostname', 'version', 'revision', 'message', 'runtime', 'goos', 'goarch', 'color'];

function request(
  scheme: 'http' | 'https',
  address: string,
  port: number,
  host: string,
  path: string,
  tls: { ca?: string[]; insecure?: boolean },
  timeoutMs: number,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const common = {
      host: address,
      port,
      path,
      method: 'GET',
      agent: false as const,
      timeout: timeoutMs,
      headers: { Host: host, 'User-Agent': 'bbmesh-verify', Accept: 'application/json, */*' },
    };
    const req =
      scheme === 'https'
        ? https.request({
            ...common,
            servername: host,
            ...(tls.ca ? { secureContext: contextFor(tls.ca) } : {}),
            rejectUnauthorized: !tls.insecure,
          })
        : http.request(common);
    let timer: ReturnType<typeof setTimeout> | undefined;
    timer = setTimeout(
      () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })),
      timeoutMs,
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
    req.on('error', (err) => {
      clearTimeout(timer);
      timer = undefined;
      reject(err);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let peer: Answer['peer'];
      if (scheme === 'https') {
        const c = (res.socket as TLSSocket).getPeerCertificate?.();
        if (c && c.fingerprint256) {
          peer = {
            subject: Object.entries(c.subject ?? {})
              .map(([k, v]) => `${k}=${v}`)
              .join(', '),
            issuer: Object.entries(c.issuer ?? {})
              .map(([k, v]) => `${k}=${v}`)
              .join(', '),
            fingerprint256: c.fingerprint256,
            validTo: c.valid_to,
          };
        }
      }
      res.on('data', (d: Buffer) => {
        if (size < MAX_BODY) chunks.push(d);
        size += d.length;
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY),
          ms: performance.now() - started,
          peer,
        });
      });
      res.on('error', reject);
    });
    req.end();
  });
}

/** Why a TLS or connection error happened, in the user's terms, and what to do. */
function explain(err: unknown, host: string, addr: string, trust: string): { detail: string; fix: string } {
  const code = String((err as NodeJS.ErrnoException | undefined)?.code ?? '');
  const msg = String(err instanceof Error ? err.message : err).split('\n')[0];
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return { detail: `TLS: the served certificate has expired (${msg})`, fix: 'renew the certificate in the TLS secret (step 7)' };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return {
        detail: `TLS: the served certificate does not cover ${host} (${msg})`,
        fix: `serve a certificate whose SANs include ${host} (step 7), or check the Gateway's credentialName (step 9)`,
      };
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
      return {
        detail: `TLS: the served certificate is not trusted by ${trust} (${code})`,
        fix: 'pass the issuing CA with --ca <file>, or --insecure to skip verification',
      };
    case 'CERT_NOT_YET_VALID':
      return { detail: `TLS: the served certificate is not valid yet (${msg})`, fix: 'check the clocks, or the certificate dates' };
    case 'ECONNREFUSED':
      return {
        detail: `connection refused by ${addr}`,
        fix: 'nothing listens there: check the ingress gateway Service address and ports (step 8), or pass --address',
      };
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return {
        detail: `${addr}: ${msg} (${code})`,
        fix: 'the ingress address is not reachable from here: check firewalls, or pass --address with a reachable address',
      };
    case 'ENOTFOUND':
      return { detail: `${addr}: DNS name not found`, fix: 'pass --address with the ingress IP' };
    default:
      return { detail: `${addr}: ${msg}${code ? ` (${code})` : ''}`, fix: 'check the ingress address (step 8) and retry' };
  }
}

function hostPort(addr: string, port: number): string {
  return `${addr.includes(':') ? `[${addr}]` : addr}:${port}`;
}

export async function step12(state: ClusterState, opts: ProbeOptions): Promise<StepResult> {
  const host = state.pkg.host;
  const title = `HTTPS request to https://${host ?? '<package host>'}/`;
  if (!state.live) {
    return {
      step: 12,
      title,
      status: 'cannot-check',
      details: ['a snapshot cannot answer HTTPS requests'],
      reason: 'snapshot',
      fix: `run bbmesh verify against the cluster, or by hand: curl -sL --resolve ${host ?? '<host>'}:443:<ingress-ip> https://${host ?? '<host>'}/`,
    };
  }
  if (!host)
    return {
      step: 12,
      title,
      status: 'cannot-check',
      details: ['package host unknown: no --host and no package VirtualService host'],
      reason: 'input',
      fix: 'pass --host',
    };
  let address = opts.address?.host;
  let why = '--address';
  if (!address) {
    const a = ingressAddress(state);
    address = a.host;
    why = a.why;
    if (!address)
      return {
        step: 12,
        title,
        status: 'cannot-check',
        details: [`no ingress address: ${a.why}`],
        reason: 'input',
        fix: 'pass --address <ip>[:<https port>] (for NodePort: a node IP and the https nodePort)',
      };
  }
  const httpsPort = opts.address?.httpsPort ?? 443;
  const httpPort = opts.address ? (opts.address.httpPort ?? (opts.address.httpsPort === undefined ? 80 : undefined)) : 80;

  // What the TLS handshake is verified against.
  const secretInfo = tlsInfoOf(state.secret.value?.obj);
  let ca: string[] | undefined;
  let trust: string;
  if (opts.insecure) {
    trust = 'nothing (--insecure)';
  } else if (opts.caPem) {
    ca = [opts.caPem];
    trust = '--ca';
  } else if (secretInfo?.trustPem.length) {
    ca = [...rootCertificates, ...secretInfo.trustPem];
    trust = `the ${state.secretRef.namespace}/${state.secretRef.name} chain and the system roots`;
  } else {
    trust = 'the system roots';
  }

  const details: string[] = [`to ${hostPort(address, httpsPort)} (${why}), SNI and Host ${host}, TLS verified against ${trust}`];
  const statuses: StepStatus[] = [];
  const fixes: string[] = [];
  let path = '/';

  if (httpPort !== undefined) {
    try {
      const a = await request('http', address, httpPort, host, '/', {}, opts.timeoutMs);
      const loc = String(a.headers.location ?? '');
      if (a.status >= 300 && a.status < 400 && loc.startsWith('https://')) {
        const u = new URL(loc);
        details.push(`http://${host}/ -> ${a.status} redirect to ${loc}`);
        if (u.hostname.toLowerCase() === host.toLowerCase()) path = u.pathname + u.search;
      } else {
        statuses.push('warn');
        details.push(`http://${host}/ (port ${httpPort}) answered ${a.status}, not a redirect to https://`);
        fixes.push('enable the Gateway http->https redirect (step 9)');
      }
    } catch (err) {
      statuses.push('warn');
      details.push(`http://${host}/ (port ${httpPort}): ${explain(err, host, hostPort(address, httpPort), trust).detail}`);
    }
  }

  const tlsOpts = { ca, insecure: opts.insecure };
  let answer: Answer | undefined;
  let total = 0;
  try {
    for (let i = 0; i <= MAX_REDIRECTS; i++) {
      answer = await request('https', address, httpsPort, host, path, tlsOpts, opts.timeoutMs);
      total += answer.ms;
      const loc = String(answer.headers.location ?? '');
      if (answer.status < 300 || answer.status >= 400 || !loc) break;
      const u = new URL(loc, `https://${host}${path}`);
      if (u.protocol !== 'https:' || u.hostname.toLowerCase() !== host.toLowerCase()) {
        details.push(`redirect to ${u.href}: another host, not followed`);
        break;
      }
      details.push(`${path} -> ${answer.status} redirect to ${u.pathname}${u.search}`);
      path = u.pathname + u.search;
    }
  } catch (err) {
    const e = explain(err, host, hostPort(address, httpsPort), trust);
    details.push(e.detail);
    return { step: 12, title, status: 'fail', details, fix: e.fix };
  }
  const a = answer!;
  details.push(`HTTP ${a.status} in ${Math.round(total)} ms${a.headers.server ? ` (server: ${a.headers.server})` : ''}`);
  if (a.peer) {
    const leaf = secretInfo?.chain?.[0];
    const same = leaf && leaf.fingerprint256 === a.peer.fingerprint256;
    details.push(
      `served certificate: ${a.peer.subject || '(no subject)'}${leaf ? (same ? `, the one in ${state.secretRef.name}` : `, NOT the one in ${state.secretRef.name}`) : ''}`,
    );
    if (leaf && !same) {
      statuses.push('warn');
      fixes.push(
        `the ingress serves another certificate than ${state.secretRef.namespace}/${state.secretRef.name}: check the Gateway credentialName (step 9)`,
      );
    }
  }
  const body = summarizeBody(a);
  details.push(...body);
  if (a.status >= 200 && a.status < 300) {
    statuses.push('pass');
  } else if (a.status >= 300 && a.status < 400) {
    statuses.push('warn');
    fixes.push('the package answers with a redirect elsewhere (single sign-on?): open it in a browser');
  } else {
    statuses.push('fail');
    if (a.status === 404) fixes.push(`the gateway has no route for ${host}${path}: check the VirtualService hosts and gateway (step 10)`);
    else if (a.status === 503)
      fixes.push('no healthy upstream: check the package pods and their sidecars (steps 5, 11) and the route port (step 10)');
    else if (a.status === 401 || a.status === 403)
      fixes.push('the request was refused: an AuthorizationPolicy or the package itself requires authentication');
    else fixes.push(`the package answered ${a.status}: check its logs`);
  }
  const st: StepStatus = statuses.includes('fail') ? 'fail' : statuses.includes('warn') ? 'warn' : 'pass';
  return { step: 12, title, status: st, details, ...(st !== 'pass' && fixes.length ? { fix: fixes.join('; ') } : {}) };
}

function summarizeBody(a: Answer): string[] {
  const type = String(a.headers['content-type'] ?? '');
  const text = a.body.trim();
  if (type.includes('json') || text.startsWith('{')) {
    try {
      const v = JSON.parse(text);
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const fields = PODINFO_FIELDS.filter((k) => v[k] !== undefined && v[k] !== '' && typeof v[k] !== 'object');
        if (fields.length >= 2) return [`podinfo-like JSON: ${fields.map((k) => `${k}=${String(v[k]).slice(0, 80)}`).join(', ')}`];
        return [`JSON body with keys ${Object.keys(v).slice(0, 10).join(', ')}`];
      }
    } catch {
      // not JSON after all
    }
  }
  return text ? [`body: ${type || 'unknown type'}, ${Buffer.byteLength(a.body)} bytes`] : ['empty body'];
}
