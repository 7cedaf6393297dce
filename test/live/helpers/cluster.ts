// Fixture objects of a Big Bang cluster with podinfo integrated, shaped like `kubectl get -o json`
// output, with switches to break each thing the steps check.
import type { K8sObject } from '../../../src/manifest/index.js';
import type { Pair } from './certs.js';

export interface ClusterOpts {
  layout?: 'bb2' | 'bb3';
  /** TLS secret content; undefined = no secret. */
  cert?: Pair & { ca?: string };
  secretType?: string;
  /** Names of fixture parts to leave out: hr:podinfo, gitrepo:podinfo, gateway, vs, ingress-svc, ingress-pod, pods. */
  omit?: string[];
  podReady?: boolean;
  podWaitingReason?: string;
  hrReady?: boolean;
  sidecar?: 'container' | 'native' | 'none';
  namespaceInjection?: boolean;
  serviceType?: 'LoadBalancer' | 'NodePort' | 'ClusterIP';
  lbAddress?: string | null;
  httpsTargetPort?: number;
  gatewayHosts?: string[];
  gatewayRedirect?: boolean;
  gatewaySelector?: Record<string, string>;
  credentialName?: string;
  vsGateway?: string;
  vsHost?: string;
  vsPort?: number;
  vsDestination?: string;
}

const ts = '2024-05-01T10:00:00Z';

function meta(name: string, namespace: string | undefined, extra: Record<string, unknown> = {}) {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    uid: `uid-${namespace ?? ''}-${name}`,
    resourceVersion: '100',
    creationTimestamp: ts,
    ...extra,
  };
}

function ready(okay: boolean, reason: string, message: string) {
  return [{ type: 'Ready', status: okay ? 'True' : 'False', reason, message, lastTransitionTime: ts, observedGeneration: 1 }];
}

export function helmRelease(name: string, targetNamespace: string, okay = true, dependsOn: string[] = []): K8sObject {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: meta(name, 'bigbang', { generation: 1, labels: { 'app.kubernetes.io/part-of': 'bigbang' } }),
    spec: {
      ...(dependsOn.length ? { dependsOn: dependsOn.map((d) => ({ name: d, namespace: 'bigbang' })) } : {}),
      targetNamespace,
      interval: '2m',
      chart: { spec: { chart: `chart`, sourceRef: { kind: 'GitRepository', name, namespace: 'bigbang' } } },
    },
    status: {
      observedGeneration: 1,
      conditions: okay
        ? ready(true, 'InstallSucceeded', `Helm install succeeded for release ${targetNamespace}/${name}.v1 with chart ${name}@1.0.0`)
        : ready(
            false,
            'InstallFailed',
            `Helm install failed for release ${targetNamespace}/${name} with chart ${name}@1.0.0: context deadline exceeded`,
          ),
    },
  };
}

export function gitRepository(name: string, okay = true): K8sObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: meta(name, 'bigbang', { generation: 1 }),
    spec: { interval: '10m', url: `https://repo1.dso.mil/big-bang/product/packages/${name}.git`, ref: { tag: '1.0.0' } },
    status: {
      conditions: ready(
        okay,
        okay ? 'Succeeded' : 'GitOperationFailed',
        okay
          ? "stored artifact for revision '1.0.0@sha1:0123456789abcdef'"
          : 'failed to checkout and determine revision: authentication required',
      ),
    },
  };
}

export function pod(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  o: {
    ready?: boolean;
    sidecar?: 'container' | 'native' | 'none';
    waiting?: string;
    owner?: { kind: string; name: string };
    app?: string;
  } = {},
): K8sObject {
  const isReady = o.ready ?? true;
  const sidecar = o.sidecar ?? 'container';
  const app = o.app ?? labels.app ?? name;
  const cs = (n: string, r: boolean) => ({
    name: n,
    ready: r,
    restartCount: 0,
    image: `${n}:1`,
    imageID: `${n}@sha256:00`,
    started: r,
    state: r ? { running: { startedAt: ts } } : { waiting: { reason: o.waiting ?? 'ContainerCreating' } },
  });
  const containers = [{ name: app, image: `${app}:1` }];
  const statuses = [cs(app, isReady)];
  const initContainers: any[] = [];
  const initStatuses: any[] = [];
  if (sidecar === 'container') {
    containers.push({ name: 'istio-proxy', image: 'proxyv2:1.23' });
    statuses.push(cs('istio-proxy', isReady));
  } else if (sidecar === 'native') {
    initContainers.push({ name: 'istio-proxy', image: 'proxyv2:1.23', restartPolicy: 'Always' });
    initStatuses.push(cs('istio-proxy', isReady));
  }
  const owner = o.owner ?? { kind: 'ReplicaSet', name: `${app}-7d9c8b6f4` };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, namespace, {
      labels: { ...labels, 'pod-template-hash': '7d9c8b6f4' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: 'u', controller: true, blockOwnerDeletion: true },
      ],
    }),
    spec: { containers, ...(initContainers.length ? { initContainers } : {}) },
    status: {
      phase: isReady ? 'Running' : 'Pending',
      conditions: [
        { type: 'Ready', status: isReady ? 'True' : 'False' },
        { type: 'ContainersReady', status: isReady ? 'True' : 'False' },
      ],
      containerStatuses: statuses,
      ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
      podIP: '10.42.0.10',
      startTime: ts,
    },
  };
}

