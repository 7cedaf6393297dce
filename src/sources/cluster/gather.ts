// Reads what the steps need, in three concurrent rounds:
//   1. Flux objects in bigbang, and the package namespace (pods, services, virtual services, the namespace);
//   2. the gateway side (gateways and pods in the gateway namespace, the ingress Service);
//   3. the TLS secret named by the gateway.
import type { Manifest } from '../../manifest/index.js';
import type { ClusterReader, ReadKind } from './reader.js';
import { LAYOUTS as LAYOUTS_TABLE, layoutOfReleases } from '../../core/layout.js';
import { resolveGatewayRef, splitRef } from '../../model/gateway-ref.js';
import { parseCredentialName } from '../../model/credentials.js';
import { requestHostMatches, resolveShortName } from '../../model/hosts.js';
import type { Layout, Slot } from '../../analysis/verify/types.js';

export const FLUX_NAMESPACE = 'bigbang';

export interface LayoutNames {
  istioReleases: string[];
  gateway: { namespace: string; name: string };
  ingressService: { namespace: string; name: string };
  secret: { namespace: string; name: string };
}

/** The names the guide's steps look at, from the layout table (core/layout.ts): the `public` gateway. */
export function verifyNames(layout: Layout): LayoutNames {
  const L = LAYOUTS_TABLE[layout];
  const ns = L.gatewayNamespace;
  return {
    istioReleases: L.istioReleases,
    gateway: { namespace: ns, name: L.gatewayObjectName('public') },
    ingressService: { namespace: ns, name: L.ingressName('public') },
    secret: { namespace: ns, name: L.gatewaySecret('public') },
  };
}

export const LAYOUTS: Record<Layout, LayoutNames> = { bb2: verifyNames('bb2'), bb3: verifyNames('bb3') };

export interface ClusterState {
  live: boolean;
  source: string;
  layout: Layout;
  layoutReason: string;
  names: LayoutNames;
  pkg: { name: string; namespace: string; host?: string; hostSource?: 'flag' | 'virtualservice' };
  helmReleases: Slot<Manifest[]>;
  gitRepositories: Slot<Manifest[]>;
  pods: Slot<Manifest[]>;
  services: Slot<Manifest[]>;
  virtualServices: Slot<Manifest[]>;
  namespace: Slot<Manifest | undefined>;
  /** The gateway checked in step 9: the one the package VirtualService uses, else the layout's. */
  gatewayRef: { namespace: string; name: string; why: string };
  gateways: Slot<Manifest[]>;
  gatewayPods: Slot<Manifest[]>;
  ingressService: Slot<Manifest | undefined>;
  secretRef: { namespace: string; name: string; why: string };
  secret: Slot<Manifest | undefined>;
}

export interface GatherOptions {
  packageName: string;
  /** The package namespace when known (verify --all, -n); else the release's targetNamespace, else the name. */
  namespace?: string;
  layout?: Layout;
  host?: string;
}

