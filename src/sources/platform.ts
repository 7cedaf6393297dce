// The Big Bang platform a package render assumes but does not contain: the ingress gateways
// (Service + workload + Gateway + TLS Secret), Istio's namespace and the mesh-wide mTLS policy,
// named as the layout table (core/layout.ts) names them. Every object is marked `assumed` (origin
// stage 'platform') so outputs can say so.
import { LAYOUTS, type LayoutName } from '../core/layout.js';
import type { K8sObject, Manifest } from '../manifest/types.js';

export interface PlatformGateway {
  /** Big Bang's gateway name: `public`, `passthrough`, ... */
  name: string;
  hosts: string[];
  /** The HTTPS server's TLS mode: SIMPLE (terminated with `<name>-cert`), PASSTHROUGH, MUTUAL... */
  tlsMode: string;
}

export interface PlatformOptions {
  layout: LayoutName;
  domain: string;
  /** Big Bang gateways; default: the layout's (`public`; 3.x also `passthrough`). */
  gateways?: PlatformGateway[];
  /** Mesh-wide mTLS mode (Big Bang default STRICT). */
  mtlsMode?: string;
}

type Values = Record<string, unknown>;

const isMap = (v: unknown): v is Values => v !== null && typeof v === 'object' && !Array.isArray(v);
const at = (v: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((cur, k) => (isMap(cur) ? cur[k] : undefined), v);

/** The default gateways of a layout for a domain. */
export function defaultGateways(layout: LayoutName, domain: string): PlatformGateway[] {
  return LAYOUTS[layout].defaultGateways.map((name) => ({
    name,
    hosts: [`*.${domain}`],
    tlsMode: name === 'passthrough' ? 'PASSTHROUGH' : 'SIMPLE',
  }));
}

function hostsOf(v: unknown, domain: string): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.map((h) => String(h).replace(/\{\{\s*\.Values\.domain\s*\}\}/g, domain));
}

/** One user gateway of the umbrella values, over its default (3.x: `gateway.servers`; 2.x: `hosts`, `tls.mode`). */
function userGateway(name: string, g: Values, base: PlatformGateway | undefined, domain: string): PlatformGateway {
  const servers = at(g, 'gateway', 'servers');
  const https = Array.isArray(servers) ? servers.find((s) => String(at(s, 'port', 'protocol')).toUpperCase() === 'HTTPS') : undefined;
  const hosts = hostsOf(at(https, 'hosts'), domain) ?? hostsOf(g.hosts, domain) ?? base?.hosts ?? [`*.${domain}`];
  const mode = at(https, 'tls', 'mode') ?? at(g, 'tls', 'mode') ?? base?.tlsMode ?? (name === 'passthrough' ? 'PASSTHROUGH' : 'SIMPLE');
  return { name, hosts, tlsMode: String(mode) };
}

/** Reads domain and gateways from Big Bang umbrella values (1.x/2.x `istio.gateways`, 3.x `istioGateway.values.gateways`). */
export function platformOptionsFromValues(layout: LayoutName, values: Values): PlatformOptions {
  const domain = String(values.hostname || values.domain || LAYOUTS.bb2.defaultDomain);
  const src = layout === 'bb2' ? at(values, 'istio', 'gateways') : at(values, 'istioGateway', 'values', 'gateways');
  const defaults = defaultGateways(layout, domain);
  const byName = new Map<string, PlatformGateway>();
  // 3.x merges user gateways over the umbrella's defaults; 2.x values list every gateway themselves.
  if (layout === 'bb3' || !isMap(src)) for (const g of defaults) byName.set(g.name, g);
  if (isMap(src)) {
    for (const [name, g] of Object.entries(src)) {
      if (g === null || g === false || (isMap(g) && g.enabled === false)) byName.delete(name);
      else if (isMap(g)) byName.set(name, userGateway(name, g, byName.get(name), domain));
    }
  }
  const mtls = layout === 'bb2' ? at(values, 'istio', 'mtls', 'mode') : at(values, 'istiod', 'values', 'mtls', 'mode');
  return { layout, domain, gateways: [...byName.values()], mtlsMode: mtls ? String(mtls) : 'STRICT' };
}

function manifest(obj: K8sObject): Manifest {
  const meta = obj.metadata ?? {};
  return {
    apiVersion: String(obj.apiVersion),
    kind: String(obj.kind),
    name: String(meta.name),
    namespace: String(meta.namespace ?? ''),
    obj,
    origin: { stage: 'platform', template: 'assumed Big Bang platform' },
  };
}