export function tlsSecret(name: string, namespace: string, p: Pair & { ca?: string }, type = 'kubernetes.io/tls'): K8sObject {
  const data: Record<string, string> = {
    'tls.crt': Buffer.from(p.cert).toString('base64'),
    'tls.key': Buffer.from(p.key).toString('base64'),
  };
  if (p.ca) data['ca.crt'] = Buffer.from(p.ca).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type,
    metadata: meta(name, namespace, {
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ data }) },
      managedFields: [{ manager: 'helm', operation: 'Update', fieldsV1: { 'f:data': { 'f:tls.key': {} } } }],
    }),
    data,
  };
}

/** Labels the podinfo chart's helpers put on its objects (chart/templates/_helpers.tpl). */
const chartLabels = {
  'helm.sh/chart': 'podinfo-6.0.0-bb.0',
  'app.kubernetes.io/name': 'podinfo-podinfo',
  'app.kubernetes.io/version': '6.0.0',
  'app.kubernetes.io/managed-by': 'Helm',
};
/** What Flux's helm-controller adds to every object of a HelmRelease. */
const fluxLabels = { 'helm.toolkit.fluxcd.io/name': 'podinfo', 'helm.toolkit.fluxcd.io/namespace': 'bigbang' };
const helmAnnotations = { 'meta.helm.sh/release-name': 'podinfo-podinfo', 'meta.helm.sh/release-namespace': 'podinfo' };
/** Labels of the objects the bigbang chart makes for the package (bigbang/templates/podinfo/*). */
const bigbangLabels = {
  'app.kubernetes.io/name': 'podinfo',
  'app.kubernetes.io/component': 'sandbox',
  'app.kubernetes.io/instance': 'bigbang',
  'app.kubernetes.io/version': '0.1.0',
  'app.kubernetes.io/part-of': 'bigbang',
  'app.kubernetes.io/managed-by': 'flux',
};

/** HelmRelease bigbang/podinfo as bigbang/templates/podinfo/helmrelease.yaml makes it, with Istio enabled. */
export function podinfoRelease(layout: 'bb2' | 'bb3', okay = true): K8sObject {
  const hr = helmRelease('podinfo', 'podinfo', okay, [layout === 'bb2' ? 'istio' : 'istiod']);
  const values = (key: string) => ({ kind: 'Secret', name: 'bigbang-podinfo-values', valuesKey: key });
  hr.metadata = {
    ...hr.metadata,
    labels: bigbangLabels,
    annotations: { 'meta.helm.sh/release-name': 'bigbang', 'meta.helm.sh/release-namespace': 'bigbang' },
  };
  hr.spec = {
    ...(hr.spec as object),
    chart: {
      spec: {
        chart: './chart',
        interval: '5m',
        reconcileStrategy: 'Revision',
        sourceRef: { kind: 'GitRepository', name: 'podinfo', namespace: 'bigbang' },
      },
    },
    install: { remediation: { retries: -1 } },
    rollback: { cleanupOnFail: false, timeout: '10m' },
    test: { enable: false },
    timeout: '10m',
    upgrade: { cleanupOnFail: true, remediation: { remediateLastFailure: true, retries: 3 } },
    valuesFrom: [values('common'), values('defaults'), values('overlays')],
  };
  return hr;
}

