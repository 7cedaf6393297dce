// A loopback HTTPS server that answers the Kubernetes REST paths verify uses from fixture objects,
// shaped like real API responses: `<Kind>List` with items, 404 `Status` for an absent object,
// `404 page not found` (text/plain) for a resource path that does not exist (CRD absent or version
// not served), 403 `Status` with the apiserver's message format, 401. It logs every request path,
// tracks concurrency, records each call as the verb and resource RBAC would authorize (so a test can
// compare them with a ClusterRole), takes server-side apply PATCHes of PolicyReports, can play a
// login proxy (HTML), and closes itself after `lifetimeMs` even if a test forgets to.
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { K8sObject } from '../../../src/manifest/index.js';
import type { TestCerts } from './certs.js';

const PLURALS: Record<string, string> = {
  Namespace: 'namespaces',
  Pod: 'pods',
  Service: 'services',
  Secret: 'secrets',
  HelmRelease: 'helmreleases',
  GitRepository: 'gitrepositories',
  Gateway: 'gateways',
  VirtualService: 'virtualservices',
  PolicyReport: 'policyreports',
};

export interface FakeApiOptions {
  /** Versions served per API group (default: Istio v1beta1+v1, Flux helm v2, source v1). Omit a group: its CRDs are absent. */
  served?: Record<string, string[]>;
  /** Plurals (e.g. 'helmreleases', 'secrets') whose every request answers 403. */
  forbid?: string[];
  /** Answer 401 to everything. */
  unauthorized?: boolean;
  /** Delay every answer, ms (timeouts). */
  delayMs?: number;
  /** Paths (exact) to answer with this delay instead. */
  slowPaths?: Record<string, number>;
  lifetimeMs?: number;
  user?: string;
  /** Namespaces whose every request answers 403 (a namespace the reader may not see). */
  forbidNamespaces?: string[];
  /** Accept only this bearer token (401 otherwise). */
  token?: string;
  /** Answer everything with a login page, like an authenticating proxy in front of the API. */
  html?: { status: number; title?: string };
}

/** One call as RBAC sees it: verb, API group, resource, namespace (none: cluster-scoped). */
export interface RbacCall {
  verb: 'get' | 'list' | 'patch';
  group: string;
  resource: string;
  namespace?: string;
}

/** A server-side apply received. */
export interface Applied {
  path: string;
  contentType: string;
  fieldManager: string | null;
  force: string | null;
  object: K8sObject;
}

export interface FakeApi {
  url: string;
  port: number;
  requests: string[];
  calls: RbacCall[];
  applied: Applied[];
  maxInFlight: number;
  kubeconfig: string;
  /** Replace the objects served (the next requests see them). */
  setObjects(objects: K8sObject[]): void;
  close(): Promise<void>;
}

export const DEFAULT_SERVED: Record<string, string[]> = {
  '': ['v1'],
  'networking.istio.io': ['v1beta1', 'v1'],
  'helm.toolkit.fluxcd.io': ['v2'],
  'source.toolkit.fluxcd.io': ['v1'],
  'wgpolicyk8s.io': ['v1alpha2'],
};

