// ClusterReader over the official client (@kubernetes/client-node 1.4.0, the one that runs on Node 20).
// Every call is bounded by a timeout and never throws: failures become ReadErrors that the steps turn
// into cannot-check. Once the API server is unreachable, later calls fail fast with the same reason.
import { existsSync, readFileSync } from 'node:fs';
import { ApiException, CoreV1Api, CustomObjectsApi, KubeConfig, Observable } from '@kubernetes/client-node';
import { UserError } from '../../core/errors.js';
import { toManifest } from '../../manifest/index.js';
import type { K8sObject, Manifest } from '../../manifest/index.js';
import { KINDS, resourceName, sanitizeSecret } from './reader.js';
import type { ClusterReader, ReadKind } from './reader.js';
import type { ReadError, Slot } from '../../analysis/verify/types.js';

export interface KubeReaderOptions {
  kubeconfig?: string;
  context?: string;
  /** Bound for each call, ms (default 10000). */
  timeoutMs?: number;
}

/** Loads the kubeconfig as kubectl would; bad input (unreadable file, unknown context) is a UserError. */
export function loadKubeConfig(opts: KubeReaderOptions): KubeConfig {
  const kc = new KubeConfig();
  if (opts.kubeconfig) {
    if (!existsSync(opts.kubeconfig)) throw new UserError(`kubeconfig not found: ${opts.kubeconfig}`);
    try {
      readFileSync(opts.kubeconfig, 'utf8');
      kc.loadFromFile(opts.kubeconfig);
    } catch (err: any) {
      throw new UserError(`cannot read kubeconfig ${opts.kubeconfig}: ${firstLine(err?.message ?? err)}`);
    }
  } else {
    try {
      kc.loadFromDefault();
    } catch (err: any) {
      throw new UserError(`cannot read kubeconfig: ${firstLine(err?.message ?? err)}`, { hint: 'set KUBECONFIG or pass --kubeconfig' });
    }
  }
  if (opts.context) {
    const names = kc.getContexts().map((c) => c.name);
    if (!names.includes(opts.context)) {
      throw new UserError(`no context "${opts.context}" in the kubeconfig`, {
        hint: names.length ? `contexts: ${names.join(', ')}` : 'the kubeconfig has no contexts',
      });
    }
    kc.setCurrentContext(opts.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) {
    throw new UserError('no Kubernetes cluster configured', { hint: 'set KUBECONFIG, pass --kubeconfig, or pick one with --context' });
  }
  return kc;
}

function firstLine(s: unknown): string {
  return String(s).split('\n')[0];
}

export class KubeReader implements ClusterReader {
  readonly live = true;
  readonly description: string;
  readonly context: string;
  readonly server: string;
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly timeoutMs: number;
  /** Set by the first connection-level failure: later calls return it at once. */
  private down?: { reason: 'unreachable'; message: string };

  constructor(kc: KubeConfig, opts: KubeReaderOptions = {}) {
    this.context = kc.getCurrentContext();
    this.server = kc.getCurrentCluster()?.server ?? '';
    this.description = `cluster ${this.context} (${this.server})`;
    this.core = kc.makeApiClient(CoreV1Api);
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  static fromOptions(opts: KubeReaderOptions): KubeReader {
    return new KubeReader(loadKubeConfig(opts), opts);
  }

  async list(kind: ReadKind, namespace: string): Promise<Slot<Manifest[]>> {
    const r = await this.call(kind, 'list', namespace, undefined);
    if (r.error) return { error: r.error };
    const body = r.body as { items?: K8sObject[] };
    return { value: (body?.items ?? []).map((o) => this.manifest(kind, o, r.version)) };
  }

  async get(kind: ReadKind, namespace: string, name: string): Promise<Slot<Manifest | undefined>> {
    const r = await this.call(kind, 'get', namespace, name);
    if (r.error) return { error: r.error };
    return { value: r.body ? this.manifest(kind, r.body as K8sObject, r.version) : undefined };
  }

  private manifest(kind: ReadKind, raw: K8sObject, version: string): Manifest {
    // The typed core client returns class instances with Date fields: back to plain API JSON.
    let obj = JSON.parse(JSON.stringify(raw)) as K8sObject;
    const k = KINDS[kind];
    obj.apiVersion ??= k.group ? `${k.group}/${version}` : version;
    obj.kind ??= kind;
    if (kind === 'Secret') obj = sanitizeSecret(obj);
    return toManifest(obj, { stage: 'cluster' });
  }

  /** One API call with version fallback for CRDs; `body` undefined for a get of an absent object. */
  private async call(
    kind: ReadKind,
    verb: 'list' | 'get',
    namespace: string,
    name: string | undefined,
  ): Promise<{ body?: unknown; version: string; error?: ReadError }> {
    const k = KINDS[kind];
    const where = { kind, namespace: k.namespaced ? namespace : undefined, name };
    if (this.down) return { version: '', error: { ...where, ...this.down } };
    const tried: string[] = [];
    for (const version of k.versions) {
      tried.push(version);
      try {
        const body = await this.bounded((opts) => this.request(kind, verb, version, namespace, name, opts));
        return { body, version };
      } catch (err: any) {
        const code = err instanceof ApiException ? err.code : undefined;
        const status = statusBody(err);
        if (code === 404) {
          // A 404 Status naming the object means the object is absent; any other 404 (a plain
          // "404 page not found") means the resource path does not exist in that version.
          if (verb === 'get' && status?.reason === 'NotFound' && status?.details?.name) return { body: undefined, version };
          if (!k.group) {
            if (verb === 'get') return { body: undefined, version };
            return { version, error: { ...where, reason: 'other', message: `the API server has no ${resourceName(kind)} resource (404)` } };
          }
          continue;
        }
        return { version, error: this.mapError(err, kind, verb, namespace, name) };
      }
    }
    return {
      version: '',
      error: {
        ...where,
        reason: 'crd-absent',
        message: `the ${kind} CRD (${resourceName(kind)}) is not installed: 404 for API version${tried.length > 1 ? 's' : ''} ${tried.map((v) => `${k.group}/${v}`).join(', ')}`,
      },
    };
  }

  private request(
    kind: ReadKind,
    verb: 'list' | 'get',
    version: string,
    namespace: string,
    name: string | undefined,
    options: any,
  ): Promise<unknown> {
    const k = KINDS[kind];
    if (!k.group) {
      if (verb === 'get') {
        const n = name as string;
        switch (kind) {
          case 'Namespace':
            return this.core.readNamespace({ name: n }, options);
          case 'Pod':
            return this.core.readNamespacedPod({ name: n, namespace }, options);
          case 'Service':
            return this.core.readNamespacedService({ name: n, namespace }, options);
          case 'Secret':
            return this.core.readNamespacedSecret({ name: n, namespace }, options);
        }
      } else {
        switch (kind) {
          case 'Namespace':
            return this.core.listNamespace({}, options);
          case 'Pod':
            return this.core.listNamespacedPod({ namespace }, options);
          case 'Service':
            return this.core.listNamespacedService({ namespace }, options);
          case 'Secret':
            return this.core.listNamespacedSecret({ namespace }, options);
        }
      }
      throw new Error(`no core reader for ${kind}`);
    }
    const p = { group: k.group, version, namespace, plural: k.plural };
    return verb === 'get'
      ? this.custom.getNamespacedCustomObject({ ...p, name: name as string }, options)
      : this.custom.listNamespacedCustomObject(p, options);
  }

  /** Runs a call with an AbortSignal (through a request middleware) and a timer as a backstop. */
  private async bounded<T>(fn: (options: any) => Promise<T>): Promise<T> {
    const ac = new AbortController();
    // The object-parameter API hands these options to the observable layer: observable middleware.
    const options = {
      middleware: [
        {
          pre: (ctx: any) => {
            ctx.setSignal(ac.signal);
            return new Observable(Promise.resolve(ctx));
          },
          post: (ctx: any) => new Observable(Promise.resolve(ctx)),
        },
      ],
      middlewareMergeStrategy: 'append',
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        ac.abort();
        reject(Object.assign(new Error(`no answer within ${this.timeoutMs / 1000} s`), { code: 'BBMESH_TIMEOUT' }));
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([fn(options), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private mapError(err: any, kind: ReadKind, verb: 'list' | 'get', namespace: string, name: string | undefined): ReadError {
    const k = KINDS[kind];
    const where = { kind, namespace: k.namespaced ? namespace : undefined, name };
    const target = `${verb} ${resourceName(kind)}${k.namespaced ? ` in namespace ${namespace}` : ''}`;
    if (err?.code === 'BBMESH_TIMEOUT' || err?.name === 'AbortError' || err?.type === 'aborted') {
      return { ...where, reason: 'timeout', message: `${target}: the API server gave no answer within ${this.timeoutMs / 1000} s` };
    }
    if (err instanceof ApiException) {
      const status = statusBody(err);
      if (err.code === 401) {
        return {
          ...where,
          reason: 'unauthorized',
          message: `${target}: 401 Unauthorized: the API server did not accept the credentials of context ${this.context} (expired token or certificate?)`,
        };
      }
      if (err.code === 403) {
        const permission = `${verb} ${resourceName(kind)}${k.namespaced ? ` in namespace ${namespace}` : ' (cluster-wide)'}`;
        const said = status?.message ? `: ${status.message}` : '';
        return { ...where, reason: 'forbidden', permission, message: `403 Forbidden: missing RBAC permission to ${permission}${said}` };
      }
      return { ...where, reason: 'other', message: `${target}: HTTP ${err.code}${status?.message ? `: ${status.message}` : ''}` };
    }
    // Connection-level failures: refused, DNS, TLS trust, reset.
    const code = err?.code ?? err?.errno ?? err?.cause?.code;
    const msg = firstLine(err?.message ?? err);
    this.down = { reason: 'unreachable', message: `the API server ${this.server} is unreachable${code ? ` (${code})` : ''}: ${msg}` };
    return { ...where, ...this.down };
  }
}

function statusBody(err: any): { reason?: string; message?: string; details?: { name?: string } } | undefined {
  let body = err?.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  return body && typeof body === 'object' && body.kind === 'Status' ? body : undefined;
}
