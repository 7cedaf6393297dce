// The HTTP transport under KubeReader: the kubeconfig's server, TLS and credentials (through
// @kubernetes/client-node's KubeConfig), one keep-alive agent, at most `maxInFlight` requests at
// once, and a bound on each request (--request-timeout) that also covers the credential plugin.
import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { CredentialError, runExecPlugin } from './exec-credential.js';
import type { ExecConfig, ExecCredential } from './exec-credential.js';
import { Slots } from './limit.js';

export interface RestOptions {
  /** Bound for each request, ms; 0 = none. */
  timeoutMs: number;
  /** Requests in flight at most (default 16). */
  maxInFlight?: number;
}

export interface RestAnswer {
  status: number;
  contentType: string;
  text: string;
  /** `location` of a redirect. */
  location?: string;
}

export type TransportFailure = 'timeout' | 'connection' | 'credentials' | 'too-large';

/** A request that got no HTTP answer. `message` is one line for the user. */
export class TransportError extends Error {
  constructor(
    readonly failure: TransportFailure,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

interface Prepared {
  agent: http.Agent;
  headers: Record<string, string>;
  /** When to ask the credentials again (exec expiry, or a minute: token files rotate). */
  refreshAt: number;
}

const MAX_BODY = 256 * 1024 * 1024;
const REFRESH_MS = 60_000;

export class KubeRest {
  readonly server: string;
  readonly slots: Slots;
  private readonly base: URL;
  private prepared?: Promise<Prepared>;
  private agent?: http.Agent;
  private execCredential?: ExecCredential;

  constructor(
    private readonly kc: KubeConfig,
    private readonly opts: RestOptions,
  ) {
    this.server = kc.getCurrentCluster()?.server ?? '';
    this.base = new URL(this.server);
    this.slots = new Slots(opts.maxInFlight ?? 16);
  }

  get timeoutMs(): number {
    return this.opts.timeoutMs;
  }

  /** One request, waiting for a free slot first. */
  request(method: string, path: string, body?: { text: string; contentType: string }): Promise<RestAnswer> {
    return this.slots.run(() => this.once(method, path, body));
  }

  /** Lets go of the kept-alive connections. */
  close(): void {
    this.agent?.destroy();
  }

  private async once(method: string, path: string, body?: { text: string; contentType: string }): Promise<RestAnswer> {
    const started = Date.now();
    const p = await this.prepare();
    const left = this.opts.timeoutMs > 0 ? Math.max(1, this.opts.timeoutMs - (Date.now() - started)) : 0;
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise<RestAnswer>((resolve, reject) => {
      const headers: Record<string, string> = { ...p.headers, Accept: 'application/json', 'User-Agent': 'bbmesh' };
      if (body) {
        headers['Content-Type'] = body.contentType;
        headers['Content-Length'] = String(Buffer.byteLength(body.text));
      }
      const req = lib.request(url, { method, agent: p.agent, headers });
      const timer =
        left > 0
          ? setTimeout(() => req.destroy(new TransportError('timeout', `no answer within ${this.opts.timeoutMs / 1000} s`)), left)
          : undefined;
      req.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (err instanceof TransportError) return reject(err);
        const code = err.code ?? (err.cause as NodeJS.ErrnoException | undefined)?.code;
        reject(new TransportError('connection', String(err.message ?? err).split('\n')[0], code));
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (d: Buffer) => {
          size += d.length;
          if (size > MAX_BODY) return req.destroy(new TransportError('too-large', `the answer is larger than ${MAX_BODY / 2 ** 20} MB`));
          chunks.push(d);
        });
        res.on('end', () => {
          clearTimeout(timer);
          const location = res.headers.location;
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
            ...(location ? { location } : {}),
          });
        });
      });
      req.end(body?.text);
    });
  }

  /** Credentials and the agent, once (again after refreshAt); bounded like a request. */
  private prepare(): Promise<Prepared> {
    const current = this.prepared;
    if (current) {
      return current.then((p) => {
        if (Date.now() < p.refreshAt || this.prepared !== current) return this.prepared!;
        this.prepared = this.load();
        return this.prepared;
      });
    }
    this.prepared = this.load();
    return this.prepared;
  }

  private async load(): Promise<Prepared> {
    const kc = await this.withExecCredential();
    const o: https.RequestOptions = {};
    await bounded(kc.applyToHTTPSOptions(o), this.opts.timeoutMs, 'reading the kubeconfig credentials');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(o.headers ?? {})) if (v !== undefined) headers[k] = String(v);
    if (o.auth) headers.Authorization = `Basic ${Buffer.from(o.auth).toString('base64')}`;
    const cluster = kc.getCurrentCluster();
    const maxSockets = this.slots.size;
    if (!this.agent) {
      if (cluster?.proxyUrl) this.agent = o.agent as http.Agent;
      else if (this.base.protocol === 'http:') this.agent = new http.Agent({ keepAlive: true, maxSockets });
      else {
        this.agent = new https.Agent({
          ca: o.ca,
          cert: o.cert,
          key: o.key,
          rejectUnauthorized: o.rejectUnauthorized ?? true,
          servername: o.servername,
          keepAlive: true,
          maxSockets,
        });
      }
    }
    const execExpiry = this.execCredential?.expiresAt;
    return { agent: this.agent, headers, refreshAt: Math.min(Date.now() + REFRESH_MS, execExpiry ?? Infinity) };
  }

  /**
   * The kubeconfig with the exec plugin's answer in place of the plugin (run by bbmesh, bounded),
   * and plain-http servers (kubectl proxy) allowed as kubectl allows them.
   */
  private async withExecCredential(): Promise<KubeConfig> {
    const user = this.kc.getCurrentUser();
    const cluster = this.kc.getCurrentCluster();
    const exec = (user?.exec ?? (user?.authProvider as { config?: { exec?: unknown } } | undefined)?.config?.exec) as
      ExecConfig | undefined;
    const plainHttp = cluster?.server.startsWith('http:') && !cluster.skipTLSVerify;
    if (!exec && !plainHttp) return this.kc;
    const users = this.kc.users.map((u) => ({ ...u }));
    const clusters = this.kc.clusters.map((c) => (c.name === cluster?.name && plainHttp ? { ...c, skipTLSVerify: true } : c));
    if (exec && user) {
      // Asked once per run, again only when the credential says it expires (as kubectl caches it).
      const cached = this.execCredential;
      const fresh = cached && (cached.expiresAt === undefined || cached.expiresAt - 10_000 > Date.now());
      const cred = fresh ? cached : await runExecPlugin(exec, this.opts.timeoutMs);
      this.execCredential = cred;
      const i = users.findIndex((u) => u.name === user.name);
      const b64 = (s: string | undefined) => (s ? Buffer.from(s).toString('base64') : undefined);
      users[i] = {
        ...users[i],
        exec: undefined,
        authProvider: undefined,
        token: cred.token,
        ...(cred.clientCertificateData ? { certData: b64(cred.clientCertificateData), certFile: undefined } : {}),
        ...(cred.clientKeyData ? { keyData: b64(cred.clientKeyData), keyFile: undefined } : {}),
      };
    }
    const out = new KubeConfig();
    out.loadFromOptions({ clusters, users, contexts: this.kc.contexts, currentContext: this.kc.getCurrentContext() });
    return out;
  }
}

async function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  if (!(ms > 0)) return p;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CredentialError(`${what} took longer than ${ms / 1000} s (--request-timeout)`)), ms);
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

export { CredentialError };