function gatewayObjects(layout: LayoutName, g: PlatformGateway): Manifest[] {
  const L = LAYOUTS[layout];
  const ns = L.gatewayNamespace;
  const ingress = L.ingressName(g.name);
  const podLabels = L.gatewayPodLabels(g.name);
  const https: Record<string, unknown> = {
    hosts: g.hosts,
    port: { name: 'https', number: 8443, protocol: 'HTTPS' },
    tls: { mode: g.tlsMode },
  };
  const terminated = g.tlsMode !== 'PASSTHROUGH' && g.tlsMode !== 'AUTO_PASSTHROUGH';
  if (terminated) (https.tls as Values).credentialName = L.gatewaySecret(g.name);
  const out = [
    manifest({
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'Gateway',
      metadata: { name: L.gatewayObjectName(g.name), namespace: ns },
      spec: {
        selector: { app: ingress },
        servers: [{ hosts: g.hosts, port: { name: 'http', number: 8080, protocol: 'HTTP' }, tls: { httpsRedirect: true } }, https],
      },
    }),
    manifest({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: ingress, namespace: ns, labels: podLabels },
      spec: {
        type: 'LoadBalancer',
        selector: { app: ingress, istio: 'ingressgateway' },
        ports: [
          { name: layout === 'bb3' ? 'tcp-status-port' : 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP' },
          { name: 'http2', port: 80, targetPort: 8080, protocol: 'TCP' },
          { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
        ],
      },
    }),
    manifest({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: ingress, namespace: ns, labels: podLabels },
      spec: {
        selector: { matchLabels: podLabels },
        template: {
          metadata: { labels: { ...podLabels, 'sidecar.istio.io/inject': 'false' } },
          spec: {
            serviceAccountName: L.gatewayServiceAccount(g.name),
            containers: [
              {
                name: 'istio-proxy',
                ports: [
                  { containerPort: 15021, name: 'status-port', protocol: 'TCP' },
                  { containerPort: 8080, name: 'http2', protocol: 'TCP' },
                  { containerPort: 8443, name: 'https', protocol: 'TCP' },
                  { containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' },
                ],
              },
            ],
          },
        },
      },
    }),
  ];
  if (terminated) {
    out.push(
      manifest({ apiVersion: 'v1', kind: 'Secret', metadata: { name: L.gatewaySecret(g.name), namespace: ns }, type: 'kubernetes.io/tls' }),
    );
  }
  return out;
}

export function platformManifests(opts: PlatformOptions): Manifest[] {
  const L = LAYOUTS[opts.layout];
  const out: Manifest[] = [];
  out.push(
    manifest({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: L.istioNamespace, labels: { 'istio-injection': 'disabled' } } }),
  );
  if (L.gatewayNamespace !== L.istioNamespace) {
    out.push(
      manifest({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: L.gatewayNamespace, labels: { 'istio-injection': 'enabled' } } }),
    );
  }
  out.push(
    manifest({
      apiVersion: 'security.istio.io/v1beta1',
      kind: 'PeerAuthentication',
      metadata: { name: `default-${L.istioNamespace}`, namespace: L.istioNamespace },
      spec: { mtls: { mode: opts.mtlsMode ?? 'STRICT' } },
    }),
  );
  for (const g of opts.gateways ?? defaultGateways(opts.layout, opts.domain)) out.push(...gatewayObjects(opts.layout, g));
  return out;
}

/** Adds the platform objects the input does not already have (same kind, namespace and name). */
export function withPlatform(manifests: Manifest[], opts: PlatformOptions): Manifest[] {
  const platform = platformManifests(opts);
  const key = (m: Manifest) => `${m.kind}/${m.namespace}/${m.name}`;
  const wanted = new Set(platform.map(key));
  // Only keys of platform objects are ever looked up: test the (few) platform names first, so
  // the key string is built only for the input objects that may collide.
  const wantedNames = new Set(platform.map((m) => m.name));
  const have = new Set<string>();
  for (const m of manifests) {
    if (!wantedNames.has(m.name)) continue;
    const k = key(m);
    if (wanted.has(k)) have.add(k);
  }
  const extra = platform.filter((m) => !have.has(key(m)));
  return manifests.concat(extra);
}

/** Not the input's own: the assumed platform, what an operator makes at run time, other packages' context (nothing there to fix). */
export function isAssumed(m: Manifest): boolean {
  return m.origin.stage === 'platform' || m.origin.stage === 'operator' || m.origin.stage === 'context';
}
