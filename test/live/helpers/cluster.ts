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
  return { name, ...(namespace ? { namespace } : {}), uid: `uid-${namespace ?? ''}-${name}`, resourceVersion: '100', creationTimestamp: ts, ...extra };
}

function ready(okay: boolean, reason: string, message: string) {
  return [{ type: 'Ready', status: okay ? 'True' : 'False', reason, message, lastTransitionTime: ts, observedGeneration: 1 }];
}

export function helmRelease(name: string, targetNamespace: string, okay = true): K8sObject {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease',
    metadata: meta(name, 'bigbang', { generation: 1, labels: { 'app.kubernetes.io/part-of': 'bigbang' } }),
    spec: { targetNamespace, interval: '2m', chart: { spec: { chart: `chart`, sourceRef: { kind: 'GitRepository', name, namespace: 'bigbang' } } } },
    status: {
      observedGeneration: 1,
      conditions: okay
        ? ready(true, 'InstallSucceeded', `Helm install succeeded for release ${targetNamespace}/${name}.v1 with chart ${name}@1.0.0`)
        : ready(false, 'InstallFailed', `Helm install failed for release ${targetNamespace}/${name} with chart ${name}@1.0.0: context deadline exceeded`),
    },
  };
}

export function gitRepository(name: string, okay = true): K8sObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository',
    metadata: meta(name, 'bigbang', { generation: 1 }),
    spec: { interval: '10m', url: `https://repo1.dso.mil/big-bang/product/packages/${name}.git`, ref: { tag: '1.0.0' } },
    status: { conditions: ready(okay, okay ? 'Succeeded' : 'GitOperationFailed', okay ? "stored artifact for revision '1.0.0@sha1:0123456789abcdef'" : 'failed to checkout and determine revision: authentication required') },
  };
}

export function pod(name: string, namespace: string, labels: Record<string, string>, o: { ready?: boolean; sidecar?: 'container' | 'native' | 'none'; waiting?: string; owner?: { kind: string; name: string }; app?: string } = {}): K8sObject {
  const isReady = o.ready ?? true;
  const sidecar = o.sidecar ?? 'container';
  const app = o.app ?? labels.app ?? name;
  const cs = (n: string, r: boolean) => ({
    name: n, ready: r, restartCount: 0, image: `${n}:1`, imageID: `${n}@sha256:00`, started: r,
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
    apiVersion: 'v1', kind: 'Pod',
    metadata: meta(name, namespace, {
      labels: { ...labels, 'pod-template-hash': '7d9c8b6f4' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: 'u', controller: true, blockOwnerDeletion: true }],
    }),
    spec: { containers, ...(initContainers.length ? { initContainers } : {}) },
    status: {
      phase: isReady ? 'Running' : 'Pending',
      conditions: [{ type: 'Ready', status: isReady ? 'True' : 'False' }, { type: 'ContainersReady', status: isReady ? 'True' : 'False' }],
      containerStatuses: statuses,
      ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
      podIP: '10.42.0.10', startTime: ts,
    },
  };
}