export async function gather(reader: ClusterReader, opts: GatherOptions): Promise<ClusterState> {
  let pkgNs = opts.namespace ?? opts.packageName;
  const nsReads = (ns: string) =>
    Promise.all([reader.list('Pod', ns), reader.list('Service', ns), reader.list('VirtualService', ns), reader.get('Namespace', '', ns)]);
  const [helmReleases, gitRepositories, firstNs] = await Promise.all([
    reader.list('HelmRelease', FLUX_NAMESPACE),
    reader.list('GitRepository', FLUX_NAMESPACE),
    nsReads(pkgNs),
  ]);
  let [pods, services, virtualServices, namespace] = firstNs;
  const pkgHr = helmReleases.value?.find((m) => m.name === opts.packageName);
  const target = (pkgHr?.obj.spec as { targetNamespace?: unknown } | undefined)?.targetNamespace;
  if (!opts.namespace && typeof target === 'string' && target && target !== pkgNs) {
    pkgNs = target;
    [pods, services, virtualServices, namespace] = await nsReads(pkgNs);
  }

  const { layout, reason: layoutReason } = opts.layout
    ? { layout: opts.layout, reason: '--layout' }
    : detectLayout(helmReleases.value, virtualServices.value);
  const names = LAYOUTS[layout];

  // The package host: the flag, else the first host of a package VirtualService bound to a gateway.
  let host = opts.host;
  let hostSource: 'flag' | 'virtualservice' | undefined = host ? 'flag' : undefined;
  if (!host) {
    for (const vs of virtualServices.value ?? []) {
      const gws = gatewaysOf(vs).filter((g) => g.name !== 'mesh');
      const h = hostsOf(vs).find((x) => x.includes('.') && !x.includes('*'));
      if (gws.length && h) {
        host = h;
        hostSource = 'virtualservice';
        break;
      }
    }
  }

  // The gateway: the one the package VirtualService names, when it exists; else the layout's.
  const vsForHost = pickVirtualService(virtualServices.value ?? [], host);
  const referenced = vsForHost ? gatewaysOf(vsForHost).filter((g) => g.name !== 'mesh') : [];
  const gwNamespaces = [...new Set([names.gateway.namespace, ...referenced.map((g) => g.namespace)])];
  const [gatewayLists, gatewayPods, ingressService] = await Promise.all([
    Promise.all(gwNamespaces.map((ns) => reader.list('Gateway', ns))),
    reader.list('Pod', names.gateway.namespace),
    reader.get('Service', names.ingressService.namespace, names.ingressService.name),
  ]);
  const gateways: Slot<Manifest[]> = gatewayLists[0].error
    ? { error: gatewayLists[0].error }
    : { value: gatewayLists.flatMap((l) => l.value ?? []) };
  const exists = (r: { namespace: string; name: string }) => gateways.value?.some((g) => g.namespace === r.namespace && g.name === r.name);
  let gatewayRef = { ...names.gateway, why: `the ${layout} default` };
  const isDefault = (g: { namespace: string; name: string }) => g.namespace === names.gateway.namespace && g.name === names.gateway.name;
  const other = referenced.find((g) => !isDefault(g) && exists(g));
  if (referenced.some(isDefault)) {
    gatewayRef.why = `the ${layout} default, named by VirtualService ${vsForHost!.namespace}/${vsForHost!.name}`;
  } else if (other) {
    gatewayRef = { ...other, why: `named by VirtualService ${vsForHost!.namespace}/${vsForHost!.name}` };
  }

  // The secret: the credentialName of the gateway's HTTPS server, in the ingress gateway's namespace.
  let secretRef = { ...names.secret, why: `the ${layout} default` };
  const gw = gateways.value?.find((g) => g.namespace === gatewayRef.namespace && g.name === gatewayRef.name);
  const raw = gw ? httpsCredential(gw) : undefined;
  if (raw) {
    // Read where the gateway proxy reads it: its own namespace, unless the name carries one.
    const cred = parseCredentialName(raw);
    secretRef = {
      namespace: cred.namespace ?? names.ingressService.namespace,
      name: cred.name,
      why: `credentialName of Gateway ${gw!.namespace}/${gw!.name}`,
    };
  }
  const secret = await reader.get('Secret', secretRef.namespace, secretRef.name);

  return {
    live: reader.live,
    source: reader.description,
    layout,
    layoutReason,
    names,
    pkg: { name: opts.packageName, namespace: pkgNs, host, hostSource },
    helmReleases,
    gitRepositories,
    pods,
    services,
    virtualServices,
    namespace,
    gatewayRef,
    gateways,
    gatewayPods,
    ingressService,
    secretRef,
    secret,
  };
}

export function detectLayout(hrs: Manifest[] | undefined, vss: Manifest[] | undefined): { layout: Layout; reason: string } {
  const byRelease = layoutOfReleases((hrs ?? []).map((m) => m.name));
  if (byRelease) return { layout: byRelease.layout, reason: `HelmRelease ${FLUX_NAMESPACE}/${byRelease.release} exists` };
  for (const vs of vss ?? []) {
    for (const g of gatewaysOf(vs)) {
      if (g.namespace === 'istio-gateway')
        return { layout: 'bb3', reason: `VirtualService ${vs.namespace}/${vs.name} uses gateway istio-gateway/${g.name}` };
      if (g.namespace === 'istio-system')
        return { layout: 'bb2', reason: `VirtualService ${vs.namespace}/${vs.name} uses gateway istio-system/${g.name}` };
    }
  }
  return { layout: 'bb2', reason: "no Istio HelmRelease found: assuming the guide's layout" };
}

/** `spec.gateways` of a VirtualService resolved as istiod resolves them (`mesh` kept as name 'mesh'). */
export function gatewaysOf(vs: Manifest): { namespace: string; name: string }[] {
  const list = (vs.obj.spec as { gateways?: unknown } | undefined)?.gateways;
  if (!Array.isArray(list)) return [];
  return list
    .filter((g: unknown): g is string => typeof g === 'string')
    .map((g) => (g === 'mesh' ? { namespace: '', name: 'mesh' } : splitRef(resolveGatewayRef(g, vs.namespace))));
}

function hostsOf(vs: Manifest): string[] {
  const h = (vs.obj.spec as { hosts?: unknown } | undefined)?.hosts;
  return Array.isArray(h) ? h.filter((x): x is string => typeof x === 'string') : [];
}

/** The package VirtualService for a host: one listing it, else the first one bound to a gateway, else the first. */
export function pickVirtualService(vss: Manifest[], host: string | undefined): Manifest | undefined {
  if (host) {
    const byHost = vss.find((vs) => hostsOf(vs).some((h) => requestHostMatches(resolveShortName(h, vs.namespace), host)));
    if (byHost) return byHost;
  }
  return vss.find((vs) => gatewaysOf(vs).some((g) => g.name !== 'mesh')) ?? vss[0];
}

/** credentialName of a Gateway's first HTTPS server that names one. */
export function httpsCredential(gw: Manifest): string | undefined {
  const servers = (gw.obj.spec as { servers?: unknown } | undefined)?.servers;
  if (!Array.isArray(servers)) return undefined;
  for (const s of servers as Array<{ port?: { protocol?: unknown }; tls?: { credentialName?: unknown } }>) {
    if (String(s?.port?.protocol ?? '').toUpperCase() !== 'HTTPS') continue;
    const c = s?.tls?.credentialName;
    if (typeof c === 'string' && c) return c;
  }
  return undefined;
}

export type { ReadKind };
