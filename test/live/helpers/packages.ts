// Big Bang packages for verify --all: each a namespace, HelmRelease and GitRepository in bigbang, a
// Deployment's two pods with sidecars, a Service and (unless `exposed: false`) a VirtualService on
// the public gateway. `brokenRoute` points the route at a port the Service does not have.
import type { K8sObject } from '../../../src/manifest/index.js';
import { gitRepository, helmRelease, pod } from './cluster.js';

export interface PackageOpts {
  namespace?: string;
  exposed?: boolean;
  brokenRoute?: boolean;
  layout?: 'bb2' | 'bb3';
}

/** The Deployment's container port on the pod, as the ReplicaSet makes it. */
function withPort(p: K8sObject): K8sObject {
  const containers = (p.spec as { containers: Array<Record<string, unknown>> }).containers;
  containers[0].ports = [{ name: 'http', containerPort: 8080, protocol: 'TCP' }];
  return p;
}

export function packageObjects(name: string, o: PackageOpts = {}): K8sObject[] {
  const ns = o.namespace ?? name;
  const app = `${name}-${name}`;
  const gateway = o.layout === 'bb3' ? 'istio-gateway/public-ingressgateway' : 'istio-system/public';
  const hr = helmRelease(name, ns, true, [o.layout === 'bb3' ? 'istiod' : 'istio']);
  const out: K8sObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, uid: `uid-ns-${ns}`, labels: { 'istio-injection': 'enabled' } },
      status: { phase: 'Active' },
    },
    hr,
    gitRepository(name),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app, namespace: ns, labels: { app } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app } },
        template: {
          metadata: { labels: { app } },
          spec: { containers: [{ name, image: `${name}:1`, ports: [{ name: 'http', containerPort: 8080 }] }] },
        },
      },
      status: { replicas: 2, readyReplicas: 2, availableReplicas: 2, conditions: [{ type: 'Available', status: 'True' }] },
    },
    ...['aaaaa', 'bbbbb'].map((id) =>
      withPort(pod(`${app}-7d9c8b6f4-${id}`, ns, { app }, { app: name, owner: { kind: 'ReplicaSet', name: `${app}-7d9c8b6f4` } })),
    ),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app, namespace: ns },
      spec: { type: 'ClusterIP', selector: { app }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
    },
  ];
  if (o.exposed !== false) {
    out.push({
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: app, namespace: ns, uid: `uid-vs-${ns}-${app}`, labels: { 'app.kubernetes.io/instance': app } },
      spec: {
        gateways: [gateway],
        hosts: [`${name}.bigbang.dev`],
        http: [{ route: [{ destination: { host: `${app}.${ns}.svc.cluster.local`, port: { number: o.brokenRoute ? 9090 : 8080 } } }] }],
      },
    });
  }
  return out;
}