export function tlsSecret(name: string, namespace: string, p: Pair & { ca?: string }, type = 'kubernetes.io/tls'): K8sObject {
  const data: Record<string, string> = { 'tls.crt': Buffer.from(p.cert).toString('base64'), 'tls.key': Buffer.from(p.key).toString('base64') };
  if (p.ca) data['ca.crt'] = Buffer.from(p.ca).toString('base64');
  return {
    apiVersion: 'v1', kind: 'Secret', type,
    metadata: meta(name, namespace, {
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ data }) },
      managedFields: [{ manager: 'helm', operation: 'Update', fieldsV1: { 'f:data': { 'f:tls.key': {} } } }],
    }),
    data,
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
  const istio = layout === 'bb2' ? [['istio-operator', 'istio-operator'], ['istio', 'istio-system']] : [['istio-crds', 'istio-system'], ['istiod', 'istio-system'], ['public-ingressgateway', 'istio-gateway']];
  for (const [n, t] of istio) {
    add(`hr:${n}`, helmRelease(n, t));
    add(`gitrepo:${n}`, gitRepository(n));
  }
  add('hr:podinfo', helmRelease('podinfo', 'podinfo', o.hrReady ?? true));
  add('gitrepo:podinfo', gitRepository('podinfo'));
  // Namespaces
  add('ns:podinfo', { apiVersion: 'v1', kind: 'Namespace', metadata: meta('podinfo', undefined, { labels: { 'kubernetes.io/metadata.name': 'podinfo', ...(o.namespaceInjection === false ? {} : { 'istio-injection': 'enabled' }) } }), status: { phase: 'Active' } });
  // Package
  if (!omit.has('pods')) {
    for (const suffix of ['7d9c8b6f4-abcde', '7d9c8b6f4-fghij']) {
      add(`pod:${suffix}`, pod(`podinfo-podinfo-${suffix}`, 'podinfo', { app: 'podinfo-podinfo', 'app.kubernetes.io/name': 'podinfo' }, {
        ready: o.podReady ?? true, sidecar: o.sidecar ?? 'container', waiting: o.podWaitingReason, app: 'podinfo', owner: { kind: 'ReplicaSet', name: 'podinfo-podinfo-7d9c8b6f4' },
      }));
    }
  }
  add('svc:podinfo', {
    apiVersion: 'v1', kind: 'Service', metadata: meta('podinfo-podinfo', 'podinfo', { labels: { app: 'podinfo-podinfo' } }),
    spec: { type: 'ClusterIP', clusterIP: '10.43.0.20', selector: { app: 'podinfo-podinfo' }, ports: [{ name: 'http', port: 9898, targetPort: 'http', protocol: 'TCP' }, { name: 'grpc', port: 9999, targetPort: 'grpc', protocol: 'TCP' }] },
    status: { loadBalancer: {} },
  });
  add('vs', {
    apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: meta('podinfo-podinfo', 'podinfo'),
    spec: {
      gateways: [o.vsGateway ?? `${gwNs}/${gwName}`],
      hosts: [o.vsHost ?? 'podinfo.bigbang.dev'],
      http: [{ route: [{ destination: { host: o.vsDestination ?? 'podinfo-podinfo.podinfo.svc.cluster.local', port: { number: o.vsPort ?? 9898 } } }] }],
    },
  });
  // Istio platform
  const selector = o.gatewaySelector ?? (layout === 'bb2' ? { app: 'public-ingressgateway' } : { istio: 'ingressgateway' });
  const redirectServer = { hosts: ['*.bigbang.dev'], port: { name: 'http', number: 8080, protocol: 'HTTP' }, tls: { httpsRedirect: true } };
  add('gateway', {
    apiVersion: 'networking.istio.io/v1beta1', kind: 'Gateway', metadata: meta(gwName, gwNs),
    spec: {
      selector,
      servers: [
        ...(o.gatewayRedirect === false ? [] : [redirectServer]),
        { hosts: o.gatewayHosts ?? ['*.bigbang.dev'], port: { name: 'https', number: 8443, protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', credentialName: o.credentialName ?? 'public-cert' } },
      ],
    },
  });
  const lb = o.lbAddress === undefined ? '127.0.0.1' : o.lbAddress;
  const type = o.serviceType ?? 'LoadBalancer';
  add('ingress-svc', {
    apiVersion: 'v1', kind: 'Service', metadata: meta('public-ingressgateway', gwNs, { labels: { app: 'public-ingressgateway', istio: 'ingressgateway' } }),
    spec: {
      type, clusterIP: '10.43.0.50', selector: { app: 'public-ingressgateway' },
      ports: [
        { name: 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP', ...(type !== 'ClusterIP' ? { nodePort: 31021 } : {}) },
        { name: 'http2', port: 80, targetPort: 8080, protocol: 'TCP', ...(type !== 'ClusterIP' ? { nodePort: 31080 } : {}) },
        { name: 'https', port: 443, targetPort: o.httpsTargetPort ?? 8443, protocol: 'TCP', ...(type !== 'ClusterIP' ? { nodePort: 31443 } : {}) },
      ],
    },
    status: { loadBalancer: type === 'LoadBalancer' && lb ? { ingress: [{ ip: lb, ipMode: 'VIP' }] } : {} },
  });
  add('ingress-pod', pod('public-ingressgateway-5f7d9c-xk2lp', gwNs, { app: 'public-ingressgateway', istio: 'ingressgateway' }, { sidecar: 'none', app: 'istio-proxy', owner: { kind: 'ReplicaSet', name: 'public-ingressgateway-5f7d9c' } }));
  add('istiod-pod', pod('istiod-6d8f7c-q9w8e', 'istio-system', { app: 'istiod', istio: 'pilot' }, { sidecar: 'none', app: 'discovery', owner: { kind: 'ReplicaSet', name: 'istiod-6d8f7c' } }));
  if (o.cert) add('secret', tlsSecret('public-cert', gwNs, o.cert, o.secretType));
  return out;
}
