// GitLab operator (apps.gitlab.com): a `GitLab` CR is installed by rendering the GitLab Helm chart with the
// CR's name as release name and spec.chart.values as values. This derives the Services users route to:
// `<release>-webservice-<deployment>` (http-webservice 8080, http-workhorse 8181, per
// gitlab.webservice.deployments, default `default`) and `<release>-registry` (http-registry 5000).
// Sources (GitLab chart, e.g. DoD-Platform-One/gitlab chart/charts/gitlab/charts/webservice/templates and
// charts/registry/templates): webservice service.yaml (targetPorts http-webservice/http-workhorse, selector
// app: webservice, release, gitlab.com/webservice-name), registry service.yaml (http-registry -> http,
// selector app: registry, release). Big Bang's GitLab package renders this chart directly (no operator):
// chart/templates/bigbang/virtualservice.yaml routes to the webservice on 8181 and the registry on 5000.
import type { Manifest } from '../../manifest/types.js';
import { at, bool, container, containerPort, dnsName, port, rec, ref, service, servicePort, spec, str } from './cr.js';
import type { Derived, Operator } from './types.js';

function derive(cr: Manifest): Derived[] {
  const values = rec(at(spec(cr), 'chart', 'values'));
  const release = cr.name;
  const ns = cr.namespace;
  const ws = rec(at(values, 'gitlab', 'webservice'));
  const out: Derived[] = [];
  if (bool(ws.enabled) !== false) {
    const deployments = Object.keys(rec(ws.deployments));
    const httpOn = bool(at(ws, 'http', 'enabled')) !== false;
    const webPort = port(at(ws, 'service', 'externalPort')) ?? 8080;
    const workhorsePort = port(at(ws, 'service', 'workhorseExternalPort')) ?? 8181;
    for (const d of deployments.length ? deployments : ['default']) {
      const name = dnsName(`${release}-webservice-${d}`);
      const selector = { app: 'webservice', release, 'gitlab.com/webservice-name': d };
      const ports = httpOn ? [servicePort('http-webservice', webPort, 'http-webservice')] : [];
      ports.push(servicePort('http-workhorse', workhorsePort, 'http-workhorse'));
      out.push(
        service({
          name,
          namespace: ns,
          labels: selector,
          type: str(at(ws, 'service', 'type')),
          selector,
          ports,
          note: `GitLab webservice (${d}) for GitLab ${ref(cr)}`,
        }),
        {
          kind: 'Deployment',
          name,
          namespace: ns,
          podLabels: selector,
          containers: [
            container('webservice', [containerPort('http-webservice', 8080)]),
            container('gitlab-workhorse', [containerPort('http-workhorse', 8181)]),
          ],
          note: `GitLab webservice (${d}) Deployment for GitLab ${ref(cr)}`,
        },
      );
    }
  }
  const registry = rec(values.registry);
  if (bool(registry.enabled) !== false) {
    const name = dnsName(`${release}-registry`);
    const selector = { app: 'registry', release };
    out.push(
      service({
        name,
        namespace: ns,
        labels: selector,
        type: str(at(registry, 'service', 'type')),
        selector,
        ports: [servicePort('http-registry', port(at(registry, 'service', 'externalPort')) ?? 5000, 'http')],
        note: `GitLab container registry for GitLab ${ref(cr)}`,
      }),
      {
        kind: 'Deployment',
        name,
        namespace: ns,
        podLabels: selector,
        containers: [container('registry', [containerPort('http', 5000)])],
        note: `GitLab container registry Deployment for GitLab ${ref(cr)}`,
      },
    );
  }
  return out;
}

export const gitlabOperator: Operator = {
  name: 'gitlab-operator',
  resources: [{ group: 'apps.gitlab.com', kinds: ['GitLab'] }],
  derive,
};