/**
 * A podinfo pod: chart/templates/deployment.yaml's pod template (ports http 9898, http-metrics 9797,
 * grpc 9999), as the Istio sidecar injector rewrites it: istio-init, the istio-proxy container (or a
 * native sidecar), the probes moved to the agent on 15020, the Prometheus annotations merged.
 */
export function podinfoPod(
  name: string,
  o: { ready?: boolean; sidecar?: 'container' | 'native' | 'none'; waiting?: string } = {},
): K8sObject {
  const isReady = o.ready ?? true;
  const sidecar = o.sidecar ?? 'container';
  const injected = sidecar !== 'none';
  const hash = '7d9c8b6f4';
  const cs = (n: string, image: string, r: boolean) => ({
    name: n,
    ready: r,
    restartCount: 0,
    image,
    imageID: `${image.split(':')[0]}@sha256:00`,
    started: r,
    state: r ? { running: { startedAt: ts } } : { waiting: { reason: o.waiting ?? 'ContainerCreating' } },
  });
  const podinfoImage = 'registry1.dso.mil/ironbank/opensource/podinfo/podinfo:6.0.0';
  const proxyImage = 'registry1.dso.mil/ironbank/tetrate/istio/proxyv2:1.23.3-tetratefips-v0';
  const probe = (path: string) =>
    injected
      ? {
          httpGet: { path: `/app-health/podinfo/${path === '/healthz' ? 'livez' : 'readyz'}`, port: 15020, scheme: 'HTTP' },
          timeoutSeconds: 1,
          periodSeconds: 10,
          successThreshold: 1,
          failureThreshold: 3,
        }
      : { httpGet: { path, port: 'http', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 };
  const app = {
    name: 'podinfo',
    image: podinfoImage,
    imagePullPolicy: 'IfNotPresent',
    command: ['./podinfo', '--port=9898', '--port-metrics=9797', '--grpc-port=9999', '--grpc-service-name=podinfo', '--level=info'],
    env: [{ name: 'PODINFO_UI_COLOR', value: '#34577c' }],
    ports: [
      { name: 'http', containerPort: 9898, protocol: 'TCP' },
      { name: 'http-metrics', containerPort: 9797, protocol: 'TCP' },
      { name: 'grpc', containerPort: 9999, protocol: 'TCP' },
    ],
    livenessProbe: probe('/healthz'),
    readinessProbe: probe('/readyz'),
    resources: { limits: { cpu: '100m', memory: '128Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  };
  const proxy = {
    name: 'istio-proxy',
    image: proxyImage,
    args: [
      'proxy',
      'sidecar',
      '--domain',
      '$(POD_NAMESPACE).svc.cluster.local',
      '--proxyLogLevel=warning',
      '--proxyComponentLogLevel=misc:error',
      '--log_output_level=default:info',
    ],
    ports: [{ name: 'http-envoy-prom', containerPort: 15090, protocol: 'TCP' }],
    readinessProbe: {
      httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' },
      periodSeconds: 15,
      timeoutSeconds: 3,
      failureThreshold: 4,
      successThreshold: 1,
    },
    resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 1337,
      runAsNonRoot: true,
      runAsUser: 1337,
    },
    ...(sidecar === 'native' ? { restartPolicy: 'Always' } : {}),
  };
  const init = {
    name: 'istio-init',
    image: proxyImage,
    args: [
      'istio-iptables',
      '-p',
      '15001',
      '-z',
      '15006',
      '-u',
      '1337',
      '-m',
      'REDIRECT',
      '-i',
      '*',
      '-x',
      '',
      '-b',
      '*',
      '-d',
      '15090,15021,15020',
      '--log_output_level=default:info',
    ],
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: false,
      runAsGroup: 0,
      runAsNonRoot: false,
      runAsUser: 0,
    },
  };
  const initDone = {
    name: 'istio-init',
    ready: true,
    restartCount: 0,
    image: proxyImage,
    imageID: 'proxyv2@sha256:00',
    started: false,
    state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: ts, finishedAt: ts } },
  };
  const containers: any[] = [app, ...(sidecar === 'container' ? [proxy] : [])];
  const initContainers: any[] = injected ? [init, ...(sidecar === 'native' ? [proxy] : [])] : [];
  const statuses: any[] = [
    cs('podinfo', podinfoImage, isReady),
    ...(sidecar === 'container' ? [cs('istio-proxy', proxyImage, isReady)] : []),
  ];
  const initStatuses: any[] = injected ? [initDone, ...(sidecar === 'native' ? [cs('istio-proxy', proxyImage, isReady)] : [])] : [];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, 'podinfo', {
      generateName: `podinfo-podinfo-${hash}-`,
      labels: {
        'app.kubernetes.io/name': 'podinfo-podinfo',
        'pod-template-hash': hash,
        ...(injected
          ? {
              'security.istio.io/tlsMode': 'istio',
              'service.istio.io/canonical-name': 'podinfo-podinfo',
              'service.istio.io/canonical-revision': 'latest',
            }
          : {}),
      },
      annotations: injected
        ? {
            'istio.io/rev': 'default',
            'kubectl.kubernetes.io/default-container': 'podinfo',
            'kubectl.kubernetes.io/default-logs-container': 'podinfo',
            'prometheus.io/path': '/stats/prometheus',
            'prometheus.io/port': '15020',
            'prometheus.io/scrape': 'true',
            'sidecar.istio.io/status':
              '{"initContainers":["istio-init"],"containers":["istio-proxy"],"volumes":["workload-socket","credential-socket","workload-certs","istio-envoy","istio-data","istio-podinfo","istio-token","istiod-ca-cert"],"imagePullSecrets":["private-registry"],"revision":"default"}',
          }
        : { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9898' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `podinfo-podinfo-${hash}`,
          uid: 'uid-podinfo-podinfo-podinfo-rs',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    }),
    spec: {
      ...(initContainers.length ? { initContainers } : {}),
      containers,
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      imagePullSecrets: [{ name: 'private-registry' }],
      nodeName: 'k3d-bigbang-server-0',
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: { runAsGroup: 1000, runAsNonRoot: true, runAsUser: 1000 },
      serviceAccount: 'default',
      serviceAccountName: 'default',
      terminationGracePeriodSeconds: 30,
    },
    status: {
      phase: isReady ? 'Running' : 'Pending',
      conditions: [
        ...(injected ? [{ type: 'Initialized', status: 'True', lastTransitionTime: ts }] : []),
        { type: 'Ready', status: isReady ? 'True' : 'False', lastTransitionTime: ts },
        { type: 'ContainersReady', status: isReady ? 'True' : 'False', lastTransitionTime: ts },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: ts },
      ],
      containerStatuses: statuses,
      ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
      hostIP: '172.18.0.2',
      podIP: '10.42.0.10',
      podIPs: [{ ip: '10.42.0.10' }],
      qosClass: 'Burstable',
      startTime: ts,
    },
  };
}

