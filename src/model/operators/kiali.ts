// Kiali operator: a `Kiali` CR becomes a Deployment and a Service named spec.deployment.instance_name.
// Sources (kiali/kiali-operator): roles/default/kiali-deploy/templates/kubernetes/service.yaml and
// deployment.yaml (ports, selector), roles/default/kiali-deploy/tasks/main.yml (namespace default, labels),
// roles/default/kiali-deploy/defaults/main.yml (instance_name kiali, server.port 20001, metrics 9090).
// Big Bang: DoD-Platform-One/Kiali chart/templates/bigbang/virtualservice.yaml routes to
// kiali.<ns>.svc.cluster.local on upstream.cr.spec.server.port.
import type { Manifest } from '../../manifest/types.js';
import { at, bool, container, containerPort, labels, port, ref, service, servicePort, spec, str } from './cr.js';
import type { Derived, Operator } from './types.js';

function derive(cr: Manifest): Derived[] {
  const s = spec(cr);
  const instance = str(at(s, 'deployment', 'instance_name')) ?? 'kiali';
  // tasks/main.yml: an empty deployment.namespace means the CR's own namespace.
  const namespace = str(at(s, 'deployment', 'namespace')) ?? cr.namespace;
  const serverPort = port(at(s, 'server', 'port')) ?? 20001;
  // Metrics: server.observability.metrics (v1.x+), server.metrics_enabled/metrics_port (older CRs).
  const metricsOn = bool(at(s, 'server', 'observability', 'metrics', 'enabled')) ?? bool(at(s, 'server', 'metrics_enabled')) ?? true;
  const metricsPort = port(at(s, 'server', 'observability', 'metrics', 'port')) ?? port(at(s, 'server', 'metrics_port')) ?? 9090;
  // service.yaml: the port is `tcp`/https when Kiali serves TLS itself (identity.cert_file; empty on Kubernetes).
  const tls = str(at(s, 'identity', 'cert_file')) !== undefined;
  const scheme = tls ? 'tcp' : 'http';
  const appProtocol = tls ? 'https' : 'http';
  const version = str(at(s, 'deployment', 'version_label')) ?? str(at(s, 'deployment', 'image_version'));
  const resourceLabels: Record<string, string> = {
    app: 'kiali',
    'app.kubernetes.io/name': 'kiali',
    'app.kubernetes.io/instance': instance,
    'app.kubernetes.io/part-of': 'kiali',
    ...(version ? { version, 'app.kubernetes.io/version': version } : {}),
  };
  const selector = { 'app.kubernetes.io/name': 'kiali', 'app.kubernetes.io/instance': instance };
  const ports = [servicePort(scheme, serverPort, serverPort, 'TCP', appProtocol)];
  const cports = [containerPort('api-port', serverPort)];
  if (metricsOn) {
    ports.push(servicePort(`${scheme}-metrics`, metricsPort, metricsPort, 'TCP', appProtocol));
    cports.push(containerPort('http-metrics', metricsPort));
  }
  const where = namespace === cr.namespace ? '' : ` (deployed into ${namespace} by spec.deployment.namespace)`;
  return [
    service({
      name: instance,
      namespace,
      labels: { ...resourceLabels, ...labels(at(s, 'deployment', 'service_labels')) },
      type: str(at(s, 'deployment', 'service_type')),
      selector,
      ports,
      note: `Kiali server Service for Kiali ${ref(cr)}${where}`,
    }),
    {
      kind: 'Deployment',
      name: instance,
      namespace,
      matchLabels: selector,
      podLabels: { ...resourceLabels, ...labels(at(s, 'deployment', 'pod_labels')) },
      podAnnotations: labels(at(s, 'deployment', 'pod_annotations')),
      containers: [container('kiali', cports)],
      note: `Kiali server Deployment for Kiali ${ref(cr)}${where}`,
    },
  ];
}

export const kialiOperator: Operator = {
  name: 'kiali-operator',
  resources: [{ group: 'kiali.io', kinds: ['Kiali'] }],
  derive,
};
