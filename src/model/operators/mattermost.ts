// Mattermost operator: a `Mattermost` (installation.mattermost.com/v1beta1) or legacy `ClusterInstallation`
// (mattermost.com/v1alpha1) becomes a Deployment and a Service, both named after the CR. The Service is
// headless with app 8065 and metrics 8067 (targetPorts by name), a LoadBalancer on 80/443 with
// spec.useServiceLoadBalancer, or a NodePort with the AWS load balancer controller.
// Sources (mattermost/mattermost-operator): pkg/mattermost/mattermost_v1beta.go (GenerateServiceV1Beta,
// configureMattermostService, GenerateDeploymentV1Beta: container `mattermost` ports app/metrics),
// apis/mattermost/v1beta1/mattermost_utils.go (MattermostSelectorLabels, MattermostPodLabels,
// installation.mattermost.com/{installation,resource}). Big Bang: DoD-Platform-One/mattermost
// chart/templates/mattermost.yaml (CR named <release>), virtual-service-mattermost-app.yaml -> <release>:8065.
import type { Manifest } from '../../manifest/types.js';
import { at, bool, container, containerPort, labels, ref, service, servicePort, spec } from './cr.js';
import type { Derived, Operator } from './types.js';

function derive(cr: Manifest): Derived[] {
  const s = spec(cr);
  // v1alpha1 ClusterInstallation used the same label names under the v1alpha1.mattermost.com prefix.
  const prefix = cr.kind === 'ClusterInstallation' ? 'v1alpha1.mattermost.com' : 'installation.mattermost.com';
  const selector = { [`${prefix}/resource`]: cr.name, [`${prefix}/installation`]: cr.name, app: 'mattermost' };
  const resourceLabels = labels(s.resourceLabels);
  const lb = bool(s.useServiceLoadBalancer) === true;
  const alb = bool(at(s, 'awsLoadBalancerController', 'enabled')) === true;
  const app = servicePort('app', 8065, 'app', 'TCP', 'http');
  const metrics = servicePort('metrics', 8067, 'metrics', 'TCP', 'http');
  // headless by default; the LoadBalancer variant maps 80 and 443 onto the app port.
  const ports = lb && !alb ? [servicePort('http', 80, 'app'), servicePort('https', 443, 'app')] : [app, metrics];
  const svc = service({
    name: cr.name,
    namespace: cr.namespace,
    labels: { ...resourceLabels, ...selector },
    type: alb ? 'NodePort' : lb ? 'LoadBalancer' : 'ClusterIP',
    ...(alb || lb ? {} : { clusterIP: 'None' }),
    selector,
    ports,
    note: `Mattermost app Service for ${cr.kind} ${ref(cr)}`,
  });
  return [
    svc,
    {
      kind: 'Deployment',
      name: cr.name,
      namespace: cr.namespace,
      matchLabels: selector,
      podLabels: { ...resourceLabels, ...labels(at(s, 'podTemplate', 'extraLabels')), ...selector },
      podAnnotations: labels(at(s, 'podTemplate', 'extraAnnotations')),
      containers: [container('mattermost', [containerPort('app', 8065), containerPort('metrics', 8067)])],
      note: `Mattermost app Deployment for ${cr.kind} ${ref(cr)}`,
    },
  ];
}

export const mattermostOperator: Operator = {
  name: 'mattermost-operator',
  resources: [
    { group: 'installation.mattermost.com', kinds: ['Mattermost'] },
    { group: 'mattermost.com', kinds: ['ClusterInstallation'] },
  ],
  derive,
};