export function clusterObjects(o: ClusterOpts = {}): K8sObject[] {
  const layout = o.layout ?? 'bb2';
  const omit = new Set(o.omit ?? []);
  const gwNs = layout === 'bb2' ? 'istio-system' : 'istio-gateway';
  const gwName = layout === 'bb2' ? 'public' : 'public-ingressgateway';
  const out: K8sObject[] = [];
  const add = (key: string, obj: K8sObject) => {
    if (!omit.has(key)) out.push(obj);
  };
  // Flux
  const istio =
    layout === 'bb2'
      ? [
          ['istio-operator', 'istio-operator'],
          ['istio', 'istio-system'],
        ]
      : [
          ['istio-crds', 'istio-system'],
          ['istiod', 'istio-system'],
          ['public-ingressgateway', 'istio-gateway'],
        ];
  for (const [n, t] of istio) {
    add(`hr:${n}`, helmRelease(n, t));
    add(`gitrepo:${n}`, gitRepository(n));
  }
  add('hr:podinfo', podinfoRelease(layout, o.hrReady ?? true));
  add('gitrepo:podinfo', gitRepository('podinfo'));
  // Namespaces
  add('ns:podinfo', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta('podinfo', undefined, {
      labels: {
        ...bigbangLabels,
        'kubernetes.io/metadata.name': 'podinfo',
        ...(o.namespaceInjection === false ? {} : { 'istio-injection': 'enabled' }),
      },
      annotations: { 'meta.helm.sh/release-name': 'bigbang', 'meta.helm.sh/release-namespace': 'bigbang' },
    }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  // Package: the objects of `bbmesh render examples/podinfo --set istio.enabled=true` (after
  // integrate) as the API server returns them: Helm and Flux metadata added, the pod made from the
  // Deployment template by its ReplicaSet (replicas: 1) and mutated by the Istio injector.
  if (!omit.has('pods')) {
    add(
      'pod:7d9c8b6f4-abcde',
      podinfoPod('podinfo-podinfo-7d9c8b6f4-abcde', {
        ready: o.podReady ?? true,
        sidecar: o.sidecar ?? 'container',
        waiting: o.podWaitingReason,
      }),
    );
  }
  add('svc:podinfo', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('podinfo-podinfo', 'podinfo', { labels: { ...chartLabels, ...fluxLabels }, annotations: helmAnnotations }),
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.43.0.20',
      clusterIPs: ['10.43.0.20'],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      sessionAffinity: 'None',
      selector: { 'app.kubernetes.io/name': 'podinfo-podinfo' },
      ports: [
        { name: 'http', port: 9898, targetPort: 'http', protocol: 'TCP' },
        { name: 'grpc', port: 9999, targetPort: 'grpc', protocol: 'TCP' },
      ],
    },
    status: { loadBalancer: {} },
  });
  add('vs', {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: meta('podinfo-podinfo', 'podinfo', {
      generation: 1,
      labels: { ...chartLabels, 'app.kubernetes.io/instance': 'podinfo-podinfo', ...fluxLabels },
      annotations: helmAnnotations,
    }),
    spec: {
      gateways: [o.vsGateway ?? `${gwNs}/${gwName}`],
      hosts: [o.vsHost ?? 'podinfo.bigbang.dev'],
      http: [
        {
          route: [
            { destination: { host: o.vsDestination ?? 'podinfo-podinfo.podinfo.svc.cluster.local', port: { number: o.vsPort ?? 9898 } } },
          ],
        },
      ],
    },
  });
  // Istio platform
  const selector = o.gatewaySelector ?? (layout === 'bb2' ? { app: 'public-ingressgateway' } : { istio: 'ingressgateway' });
  const redirectServer = { hosts: ['*.bigbang.dev'], port: { name: 'http', number: 8080, protocol: 'HTTP' }, tls: { httpsRedirect: true } };
  add('gateway', {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'Gateway',
    metadata: meta(gwName, gwNs),
    spec: {
      selector,
      servers: [
        ...(o.gatewayRedirect === false ? [] : [redirectServer]),
        {
          hosts: o.gatewayHosts ?? ['*.bigbang.dev'],
          port: { name: 'https', number: 8443, protocol: 'HTTPS' },
          tls: { mode: 'SIMPLE', credentialName: o.credentialName ?? 'public-cert' },
        },
      ],
    },
  });
  const lb = o.lbAddress === undefined ? '127.0.0.1' : o.lbAddress;
  const type = o.serviceType ?? 'LoadBalancer';
  add('ingress-svc', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('public-ingressgateway', gwNs, { labels: { app: 'public-ingressgateway', istio: 'ingressgateway' } }),
    spec: {
      type,
      clusterIP: '10.43.0.50',
      selector: { app: 'public-ingressgateway' },
      ports: [
        { name: 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP', ...(type !== 'ClusterIP' ? { nodePort: 31021 } : {}) },
        { name: 'http2', port: 80, targetPort: 8080, protocol: 'TCP', ...(type !== 'ClusterIP' ? { nodePort: 31080 } : {}) },
        {
          name: 'https',
          port: 443,
          targetPort: o.httpsTargetPort ?? 8443,
          protocol: 'TCP',
          ...(type !== 'ClusterIP' ? { nodePort: 31443 } : {}),
        },
      ],
    },
    status: { loadBalancer: type === 'LoadBalancer' && lb ? { ingress: [{ ip: lb, ipMode: 'VIP' }] } : {} },
  });
  add(
    'ingress-pod',
    pod(
      'public-ingressgateway-5f7d9c-xk2lp',
      gwNs,
      { app: 'public-ingressgateway', istio: 'ingressgateway' },
      { sidecar: 'none', app: 'istio-proxy', owner: { kind: 'ReplicaSet', name: 'public-ingressgateway-5f7d9c' } },
    ),
  );
  add(
    'istiod-pod',
    pod(
      'istiod-6d8f7c-q9w8e',
      'istio-system',
      { app: 'istiod', istio: 'pilot' },
      { sidecar: 'none', app: 'discovery', owner: { kind: 'ReplicaSet', name: 'istiod-6d8f7c' } },
    ),
  );
  if (o.cert) add('secret', tlsSecret('public-cert', gwNs, o.cert, o.secretType));
  return out;
}
