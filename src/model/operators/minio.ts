// MinIO operator: a `Tenant` becomes Services `minio` (S3 API; the name is fixed, one Tenant per namespace),
// `<tenant>-console` and the headless `<tenant>-hl`, and one StatefulSet `<tenant>-<pool>` per pool.
// Sources (minio/operator): pkg/resources/services/service.go (ports 80 http-minio / 443 https-minio -> 9000,
// console 9090 http-console / 9443 https-console, headless 9000), pkg/apis/minio.min.io/v2/names.go
// (MinIOCIServiceName "minio", `-hl`, `-console`, `<tenant>-<pool>`), labels.go (v1.min.io/tenant,
// v1.min.io/console), constants.go, helper.go (TLS() = requestAutoCert, default true, or externalCertSecret;
// pool names default `ss-<i>`), pkg/resources/statefulsets/minio-statefulset.go (pod labels, container ports).
// Operator 4.x ran the console as its own Deployment when spec.console was set; 5.x+ serves it from the
// MinIO pods. Big Bang: DoD-Platform-One/minio chart/templates/bigbang/minio-api-vs.yaml routes to minio:80,
// minio-vs.yaml to <tenant>-console.
import type { Manifest } from '../../manifest/types.js';
import { at, bool, container, containerPort, crLabels, labels, list, port, rec, ref, service, servicePort, spec, str } from './cr.js';
import type { Derived, Operator } from './types.js';

function derive(cr: Manifest): Derived[] {
  const s = spec(cr);
  const t = cr.name;
  const ns = cr.namespace;
  const tls = (bool(s.requestAutoCert) ?? true) || list(s.externalCertSecret).length > 0;
  const minioPort = port(s.minioContainerPort) ?? 9000;
  const consolePort = port(s.consoleContainerPort) ?? (tls ? 9443 : 9090);
  const tenantSel = { 'v1.min.io/tenant': t };
  const consoleLabel = { 'v1.min.io/console': `${t}-console` };
  const legacyConsole = Object.keys(rec(s.console)).length > 0;
  const svcLabels = labels(at(s, 'serviceMetadata', 'minioServiceLabels'));
  const exposed = (what: string) => (bool(at(s, 'exposeServices', what)) === true ? 'LoadBalancer' : undefined);
  const out: Derived[] = [
    service({
      name: 'minio',
      namespace: ns,
      labels: { ...tenantSel, ...svcLabels },
      type: exposed('minio'),
      selector: tenantSel,
      ports: [tls ? servicePort('https-minio', 443, minioPort) : servicePort('http-minio', 80, minioPort)],
      note: `MinIO S3 API of Tenant ${ref(cr)} (the operator always names it minio)`,
    }),
    service({
      name: `${t}-hl`,
      namespace: ns,
      labels: tenantSel,
      clusterIP: 'None',
      selector: tenantSel,
      ports: [servicePort('http-minio', 9000, minioPort)],
      note: `MinIO headless Service of Tenant ${ref(cr)}`,
    }),
    service({
      name: `${t}-console`,
      namespace: ns,
      labels: { ...consoleLabel, ...labels(at(s, 'serviceMetadata', 'consoleServiceLabels')) },
      type: exposed('console'),
      selector: legacyConsole ? consoleLabel : tenantSel,
      ports: [tls ? servicePort('https-console', 9443, consolePort) : servicePort('http-console', 9090, consolePort)],
      note: `MinIO console of Tenant ${ref(cr)}`,
    }),
  ];
  list(s.pools).forEach((raw, i) => {
    const pool = rec(raw);
    const poolName = str(pool.name) ?? `ss-${i}`;
    const cports = [containerPort('minio-port', minioPort)];
    if (!legacyConsole) cports.push(containerPort('console-port', consolePort));
    out.push({
      kind: 'StatefulSet',
      name: `${t}-${poolName}`,
      namespace: ns,
      matchLabels: { ...tenantSel, ...consoleLabel, 'v1.min.io/pool': poolName },
      // minio-statefulset.go PodMetadata: Tenant labels, then the operator's, then the pool's own.
      podLabels: { ...crLabels(cr), ...tenantSel, 'v1.min.io/pool': poolName, ...consoleLabel, ...labels(pool.labels) },
      podAnnotations: { ...labels(cr.obj.metadata?.annotations), ...labels(pool.annotations) },
      containers: [container('minio', cports)],
      note: `MinIO pool ${poolName} of Tenant ${ref(cr)}`,
    });
  });
  if (legacyConsole) {
    out.push({
      kind: 'Deployment',
      name: `${t}-console`,
      namespace: ns,
      podLabels: consoleLabel,
      containers: [container('console', [containerPort(tls ? 'https' : 'http', consolePort)])],
      note: `MinIO console Deployment of Tenant ${ref(cr)} (operator 4.x, spec.console)`,
    });
  }
  return out;
}

export const minioOperator: Operator = {
  name: 'minio-operator',
  resources: [{ group: 'minio.min.io', kinds: ['Tenant'] }],
  derive,
};
