// Typed views of the objects the mesh analysis reads, built once from manifests
// (rendered, files, or a cluster). Every view keeps its Manifest for locations.
import type { BigBangLayout } from '../core/layout.js';
import type { TemplateText } from '../manifest/source.js';
import type { Manifest, Path } from '../manifest/types.js';
import type { NetworkPolicyInfo } from './netpol/parse.js';

export type Labels = Record<string, string>;

export interface NamespaceInfo {
  name: string;
  m?: Manifest;
  labels: Labels;
}

export interface ServicePort {
  index: number;
  name?: string;
  port: number;
  targetPort: number | string;
  protocol: string;
  appProtocol?: string;
  nodePort?: number;
}

export interface ServiceInfo {
  m: Manifest;
  name: string;
  namespace: string;
  fqdn: string;
  type: string;
  /** undefined: no selector (endpoints are managed by hand, or ExternalName). */
  selector?: Labels;
  ports: ServicePort[];
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol: string;
}

export interface Container {
  name: string;
  index: number;
  /** An init container (native sidecars are init containers with restartPolicy Always). */
  init: boolean;
  ports: ContainerPort[];
  ready?: boolean;
}

export interface InjectionDecision {
  /** undefined when the namespace is not known (not in the input). */
  injected: boolean | undefined;
  reason: string;
}

/** A pod, or the pod template of a Deployment/StatefulSet/DaemonSet/Job/CronJob/ReplicaSet. */
export interface Workload {
  m: Manifest;
  kind: string;
  name: string;
  namespace: string;
  labels: Labels;
  annotations: Labels;
  containers: Container[];
  /** Path of the pod spec inside the object, e.g. ['spec', 'template', 'spec']. */
  podSpecPath: Path;
  hostNetwork: boolean;
  injection: InjectionDecision;
  /** An `istio-proxy` container is already there (live pods, or manual injection). */
  hasProxy: boolean;
  /** Live pods only. */
  phase?: string;
  ready?: boolean;
  ownerName?: string;
  ownerKind?: string;
}

export interface GatewayServer {
  index: number;
  port: { number: number; name?: string; protocol: string };
  hosts: string[];
  tls?: { mode?: string; credentialName?: string; serverCertificate?: string; httpsRedirect?: boolean };
  bind?: string;
}

export interface GatewayInfo {
  m: Manifest;
  name: string;
  namespace: string;
  /** `ns/name`, the form VirtualServices resolve to. */
  key: string;
  selector: Labels;
  servers: GatewayServer[];
}

export interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

export interface HttpMatch {
  uri?: StringMatch;
  scheme?: StringMatch;
  method?: StringMatch;
  authority?: StringMatch;
  headers?: Record<string, StringMatch>;
  withoutHeaders?: Record<string, StringMatch>;
  queryParams?: Record<string, StringMatch>;
  port?: number;
  gateways?: string[];
  ignoreUriCase?: boolean;
  sourceLabels?: Labels;
  sourceNamespace?: string;
}

export interface RouteDestination {
  host: string;
  /** host after short-name expansion relative to the VirtualService's namespace. */
  fqdn: string;
  port?: number;
  subset?: string;
  weight?: number;
  path: Path;
}

export interface HttpRoute {
  index: number;
  name?: string;
  match?: HttpMatch[];
  route: RouteDestination[];
  redirect?: Record<string, unknown>;
  directResponse?: { status: number };
  delegate?: { name: string; namespace: string };
  fault?: { abort?: { httpStatus?: number; percentage?: number }; delay?: unknown };
  rewrite?: { uri?: string; authority?: string };
  path: Path;
}

export interface L4Match {
  port?: number;
  sniHosts?: string[];
  gateways?: string[];
}

export interface L4Route {
  index: number;
  match?: L4Match[];
  route: RouteDestination[];
  path: Path;
}

export interface GatewayRef {
  raw: string;
  /** `ns/name` or `mesh`. */
  resolved: string;
  index: number;
}

