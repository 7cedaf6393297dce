// The Big Bang platform a package render assumes but does not contain: the ingress
// gateway (Service + workload), the Gateway, its TLS Secret, Istio's namespace and the
// mesh-wide mTLS policy, named as each Big Bang layout names them. Every object is
// marked `assumed` (origin stage 'platform') so outputs can say so.
import type { K8sObject, Manifest } from '../manifest/types.js';

export type Layout = 'bb2' | 'bb3';

export interface LayoutNames {
  layout: Layout;
  /** Namespace of the ingress gateway workload, its Service and the TLS secret. */
  gatewayNamespace: string;
  /** Istio control-plane namespace (root namespace for mesh-wide policies). */
  istioNamespace: string;
  /** Gateway object name for a Big Bang gateway name such as `public`. */
  gatewayObjectName(name: string): string;
  /** `ns/name` reference a VirtualService uses. */
  gatewayRef(name: string): string;
  /** Ingress gateway Service/Deployment name. */
  ingressName(name: string): string;
  /** The HelmRelease a package must depend on. */
  istioHelmRelease: string;
  /** Values key that enables Istio in the bigbang/ chart. */
  istioEnabledKey: string;
  /** The gateway the package chart defaults to before Big Bang overrides it. */
  packageDefaultGateway: string;
}

export const LAYOUTS: Record<Layout, LayoutNames> = {
  bb2: {
    layout: 'bb2',
    gatewayNamespace: 'istio-system',
    istioNamespace: 'istio-system',
    gatewayObjectName: (n) => n,
    gatewayRef: (n) => `istio-system/${n}`,
    ingressName: (n) => `${n}-ingressgateway`,
    istioHelmRelease: 'istio',
    istioEnabledKey: 'istio.enabled',
    packageDefaultGateway: 'istio-system/main',
  },
  bb3: {
    layout: 'bb3',
    gatewayNamespace: 'istio-gateway',
    istioNamespace: 'istio-system',
    gatewayObjectName: (n) => `${n}-ingressgateway`,
    gatewayRef: (n) => `istio-gateway/${n}-ingressgateway`,
    ingressName: (n) => `${n}-ingressgateway`,
    istioHelmRelease: 'istiod',
    istioEnabledKey: 'istiod.enabled',
    packageDefaultGateway: 'istio-system/main',
  },
};

export interface PlatformGateway {
  name: string;
  hosts: string[];
  tlsMode: string;
}

export interface PlatformOptions {
  layout: Layout;
  domain: string;
  /** Big Bang gateways; default: `public` (SIMPLE). */
  gateways?: PlatformGateway[];
  /** Mesh-wide mTLS mode (Big Bang default STRICT). */
  mtlsMode?: string;
}

/** Reads domain and gateways from Big Bang umbrella values (1.x/2.x `istio.gateways`, 3.x `istioGateway.values.gateways`). */
export function platformOptionsFromValues(layout: Layout, values: Record<string, any>): PlatformOptions {
  const domain = String(values.hostname || values.domain || 'bigbang.dev');
  const src = layout === 'bb2' ? values.istio?.gateways : values.istioGateway?.values?.gateways;
  const gateways: PlatformGateway[] = [];
  if (src && typeof src === 'object') {
    for (const [name, g] of Object.entries<any>(src)) {
      if (!g || g.enabled === false) continue;
      const hosts = Array.isArray(g.hosts)
        ? g.hosts.map((h: unknown) => String(h).replace(/\{\{\s*\.Values\.domain\s*\}\}/g, domain))
        : [`*.${domain}`];
      gateways.push({ name, hosts, tlsMode: String(g.tls?.mode ?? (name === 'passthrough' ? 'PASSTHROUGH' : 'SIMPLE')) });
    }
  }
  if (!gateways.length) gateways.push({ name: 'public', hosts: [`*.${domain}`], tlsMode: 'SIMPLE' });
  const mtls = layout === 'bb2' ? values.istio?.mtls?.mode : values.istiod?.values?.mtls?.mode;
  return { layout, domain, gateways, mtlsMode: mtls ? String(mtls) : 'STRICT' };
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

export function platformManifests(opts: PlatformOptions): Manifest[] {
  const L = LAYOUTS[opts.layout];
  const gwNs = L.gatewayNamespace;
  const out: Manifest[] = [];
  out.push(
    manifest({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: L.istioNamespace, labels: { 'istio-injection': 'disabled' } } }),
  );
  if (gwNs !== L.istioNamespace) {
    out.push(manifest({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: gwNs, labels: { 'istio-injection': 'enabled' } } }));
  }
  out.push(
    manifest({
      apiVersion: 'security.istio.io/v1beta1',
      kind: 'PeerAuthentication',
      metadata: { name: `default-${L.istioNamespace}`, namespace: L.istioNamespace },
      spec: { mtls: { mode: opts.mtlsMode ?? 'STRICT' } },
    }),
  );
  for (const g of opts.gateways ?? [{ name: 'public', hosts: [`*.${opts.domain}`], tlsMode: 'SIMPLE' }]) {
    const ingress = L.ingressName(g.name);
    const podLabels = { app: ingress, istio: 'ingressgateway' };
    const secretName = `${g.name}-cert`;
    const https: any = { hosts: g.hosts, port: { name: 'https', number: 8443, protocol: 'HTTPS' }, tls: { mode: g.tlsMode } };
    if (g.tlsMode !== 'PASSTHROUGH') https.tls.credentialName = secretName;
    out.push(
      manifest({
        apiVersion: 'networking.istio.io/v1beta1',
        kind: 'Gateway',
        metadata: { name: L.gatewayObjectName(g.name), namespace: gwNs },
        spec: {
          selector: { app: ingress },
          servers: [{ hosts: g.hosts, port: { name: 'http', number: 8080, protocol: 'HTTP' }, tls: { httpsRedirect: true } }, https],
        },
      }),
    );
    out.push(
      manifest({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: ingress, namespace: gwNs, labels: podLabels },
        spec: {
          type: 'LoadBalancer',
          selector: podLabels,
          ports: [
            { name: 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP' },
            { name: 'http2', port: 80, targetPort: 8080, protocol: 'TCP' },
            { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP' },
          ],
        },
      }),
    );
    out.push(
      manifest({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: ingress, namespace: gwNs, labels: podLabels },
        spec: {
          selector: { matchLabels: podLabels },
          template: {
            metadata: { labels: { ...podLabels, 'sidecar.istio.io/inject': 'false' } },
            spec: {
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
    );
    if (g.tlsMode !== 'PASSTHROUGH') {
      out.push(manifest({ apiVersion: 'v1', kind: 'Secret', metadata: { name: secretName, namespace: gwNs }, type: 'kubernetes.io/tls' }));
    }
  }
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

export function isAssumed(m: Manifest): boolean {
  return m.origin.stage === 'platform';
}
