// The one table of Big Bang names per release line (bigbang.md §1.3-1.5): "bb2" is Big Bang 1.x/2.x
// (the service-mesh guide: Istio operator + `istio` controlplane HelmRelease, gateways in istio-system),
// "bb3" is Big Bang 3.x (`istiod` and `istio-gateway` packages, one `<name>-ingressgateway` per gateway).
// Platform, check, trace, integrate and verify all read their names from here.
import { UserError } from './errors.js';

export type LayoutName = 'bb2' | 'bb3';

export interface BigBangLayout {
  name: LayoutName;
  /** `Big Bang 1.x/2.x` or `Big Bang 3.x`, for messages. */
  title: string;
  /** Istio's control-plane and root namespace (mesh-wide policies). */
  istioNamespace: string;
  /** Namespace of the ingress gateway workloads, their Services, Gateways and TLS Secrets. */
  gatewayNamespace: string;
  /** Gateways the umbrella creates by default (3.x also creates `passthrough`). */
  defaultGateways: string[];
  /** Gateway object name for a Big Bang gateway name such as `public`. */
  gatewayObjectName(gateway: string): string;
  /** `ns/name` a VirtualService binds to. */
  gatewayRef(gateway: string): string;
  /** Ingress gateway Service/Deployment name (also its `app` label). */
  ingressName(gateway: string): string;
  /** The TLS Secret a gateway's HTTPS server names in `credentialName`. */
  gatewaySecret(gateway: string): string;
  /** The gateway workload's service account (the principal AuthorizationPolicies allow). */
  gatewayServiceAccount(gateway: string): string;
  /** Labels of a gateway's pods (what Gateway selectors and NetworkPolicy peers match). */
  gatewayPodLabels(gateway: string): Record<string, string>;
  /** Labels of the istiod pods in the Istio namespace (the sidecars' xDS and certificate server, port 15012). */
  istiodPodLabels: Record<string, string>;
  /** The HelmRelease a package must depend on. */
  istioHelmRelease: string;
  /** HelmReleases that make up Istio itself (never checked for a dependency on Istio; verify step 5). */
  istioReleases: string[];
  /** Umbrella values key that enables Istio (`--set <key>=true`). */
  istioEnabledKey: string;
  /** The same as a template expression of the umbrella / bigbang/ chart. */
  enabledExpr: string;
  /** Umbrella keys turned on in a dev chart's values.yaml for integration testing, in order. */
  enableKeys: string[];
  /** The gateway the package chart defaults to when deployed without Big Bang. */
  packageDefaultGateway: string;
  /** The gateway the passdown writes, as a template expression over the package's umbrella values. */
  passdownGateway(pkgValues: string): string;
  /** Domain of the dev certificates shipped with this release line. */
  defaultDomain: string;
}

const BB2: BigBangLayout = {
  name: 'bb2',
  title: 'Big Bang 1.x/2.x',
  istioNamespace: 'istio-system',
  gatewayNamespace: 'istio-system',
  defaultGateways: ['public'],
  gatewayObjectName: (g) => g,
  gatewayRef: (g) => `istio-system/${g}`,
  ingressName: (g) => `${g}-ingressgateway`,
  gatewaySecret: (g) => `${g}-cert`,
  gatewayServiceAccount: (g) => `${g}-ingressgateway-service-account`,
  gatewayPodLabels: (g) => ({ app: `${g}-ingressgateway`, istio: 'ingressgateway' }),
  istiodPodLabels: { app: 'istiod', istio: 'pilot' },
  istioHelmRelease: 'istio',
  istioReleases: ['istio-operator', 'istio'],
  istioEnabledKey: 'istio.enabled',
  enabledExpr: '.Values.istio.enabled',
  enableKeys: ['istioOperator', 'istio'],
  packageDefaultGateway: 'istio-system/main',
  passdownGateway: (v) => `istio-system/{{ default "public" ${v}.ingress.gateway }}`,
  defaultDomain: 'bigbang.dev',
};

const BB3: BigBangLayout = {
  name: 'bb3',
  title: 'Big Bang 3.x',
  istioNamespace: 'istio-system',
  gatewayNamespace: 'istio-gateway',
  defaultGateways: ['public', 'passthrough'],
  gatewayObjectName: (g) => `${g}-ingressgateway`,
  gatewayRef: (g) => `istio-gateway/${g}-ingressgateway`,
  ingressName: (g) => `${g}-ingressgateway`,
  gatewaySecret: (g) => `${g}-cert`,
  // The umbrella's istio-gateway values name it after the gateway's release (`public-ingressgateway`).
  gatewayServiceAccount: (g) => `${g}-ingressgateway-ingressgateway-service-account`,
  // Istio's gateway chart labels pods with app and app.kubernetes.io/name (bb-common's NetworkPolicies select the latter).
  gatewayPodLabels: (g) => ({ app: `${g}-ingressgateway`, 'app.kubernetes.io/name': `${g}-ingressgateway`, istio: 'ingressgateway' }),
  istiodPodLabels: { app: 'istiod', istio: 'pilot' },
  istioHelmRelease: 'istiod',
  istioReleases: ['istiod'],
  istioEnabledKey: 'istiod.enabled',
  enabledExpr: '.Values.istiod.enabled',
  enableKeys: ['istioCRDs', 'istiod', 'istioGateway'],
  packageDefaultGateway: 'istio-gateway/public-ingressgateway',
  passdownGateway: (v) => `istio-gateway/{{ default "public" ${v}.ingress.gateway }}-ingressgateway`,
  defaultDomain: 'dev.bigbang.mil',
};

export const LAYOUTS: Record<LayoutName, BigBangLayout> = { bb2: BB2, bb3: BB3 };

/** HelmReleases that are Istio itself in any release line. */
export const ISTIO_RELEASES = new Set(['istio', 'istiod', 'istio-operator', 'istio-crds', 'istio-cni', 'ztunnel', 'istio-base']);

export function layoutNamed(name: string | undefined): BigBangLayout {
  if (name === undefined || name === 'bb2') return BB2;
  if (name === 'bb3') return BB3;
  throw new UserError(`unknown layout "${name}"`, {
    hint: 'pass --layout bb2 (Big Bang 1.x/2.x, the guide) or --layout bb3 (Big Bang 3.x)',
  });
}

/** The layout whose Istio HelmReleases these are, if any tells (`istio`/`istio-operator`: bb2, `istiod`: bb3). */
export function layoutOfReleases(names: Iterable<string>): { layout: LayoutName; release: string } | undefined {
  const set = new Set(names);
  for (const r of BB2.istioReleases) if (set.has(r)) return { layout: 'bb2', release: r };
  if (set.has('istiod')) return { layout: 'bb3', release: 'istiod' };
  return undefined;
}

/** The layout a gateway reference `ns/name` belongs to, if it is a Big Bang name. */
export function layoutOfGatewayRef(ref: string): LayoutName | undefined {
  const [ns, name] = ref.split('/');
  if (ns === BB3.gatewayNamespace && name?.endsWith('-ingressgateway')) return 'bb3';
  if (ns === BB2.gatewayNamespace && name && name !== 'main' && !name.endsWith('-ingressgateway')) return 'bb2';
  return undefined;
}

/** The package default gateway placeholder (`istio-system/main`) that Big Bang does not create. */
export function isPlaceholderGateway(layout: BigBangLayout, ref: string): boolean {
  return ref === layout.packageDefaultGateway && !layout.defaultGateways.some((g) => layout.gatewayRef(g) === ref);
}