function groupOf(apiVersion: string | undefined): string {
  const v = String(apiVersion ?? '');
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

export async function startFakeApi(certs: TestCerts, objects: K8sObject[], opts: FakeApiOptions = {}): Promise<FakeApi> {
  let objs = objects;
  const served = opts.served ?? DEFAULT_SERVED;
  const requests: string[] = [];
  const calls: RbacCall[] = [];
  const applied: Applied[] = [];
  const stored = new Map<string, K8sObject>();
  let inFlight = 0;
  const state = { maxInFlight: 0 };
  const user = opts.user ?? 'system:serviceaccount:default:viewer';

  const send = (res: ServerResponse, code: number, body: unknown) => {
    if (typeof body === 'string') {
      res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(body);
    } else {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    }
  };
  const status = (code: number, reason: string, message: string, details?: object) => ({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'https://x');
    const path = url.pathname;
    if (opts.html) {
      res.writeHead(opts.html.status, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(
        `<!DOCTYPE html><html><head><title>${opts.html.title ?? 'Sign in'}</title></head><body><form>...</form></body></html>`,
      );
    }
    if (opts.unauthorized || (opts.token && req.headers.authorization !== `Bearer ${opts.token}`))
      return send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    // /api/v1/namespaces/{ns}/{plural}[/{name}]  /api/v1/namespaces[/{name}]  /apis/{g}/{v}/namespaces/{ns}/{plural}[/{name}]
    let m = /^\/api\/(v1)\/namespaces(?:\/([^/]+)(?:\/([^/]+)(?:\/([^/]+))?)?)?$/.exec(path);
    let group = '';
    let version = '';
    let ns: string | undefined;
    let plural = '';
    let name: string | undefined;
    if (m) {
      version = m[1];
      if (!m[3]) {
        plural = 'namespaces';
        name = m[2];
      } else {
        ns = m[2];
        plural = m[3];
        name = m[4];
      }
    } else {
      m = /^\/apis\/([^/]+)\/([^/]+)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(path);
      if (!m) return send(res, 404, '404 page not found');
      [, group, version, ns, plural, name] = m;
    }
    const kind = Object.keys(PLURALS).find((k) => PLURALS[k] === plural);
    if (!kind || !(served[group] ?? []).includes(version)) return send(res, 404, '404 page not found');
    const resource = group ? `${plural}.${group}` : plural;
    const verb = req.method === 'PATCH' ? 'patch' : name ? 'get' : 'list';
    calls.push({ verb, group, resource: plural, ...(ns ? { namespace: ns } : {}) });
    if (opts.forbid?.includes(plural) || (ns && opts.forbidNamespaces?.includes(ns))) {
      const scope = ns ? ` in the namespace "${ns}"` : ' at the cluster scope';
      return send(
        res,
        403,
        status(
          403,
          'Forbidden',
          `${resource}${name ? ` "${name}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${plural}" in API group "${group}"${scope}`,
          { ...(name ? { name } : {}), group, kind: plural },
        ),
      );
    }
    if (verb === 'patch') {
      const contentType = String(req.headers['content-type'] ?? '');
      if (contentType !== 'application/apply-patch+yaml') return send(res, 415, status(415, 'UnsupportedMediaType', contentType));
      const object = JSON.parse(body) as K8sObject;
      applied.push({ path, contentType, fieldManager: url.searchParams.get('fieldManager'), force: url.searchParams.get('force'), object });
      const key = `${ns}/${plural}/${name}`;
      const created = !stored.has(key);
      stored.set(key, object);
      return send(res, created ? 201 : 200, object);
    }
    const matching = objs.filter(
      (o) => o.kind === kind && groupOf(o.apiVersion) === group && (plural === 'namespaces' || o.metadata?.namespace === ns),
    );
    const withVersion = (o: K8sObject) => ({ ...o, apiVersion: group ? `${group}/${version}` : 'v1' });
    if (name) {
      const o = matching.find((x) => x.metadata?.name === name);
      if (!o) return send(res, 404, status(404, 'NotFound', `${resource} "${name}" not found`, { name, group, kind: plural }));
      return send(res, 200, withVersion(o));
    }
    // Real core lists carry no apiVersion/kind on items; custom resource lists do.
    const items = matching.map((o) => (group ? withVersion(o) : (({ apiVersion: _a, kind: _k, ...rest }) => rest)(o)));
    return send(res, 200, {
      apiVersion: group ? `${group}/${version}` : 'v1',
      kind: `${kind}List`,
      metadata: { resourceVersion: '12345' },
      items,
    });
  };

  const server = createServer({ cert: certs.api.cert, key: certs.api.key }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    const delay = opts.slowPaths?.[path] ?? opts.delayMs ?? 0;
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      const go = () => {
        try {
          handle(req, res, body);
        } finally {
          inFlight--;
        }
      };
      // some latency, so that concurrent calls overlap visibly
      setTimeout(go, delay || 20).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  const lifetime = setTimeout(() => server.close(), opts.lifetimeMs ?? 60_000);
  lifetime.unref();
  const dir = mkdtempSync(join(tmpdir(), 'bbmesh-kubeconfig-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, kubeconfigText(url, certs.ca.cert));
  return {
    url,
    port,
    requests,
    calls,
    applied,
    kubeconfig,
    get maxInFlight() {
      return state.maxInFlight;
    },
    setObjects(o: K8sObject[]) {
      objs = o;
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(lifetime);
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** A kubeconfig for the fake server; `exec`: a credential plugin instead of the static token. */
export function kubeconfigText(server: string, caPem: string, context = 'fake', exec?: { command: string; args: string[] }): string {
  const user = exec
    ? [
        '    exec:',
        '      apiVersion: client.authentication.k8s.io/v1',
        `      command: ${JSON.stringify(exec.command)}`,
        `      args: ${JSON.stringify(exec.args)}`,
        '      interactiveMode: Never',
      ]
    : ['    token: test-token-not-secret'];
  return [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${context}`,
    'clusters:',
    `- name: ${context}`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}`,
    'users:',
    '- name: viewer',
    '  user:',
    ...user,
    'contexts:',
    `- name: ${context}`,
    '  context:',
    `    cluster: ${context}`,
    '    user: viewer',
    '',
  ].join('\n');
}
