// Istio operator (Big Bang 1.x/2.x): an `IstioOperator` installs each enabled gateway under
// spec.components.ingressGateways[] / egressGateways[] as a Deployment and a Service of the gateway's name in
// its namespace, selecting the gateway's labels (`label`, over the chart's app/istio defaults).
// Service ports are k8s.service.ports (a list replaces the default, as Helm does) or the gateway chart's
// defaults; the Deployment's istio-proxy listens on each targetPort plus 15090.
// Sources (istio/istio): manifests/charts/gateways/istio-ingress/values.yaml (labels app: istio-ingressgateway,
// istio: ingressgateway; type LoadBalancer; ports status-port 15021, http2 80->8080, https 443->8443; older
// releases also tcp-istiod 15012 and tls 15443), istio-egress/values.yaml (ClusterIP). Big Bang:
// DoD-Platform-One/big-bang-packages-core-istio-controlplane chart/templates/controlplane.yaml renders one
// ingressGateways entry per gateway with label {app: <name>, istio: ingressgateway} and enabled: true.
import type { Manifest } from '../../manifest/types.js';
import { at, bool, container, containerPort, labels, list, rec, ref, service, servicePort, spec, str, userServicePorts } from './cr.js';
import type { Derived, DerivedServicePort, Operator } from './types.js';

interface GatewayKind {
  key: 'ingressGateways' | 'egressGateways';
  defaultName: string;
  defaultLabels: Record<string, string>;
  defaultType: string;
  defaultPorts: DerivedServicePort[];
}

const INGRESS: GatewayKind = {
  key: 'ingressGateways',
  defaultName: 'istio-ingressgateway',
  defaultLabels: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
  defaultType: 'LoadBalancer',
  defaultPorts: [servicePort('status-port', 15021, 15021), servicePort('http2', 80, 8080), servicePort('https', 443, 8443)],
};

const EGRESS: GatewayKind = {
  key: 'egressGateways',
  defaultName: 'istio-egressgateway',
  defaultLabels: { app: 'istio-egressgateway', istio: 'egressgateway' },
  defaultType: 'ClusterIP',
  defaultPorts: [servicePort('http2', 80, 8080), servicePort('https', 443, 8443)],
};

function gateways(cr: Manifest, k: GatewayKind): Derived[] {
  const s = spec(cr);
  const out: Derived[] = [];
  for (const raw of list(at(s, 'components', k.key))) {
    const gw = rec(raw);
    // Entries the profile does not enable must say enabled: true (Big Bang always renders it).
    if (bool(gw.enabled) !== true) continue;
    const name = str(gw.name) ?? k.defaultName;
    const namespace = str(gw.namespace) ?? str(s.namespace) ?? 'istio-system';
    const podLabels = { ...k.defaultLabels, ...labels(gw.label) };
    const svc = rec(at(gw, 'k8s', 'service'));
    const userPorts = userServicePorts(svc.ports);
    const ports = userPorts.length ? userPorts : k.defaultPorts;
    const cports = ports.map((p) => containerPort(p.name, typeof p.targetPort === 'number' ? p.targetPort : p.port, p.protocol));
    cports.push(containerPort('http-envoy-prom', 15090));
    out.push(
      service({
        name,
        namespace,
        labels: podLabels,
        type: str(svc.type) ?? k.defaultType,
        selector: podLabels,
        ports,
        note: `gateway ${name} of IstioOperator ${ref(cr)}`,
      }),
      {
        kind: 'Deployment',
        name,
        namespace,
        matchLabels: podLabels,
        podLabels: { ...podLabels, 'sidecar.istio.io/inject': 'false' },
        podAnnotations: labels(at(gw, 'k8s', 'podAnnotations')),
        containers: [container('istio-proxy', dedupePorts(cports))],
        note: `gateway ${name} Deployment of IstioOperator ${ref(cr)}`,
      },
    );
  }
  return out;
}

/** One container port per number and protocol (two Service ports may share a targetPort). */
function dedupePorts<T extends { containerPort: number; protocol: string }>(ports: T[]): T[] {
  const seen = new Set<string>();
  return ports.filter((p) => {
    const k = `${p.containerPort}/${p.protocol}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export const istioOperator: Operator = {
  name: 'istio-operator',
  resources: [{ group: 'install.istio.io', kinds: ['IstioOperator'] }],
  derive: (cr) => [...gateways(cr, INGRESS), ...gateways(cr, EGRESS)],
};
