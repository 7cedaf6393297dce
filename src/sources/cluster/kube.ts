// ClusterReader over the Kubernetes REST API (kubeconfig, TLS and credentials through
// @kubernetes/client-node's KubeConfig; requests through rest.ts). Every call is bounded and never
// throws: failures become ReadErrors that the steps turn into cannot-check. Failures that hold for the
// whole server (unreachable, 401, not the API, credential plugin) make later calls fail at once.
import type { KubeConfig } from '@kubernetes/client-node';
import { toManifest } from '../../manifest/index.js';
import type { K8sObject, Manifest } from '../../manifest/index.js';
import type { ReadError, Slot } from '../../analysis/verify/types.js';
import { jsonBody, notApi, statusOf } from './answers.js';
import type { RestAnswer } from './rest.js';
import { KubeRest, TransportError } from './rest.js';
import { loadKubeConfig } from './kubeconfig.js';
import type { KubeConfigOptions } from './kubeconfig.js';
import { KINDS, resourceName, sanitizeSecret } from './reader.js';
import type { ClusterReader, ReadKind } from './reader.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './timeout.js';

export { loadKubeConfig, kubeconfigSource } from './kubeconfig.js';

export interface KubeReaderOptions extends KubeConfigOptions {
  /** Bound for each call and for the credential plugin, ms (default 10000; 0 = none). */
  timeoutMs?: number;
  /** API calls in flight at most (default 16). */
  maxInFlight?: number;
}

type Where = Pick<ReadError, 'kind' | 'namespace' | 'name'>;
type Outcome = { body?: unknown; error?: ReadError };

/** Three timeouts in a row with no answer in between: the server is taken as gone. */
const TIMEOUTS_TO_DOWN = 3;

export class KubeReader implements ClusterReader {
  readonly live = true;
  readonly description: string;
  readonly context: string;
  readonly server: string;
  readonly rest: KubeRest;
  private down?: Pick<ReadError, 'reason' | 'message'>;
  private timeoutsInRow = 0;
  /** The API version that answered, per kind: asked first next time. */
  private readonly served = new Map<ReadKind, string>();
  /** Kinds whose CRD is not installed: not asked again. */
  private readonly absent = new Map<ReadKind, ReadError>();

  constructor(kc: KubeConfig, opts: KubeReaderOptions = {}) {
    this.context = kc.getCurrentContext();
    this.server = kc.getCurrentCluster()?.server ?? '';
    this.description = `cluster ${this.context} (${this.server})`;
    this.rest = new KubeRest(kc, { timeoutMs: opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, maxInFlight: opts.maxInFlight });
  }

  static fromOptions(opts: KubeReaderOptions): KubeReader {
    return new KubeReader(loadKubeConfig(opts), opts);
  }

  /** The most API calls that were in flight at once. */
  get peakInFlight(): number {
    return this.rest.slots.peak;
  }

  close(): void {
    this.rest.close();
  }

  async list(kind: ReadKind, namespace: string): Promise<Slot<Manifest[]>> {
    const r = await this.call(kind, namespace, undefined);
    if (r.error) return { error: r.error };
    const items = (r.body as { items?: unknown }).items as K8sObject[];
    return { value: items.filter((o) => o && typeof o === 'object').map((o) => this.manifest(kind, o)) };
  }

  async get(kind: ReadKind, namespace: string, name: string): Promise<Slot<Manifest | undefined>> {
    const r = await this.call(kind, namespace, name);
    if (r.error) return { error: r.error };
    return { value: r.body ? this.manifest(kind, r.body as K8sObject) : undefined };
  }

  /** The failure that holds for the whole server, if one was seen. */
  get serverDown(): Pick<ReadError, 'reason' | 'message'> | undefined {
    return this.down;
  }

  private manifest(kind: ReadKind, raw: K8sObject): Manifest {
    let obj = raw;
    const k = KINDS[kind];
    // Core lists carry no apiVersion/kind on their items.
    obj.apiVersion ??= k.group ? `${k.group}/${this.served.get(kind)}` : 'v1';
    obj.kind ??= kind;
    if (kind === 'Secret') obj = sanitizeSecret(obj);
    return toManifest(obj, { stage: 'cluster' });
  }

  private path(kind: ReadKind, version: string, namespace: string, name: string | undefined): string {
    const k = KINDS[kind];
    const tail = name ? `/${encodeURIComponent(name)}` : '';
    const ns = encodeURIComponent(namespace);
    if (!k.group) return kind === 'Namespace' ? `/api/v1/namespaces${tail}` : `/api/${version}/namespaces/${ns}/${k.plural}${tail}`;
    return `/apis/${k.group}/${version}/namespaces/${ns}/${k.plural}${tail}`;
  }

