// Keycloak operator (k8s.keycloak.org): a `Keycloak` CR becomes a StatefulSet `<name>`, a Service
// `<name>-service` (or spec.http.serviceName) and the headless `<name>-discovery` for JGroups.
// The Service has `http` when TLS is not configured (no spec.http.tlsSecret) or spec.http.httpEnabled, `https`
// when it is, and `management` (spec.httpManagement.port, 9000). Ports come from spec.http.httpPort/httpsPort
// (8080/8443), the Service side from serviceHttpPort/serviceHttpsPort when set.
// Sources (keycloak/keycloak, operator/): controllers/KeycloakServiceDependentResource.java, Constants.java
// (port names, `-service`, `-discovery` 7800, DEFAULT_LABELS app=keycloak and managed-by), Utils.java
// allInstanceLabels (+ app.kubernetes.io/instance), crds/v2alpha1/deployment/spec/HttpSpec.java.
// Big Bang's Keycloak package deploys Keycloak with its own chart, not this operator.
import type { Manifest } from '../../manifest/types.js';
import { at, bool, container, containerPort, labels, port, ref, service, servicePort, spec, str } from './cr.js';
import type { Derived, Operator } from './types.js';

function derive(cr: Manifest): Derived[] {
  const s = spec(cr);
  const http = at(s, 'http');
  const tls = str(at(http, 'tlsSecret')) !== undefined;
  const httpEnabled = bool(at(http, 'httpEnabled')) === true;
  const httpPort = port(at(http, 'httpPort')) ?? 8080;
  const httpsPort = port(at(http, 'httpsPort')) ?? 8443;
  const management = port(at(s, 'httpManagement', 'port')) ?? 9000;
  const selector = { app: 'keycloak', 'app.kubernetes.io/managed-by': 'keycloak-operator', 'app.kubernetes.io/instance': cr.name };
  const ports = [];
  const cports = [];
  if (!tls || httpEnabled) {
    ports.push(servicePort('http', port(at(http, 'serviceHttpPort')) ?? httpPort, httpPort));
    cports.push(containerPort('http', httpPort));
  }
  if (tls) {
    ports.push(servicePort('https', port(at(http, 'serviceHttpsPort')) ?? httpsPort, httpsPort));
    cports.push(containerPort('https', httpsPort));
  }
  ports.push(servicePort('management', management));
  cports.push(containerPort('management', management));
  return [
    service({
      name: str(at(http, 'serviceName')) ?? `${cr.name}-service`,
      namespace: cr.namespace,
      labels: { ...selector, ...labels(at(http, 'labels')) },
      selector,
      ports,
      note: `Keycloak HTTP Service for Keycloak ${ref(cr)}`,
    }),
    service({
      name: `${cr.name}-discovery`,
      namespace: cr.namespace,
      labels: selector,
      clusterIP: 'None',
      selector,
      ports: [servicePort('tcp', 7800)],
      note: `Keycloak cluster discovery (JGroups) for Keycloak ${ref(cr)}`,
    }),
    {
      kind: 'StatefulSet',
      name: cr.name,
      namespace: cr.namespace,
      matchLabels: selector,
      podLabels: { ...labels(at(s, 'unsupported', 'podTemplate', 'metadata', 'labels')), ...selector },
      podAnnotations: labels(at(s, 'unsupported', 'podTemplate', 'metadata', 'annotations')),
      containers: [container('keycloak', [...cports, containerPort('tcp', 7800)])],
      note: `Keycloak StatefulSet for Keycloak ${ref(cr)}`,
    },
  ];
}

export const keycloakOperator: Operator = {
  name: 'keycloak-operator',
  resources: [{ group: 'k8s.keycloak.org', kinds: ['Keycloak'] }],
  derive,
};