export interface VirtualServiceInfo {
  m: Manifest;
  name: string;
  namespace: string;
  hosts: string[];
  /** `hosts` as istiod reads them: dot-less names expanded to `<host>.<namespace>.svc.cluster.local`. */
  fqdnHosts: string[];
  gateways: GatewayRef[];
  /** When `spec.gateways` is absent the VirtualService applies to `mesh`. */
  gatewaysDefaulted: boolean;
  exportTo: string[];
  http: HttpRoute[];
  tls: L4Route[];
  tcp: L4Route[];
  /** Has no hosts: only reachable as a delegate. */
  isDelegate: boolean;
}

export interface DestinationRuleInfo {
  m: Manifest;
  name: string;
  namespace: string;
  host: string;
  fqdn: string;
  tlsMode?: string;
  portTls: Array<{ port: number; mode?: string; index: number }>;
  subsets: Array<{ name: string; labels: Labels }>;
  exportTo: string[];
}

export interface PeerAuthenticationInfo {
  m: Manifest;
  name: string;
  namespace: string;
  selector?: Labels;
  mode?: string;
  portLevel: Record<string, string | undefined>;
}

export interface AuthorizationPolicyInfo {
  m: Manifest;
  name: string;
  namespace: string;
  selector?: Labels;
  action: string;
  /** Raw `spec.rules` entries (evaluated by authz.ts, which narrows them). */
  rules: unknown[];
}

export interface ServiceEntryInfo {
  m: Manifest;
  name: string;
  namespace: string;
  hosts: string[];
  ports: Array<{ number: number; name?: string; protocol?: string; targetPort?: number }>;
  exportTo: string[];
  location?: string;
  resolution?: string;
}

export interface SidecarInfo {
  m: Manifest;
  name: string;
  namespace: string;
  selector?: Labels;
  outboundTrafficPolicy?: string;
}

/** Secrets: metadata and type only. Data is never read into the model. */
export interface SecretInfo {
  m: Manifest;
  name: string;
  namespace: string;
  type: string;
}

export interface HelmReleaseInfo {
  m: Manifest;
  name: string;
  namespace: string;
  targetNamespace?: string;
  dependsOn: Array<{ name: string; namespace: string }>;
  ready?: { status: string; message?: string };
}

export interface GitRepositoryInfo {
  m: Manifest;
  name: string;
  namespace: string;
  url?: string;
}

export interface MeshModel {
  manifests: Manifest[];
  namespaces: Map<string, NamespaceInfo>;
  /** By FQDN `name.ns.svc.cluster.local`. */
  services: Map<string, ServiceInfo>;
  servicesByNamespace: Map<string, ServiceInfo[]>;
  workloads: Workload[];
  workloadsByNamespace: Map<string, Workload[]>;
  /** By `ns/name`. */
  gateways: Map<string, GatewayInfo>;
  virtualServices: VirtualServiceInfo[];
  /** By `ns/name` of the VirtualService. */
  virtualServicesByName: Map<string, VirtualServiceInfo>;
  /** By resolved gateway (`ns/name` or `mesh`). */
  virtualServicesByGateway: Map<string, VirtualServiceInfo[]>;
  destinationRules: DestinationRuleInfo[];
  destinationRulesByHost: Map<string, DestinationRuleInfo[]>;
  peerAuthentications: PeerAuthenticationInfo[];
  authorizationPolicies: AuthorizationPolicyInfo[];
  serviceEntries: ServiceEntryInfo[];
  /** By host as written; wildcard hosts included under their pattern. */
  serviceEntriesByHost: Map<string, ServiceEntryInfo[]>;
  sidecars: SidecarInfo[];
  /** networking.k8s.io/v1 NetworkPolicies, parsed and defaulted as the API server does (model/netpol). */
  networkPolicies: NetworkPolicyInfo[];
  /** By `ns/name`. */
  secrets: Map<string, SecretInfo>;
  helmReleases: HelmReleaseInfo[];
  gitRepositories: GitRepositoryInfo[];
  /** The Big Bang layout the model is read with. */
  layout: BigBangLayout;
  /** Istio's root namespace (mesh-wide policies). */
  rootNamespace: string;
  /** Template text for source positions (a package's files), when the model comes from one. */
  templateText?: TemplateText;
}