  /** One read, trying the kind's API versions in order (the one that answered before first). */
  private async call(kind: ReadKind, namespace: string, name: string | undefined): Promise<Outcome> {
    const k = KINDS[kind];
    const where: Where = { kind, namespace: k.namespaced ? namespace : undefined, name };
    const verb = name ? 'get' : 'list';
    if (this.down) return { error: { ...where, ...this.down } };
    const gone = this.absent.get(kind);
    if (gone) return { error: { ...gone, ...where } };
    const known = this.served.get(kind);
    const versions: string[] = known ? [known, ...k.versions.filter((v) => v !== known)] : [...k.versions];
    for (const version of versions) {
      let a: RestAnswer;
      try {
        a = await this.rest.request('GET', this.path(kind, version, namespace, name));
      } catch (err) {
        return { error: this.transportError(err, where, verb) };
      }
      this.timeoutsInRow = 0;
      const proxy = notApi(a, this.server);
      if (proxy) return { error: this.serverWide(where, 'not-api', proxy) };
      if (a.status === 404) {
        const st = statusOf(a);
        // A 404 Status naming the object: the object is absent. Any other 404 (a plain "404 page not
        // found"): the resource path does not exist in that version.
        if (name && st?.reason === 'NotFound' && st.details?.name) {
          this.served.set(kind, version);
          return {};
        }
        if (!k.group) {
          if (name) return {};
          return { error: { ...where, reason: 'other', message: `the API server has no ${resourceName(kind)} resource (404)` } };
        }
        continue;
      }
      if (a.status >= 200 && a.status < 300) return this.body(a, kind, version, where, verb);
      return { error: this.httpError(a, where, verb) };
    }
    const error: ReadError = {
      ...where,
      reason: 'crd-absent',
      message: `the ${kind} CRD (${resourceName(kind)}) is not installed: 404 for API version${versions.length > 1 ? 's' : ''} ${versions.map((v) => `${k.group}/${v}`).join(', ')}`,
    };
    this.absent.set(kind, error);
    return { error };
  }

  private body(a: RestAnswer, kind: ReadKind, version: string, where: Where, verb: 'get' | 'list'): Outcome {
    const { json, why } = jsonBody(a);
    const target = `${verb} ${resourceName(kind)}`;
    if (why) return { error: this.serverWide(where, 'not-api', `${target}: ${why}: is ${this.server} the Kubernetes API?`) };
    const obj = json as Record<string, unknown> | null;
    const shaped = verb === 'list' ? Array.isArray(obj?.items) : !!obj && typeof obj === 'object' && typeof obj.metadata === 'object';
    if (!shaped) {
      const what = verb === 'list' ? 'a list (no items)' : 'an object (no metadata)';
      return {
        error: this.serverWide(
          where,
          'not-api',
          `${target}: the API server answered JSON that is not ${what}: is ${this.server} the Kubernetes API?`,
        ),
      };
    }
    this.served.set(kind, version);
    return { body: obj };
  }

  private serverWide(where: Where, reason: ReadError['reason'], message: string): ReadError {
    this.down = { reason, message };
    return { ...where, ...this.down };
  }

  private httpError(a: RestAnswer, where: Where, verb: 'get' | 'list'): ReadError {
    const kind = where.kind as ReadKind;
    const k = KINDS[kind];
    const st = statusOf(a);
    const target = `${verb} ${resourceName(kind)}${k.namespaced ? ` in namespace ${where.namespace}` : ''}`;
    if (a.status === 401) {
      return this.serverWide(
        where,
        'unauthorized',
        `${target}: 401 Unauthorized: the API server did not accept the credentials of context ${this.context} (expired token or certificate?)`,
      );
    }
    if (a.status === 403) {
      const permission = `${verb} ${resourceName(kind)}${k.namespaced ? ` in namespace ${where.namespace}` : ' (cluster-wide)'}`;
      const said = st?.message ? `: ${st.message}` : '';
      return { ...where, reason: 'forbidden', permission, message: `403 Forbidden: missing RBAC permission to ${permission}${said}` };
    }
    return { ...where, reason: 'other', message: `${target}: HTTP ${a.status}${st?.message ? `: ${st.message}` : ''}` };
  }

  private transportError(err: unknown, where: Where, verb: 'get' | 'list'): ReadError {
    const kind = where.kind as ReadKind;
    const target = `${verb} ${resourceName(kind)}${KINDS[kind].namespaced ? ` in namespace ${where.namespace}` : ''}`;
    if (err instanceof TransportError && err.failure === 'timeout') {
      const message = `${target}: the API server gave no answer within ${this.rest.timeoutMs / 1000} s (--request-timeout)`;
      if (++this.timeoutsInRow >= TIMEOUTS_TO_DOWN) return this.serverWide(where, 'timeout', message);
      return { ...where, reason: 'timeout', message };
    }
    if (err instanceof Error && err.name === 'CredentialError') return this.serverWide(where, 'credentials', err.message);
    if (err instanceof TransportError && err.failure === 'too-large')
      return { ...where, reason: 'other', message: `${target}: ${err.message}` };
    // Connection-level failures: refused, DNS, TLS trust, reset.
    const code = err instanceof TransportError ? err.code : undefined;
    const msg = err instanceof Error ? err.message : String(err);
    return this.serverWide(where, 'unreachable', `the API server ${this.server} is unreachable${code ? ` (${code})` : ''}: ${msg}`);
  }
}
