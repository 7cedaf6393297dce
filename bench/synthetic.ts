// Synthetic Big Bang meshes for benchmarks: N packages, each a Namespace, Deployment,
// Service, VirtualService and PeerAuthentication (5 objects), wired correctly, plus the
// platform Gateway/ingress. A few packages carry deliberate mistakes so rules have work.
// With `heavy`, every package carries three faults a platform in trouble shows at once: a route
// to an undeclared port, a gateway that does not exist and a Service whose selector matches no pod.
export function syntheticMesh(objects: number, opts: { brokenEvery?: number; heavy?: boolean } = {}): string {
  const packages = Math.max(1, Math.floor(objects / 5));
  const broken = opts.brokenEvery ?? 50;
  const heavy = opts.heavy ?? false;
  const parts: string[] = [];
  for (let i = 0; i < packages; i++) {
    const p = `pkg${i}`;
    const port = heavy || (broken && i % broken === 7) ? 9999 : 8080;
    const gateway = heavy ? `istio-system/gw-${i % 7}` : 'istio-system/public';
    const selected = heavy ? `${p}-typo` : p;
    parts.push(`# Source: ${p}/templates/namespace.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: ${p}
  labels:
    app.kubernetes.io/name: ${p}
    istio-injection: enabled
---
# Source: ${p}/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${p}
  namespace: ${p}
  labels:
    app.kubernetes.io/name: ${p}
    app.kubernetes.io/instance: ${p}-${p}
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: ${p}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${p}
    spec:
      containers:
        - name: app
          image: registry1.dso.mil/ironbank/example/${p}:1.0.${i}
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
          resources:
            limits: {cpu: 100m, memory: 128Mi}
            requests: {cpu: 100m, memory: 128Mi}
---
# Source: ${p}/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: ${p}
  namespace: ${p}
  labels:
    app.kubernetes.io/name: ${p}
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: ${selected}
  ports:
    - name: http
      port: 8080
      targetPort: http
      protocol: TCP
---
# Source: ${p}/templates/bigbang/virtualservice.yaml
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: ${p}
  namespace: ${p}
  labels:
    app.kubernetes.io/name: ${p}
    app.kubernetes.io/instance: ${p}-${p}
spec:
  gateways:
    - ${gateway}
  hosts:
    - ${p}.bigbang.dev
  http:
    - route:
        - destination:
            host: ${p}.${p}.svc.cluster.local
            port:
              number: ${port}
---
# Source: ${p}/templates/bigbang/peerauthentication.yaml
apiVersion: security.istio.io/v1beta1
kind: PeerAuthentication
metadata:
  name: default-${p}
  namespace: ${p}
spec:
  mtls:
    mode: STRICT
`);
  }
  return parts.join('---\n');
}
