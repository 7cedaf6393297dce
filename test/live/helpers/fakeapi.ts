// A loopback HTTPS server that answers the Kubernetes REST paths verify uses from fixture objects,
// shaped like real API responses: `<Kind>List` with items, 404 `Status` for an absent object,
// `404 page not found` (text/plain) for a resource path that does not exist (CRD absent or version
// not served), 403 `Status` with the apiserver's message format, 401. It logs every request path,
// tracks concurrency, and closes itself after `lifetimeMs` even if a test forgets to.
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
}

export interface FakeApi {
  url: string;
  port: number;
  requests: string[];
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
};

function groupOf(apiVersion: string | undefined): string {
  const v = String(apiVersion ?? '');
  return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
}

export async function startFakeApi(certs: TestCerts, objects: K8sObject[], opts: FakeApiOptions = {}): Promise<FakeApi> {
  let objs = objects;
  const served = opts.served ?? DEFAULT_SERVED;
  const requests: string[] = [];
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

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    if (opts.unauthorized) return send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
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
    if (opts.forbid?.includes(plural)) {
      const verb = name ? 'get' : 'list';
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
    const go = () => {
      try {
        handle(req, res);
      } finally {
        inFlight--;
      }
    };
    if (delay) setTimeout(go, delay).unref();
    else setTimeout(go, 20).unref(); // some latency, so that concurrent calls overlap visibly
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

export function kubeconfigText(server: string, caPem: string, context = 'fake'): string {
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
    '    token: test-token-not-secret',
    'contexts:',
    `- name: ${context}`,
    '  context:',
    `    cluster: ${context}`,
    '    user: viewer',
    '',
  ].join('\n');
}
