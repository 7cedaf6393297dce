// Kubernetes NetworkPolicy (networking.k8s.io/v1) semantics, evaluated offline from manifests.
//
// parseNetworkPolicy(m) gives a typed, defaulted view of one policy (with the path of every rule, peer and port
// and the issues the API server would reject); evaluateConnection(policies, c) decides one connection: egress
// at the source pod, ingress at the destination pod, each 'unknown' (with reasons) when offline input cannot
// decide (an ipBlock without a pod IP, a namespaceSelector over a namespace whose labels are not given, a named
// port without the destination's port names). Policies not in `policies` are taken to be absent: a side
// whose namespace's policies were not read comes out "not isolated", so read only the side you have.
//
// How bbmesh's two hops map onto a Connection (TCP, the default, in both):
// (a) ingress gateway pod -> package pod. source: the gateway pod (its namespace, the Namespace's labels when
//     the Namespace is in the input, the gateway Deployment's pod template labels). destination: the package
//     workload's pod template labels and namespace, and namedPorts from its container ports. port: the
//     Service's targetPort as a container port number (a named targetPort resolved through those container
//     ports). Envoy dials the endpoint (pod IP:targetPort) directly, and the sidecar's redirect to 15006
//     happens inside the destination pod, so the policy sees the targetPort, never the Service port or 15006.
//     Both sides matter: the gateway namespace's egress policies and the package namespace's ingress policies.
// (b) package pod's sidecar -> istiod. source: the package pod; destination: the istiod pod (istio-system,
//     labels such as app: istiod) with port 15012 (xDS and certificates over mTLS). The package namespace's
//     egress side is the one a package controls (Big Bang's egress-istiod pattern); istio-system's ingress
//     side only means something when its policies are in the input. The proxy also resolves istiod's name
//     through cluster DNS, a connection of its own (to the DNS pods on 53, UDP and TCP).
//
// Not modelled: traffic from the pod's own node (kubelet probes), which policies never block; hostNetwork pods
// and whether ipBlock applies to pod IPs at all (both CNI-specific; with an IP given, ipBlock is applied as
// written); the protocol of a named container port; ambient mode (ztunnel's HBONE on 15008).
export {
  labelSelectorMatches,
  labelSelectorMatchesKnown,
  labelSelectorProblems,
  type LabelSelector,
  type LabelSelectorOperator,
  type LabelSelectorRequirement,
  type Tri,
} from './netpol/selector.js';
export {
  isValidPortName,
  parseNetworkPolicy,
  type IpBlock,
  type NetworkPolicyInfo,
  type NetworkPolicyIssue,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type NetworkPolicyRule,
  type PolicyType,
  type Protocol,
} from './netpol/parse.js';
export {
  evaluateConnection,
  fieldPath,
  isolatingPolicies,
  NAMESPACE_NAME_LABEL,
  type Connection,
  type ConnectionVerdict,
  type Direction,
  type Endpoint,
  type RuleRef,
  type SideVerdict,
  type UnknownCode,
  type UnknownReason,
} from './netpol/evaluate.js';
export { cidrContains, parseCidr, parseIp, type Cidr, type IpAddress } from './netpol/ip.js';
export {
  endpointOf,
  gatewayToWorkload,
  istiodEndpoint,
  ISTIOD_XDS_PORT,
  policiesIn,
  sidecarToIstiod,
  type Admission,
} from './netpol/admission.js';
