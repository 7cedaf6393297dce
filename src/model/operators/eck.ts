// Elastic Cloud on Kubernetes (ECK): each CR gets an HTTP Service `<name>-<short>-http` (es, kb, apm, ent)
// named after its protocol (https unless spec.http.tls.selfSignedCertificate.disabled and no certificate),
// which spec.http.service may retype or give its own ports and selector.
// Sources (elastic/cloud-on-k8s): pkg/controller/elasticsearch/services/services.go (`-es-http`,
// `-es-internal-http`, `-es-transport` 9300 tls-transport), pkg/controller/common/defaults/service.go
// (SetServiceDefaults: user ports/selector replace the defaults), elasticsearch/nodespec/statefulset.go
// (headless Service per StatefulSet `<name>-es-<nodeSet>`), kibana/label/label.go, apmserver/labels.go,
// enterprisesearch/name/name.go (EntNamer "ent"). Big Bang: DoD-Platform-One/elasticsearch-kibana
// chart/templates/kibana-vs.yaml -> <release>-kb-http:5601, elasticsearch-vs.yaml -> <release>-es-http:9200.
import type { Manifest } from '../../manifest/types.js';
import { at, bool, container, containerPort, labels, list, rec, ref, service, servicePort, spec, str, userServicePorts } from './cr.js';
import type { Derived, DerivedServicePort, Labels, Operator } from './types.js';
import type { Json } from './cr.js';

const TYPE = 'common.k8s.elastic.co/type';

/** commonv1.HTTPConfig.Protocol(): TLS is on unless the self-signed certificate is disabled without a custom one. */
function protocol(s: Json): 'http' | 'https' {
  const disabled = bool(at(s, 'http', 'tls', 'selfSignedCertificate', 'disabled')) === true;
  const custom = str(at(s, 'http', 'tls', 'certificate', 'secretName')) !== undefined;
  return disabled && !custom ? 'http' : 'https';
}

/** The `<name>-<short>-http` Service after spec.http.service overrides (type, ports, selector, labels). */
function httpService(cr: Manifest, short: string, defaults: Labels, ports: DerivedServicePort[], what: string): Derived {
  const s = spec(cr);
  const user = rec(at(s, 'http', 'service'));
  const userPorts = userServicePorts(at(user, 'spec', 'ports'));
  const userSelector = labels(at(user, 'spec', 'selector'));
  return service({
    name: `${cr.name}-${short}-http`,
    namespace: cr.namespace,
    labels: { ...labels(at(user, 'metadata', 'labels')), ...defaults },
    type: str(at(user, 'spec', 'type')),
    selector: Object.keys(userSelector).length ? userSelector : defaults,
    ports: userPorts.length ? userPorts : ports,
    note: `${what} HTTP Service for ${cr.kind} ${ref(cr)}`,
  });
}

/** spec.podTemplate.metadata: ECK adds these labels and annotations to the pods it makes. */
function podTemplate(s: Json): { labels: Labels; annotations: Labels } {
  const meta = rec(at(s, 'podTemplate', 'metadata'));
  return { labels: labels(meta.labels), annotations: labels(meta.annotations) };
}

function elasticsearch(cr: Manifest): Derived[] {
  const s = spec(cr);
  const proto = protocol(s);
  const base = { [TYPE]: 'elasticsearch', 'elasticsearch.k8s.elastic.co/cluster-name': cr.name };
  const out: Derived[] = [
    httpService(cr, 'es', base, [servicePort(proto, 9200)], 'Elasticsearch'),
    service({
      name: `${cr.name}-es-internal-http`,
      namespace: cr.namespace,
      labels: base,
      selector: base,
      ports: [servicePort(proto, 9200)],
      note: `Elasticsearch operator-only HTTP Service for Elasticsearch ${ref(cr)}`,
    }),
    service({
      name: `${cr.name}-es-transport`,
      namespace: cr.namespace,
      labels: base,
      clusterIP: 'None',
      selector: base,
      ports: [servicePort('tls-transport', 9300)],
      note: `Elasticsearch transport Service for Elasticsearch ${ref(cr)}`,
    }),
  ];
  for (const raw of list(s.nodeSets)) {
    const set = rec(raw);
    const setName = str(set.name);
    if (!setName) continue;
    const sset = `${cr.name}-es-${setName}`;
    const ssetLabels = { ...base, 'elasticsearch.k8s.elastic.co/statefulset-name': sset };
    const tpl = podTemplate(set);
    out.push(
      service({
        name: sset,
        namespace: cr.namespace,
        labels: ssetLabels,
        clusterIP: 'None',
        selector: ssetLabels,
        ports: [servicePort(proto, 9200)],
        note: `headless Service of node set ${setName} of Elasticsearch ${ref(cr)}`,
      }),
      {
        kind: 'StatefulSet',
        name: sset,
        namespace: cr.namespace,
        matchLabels: ssetLabels,
        podLabels: { ...tpl.labels, ...ssetLabels, 'elasticsearch.k8s.elastic.co/http-scheme': proto },
        podAnnotations: tpl.annotations,
        containers: [container('elasticsearch', [containerPort(proto, 9200), containerPort('transport', 9300)])],
        note: `node set ${setName} of Elasticsearch ${ref(cr)}`,
      },
    );
  }
  return out;
}

/** Kibana, APM Server, Enterprise Search: one HTTP Service over one Deployment. */
function app(
  cr: Manifest,
  a: { short: string; type: string; nameLabel: string; deployment: string; container: string; port: number; what: string },
): Derived[] {
  const s = spec(cr);
  const proto = protocol(s);
  const base = { [TYPE]: a.type, [a.nameLabel]: cr.name };
  const tpl = podTemplate(s);
  return [
    httpService(cr, a.short, base, [servicePort(proto, a.port)], a.what),
    {
      kind: 'Deployment',
      name: a.deployment,
      namespace: cr.namespace,
      matchLabels: base,
      podLabels: { ...tpl.labels, ...base },
      podAnnotations: tpl.annotations,
      containers: [container(a.container, [containerPort(proto, a.port)])],
      note: `${a.what} Deployment for ${cr.kind} ${ref(cr)}`,
    },
  ];
}

/** Beats have no Service: a DaemonSet or Deployment `<name>-beat`. */
function beat(cr: Manifest): Derived[] {
  const s = spec(cr);
  const base = { [TYPE]: 'beat', 'beat.k8s.elastic.co/name': cr.name };
  const kind = s.deployment !== undefined ? 'Deployment' : 'DaemonSet';
  const tpl = podTemplate(rec(kind === 'Deployment' ? s.deployment : s.daemonSet));
  return [
    {
      kind,
      name: `${cr.name}-beat`,
      namespace: cr.namespace,
      matchLabels: base,
      podLabels: { ...tpl.labels, ...base },
      podAnnotations: tpl.annotations,
      containers: [container(str(s.type) ?? 'beat', [])],
      note: `${str(s.type) ?? 'beat'} ${kind} for Beat ${ref(cr)}`,
    },
  ];
}

function derive(cr: Manifest): Derived[] {
  const n = cr.name;
  switch (cr.kind) {
    case 'Elasticsearch':
      return elasticsearch(cr);
    case 'Kibana':
      return app(cr, {
        short: 'kb',
        type: 'kibana',
        nameLabel: 'kibana.k8s.elastic.co/name',
        deployment: `${n}-kb`,
        container: 'kibana',
        port: 5601,
        what: 'Kibana',
      });
    case 'ApmServer':
      return app(cr, {
        short: 'apm',
        type: 'apm-server',
        nameLabel: 'apm.k8s.elastic.co/name',
        deployment: `${n}-apm-server`,
        container: 'apm-server',
        port: 8200,
        what: 'APM Server',
      });
    case 'EnterpriseSearch':
      return app(cr, {
        short: 'ent',
        type: 'enterprise-search',
        nameLabel: 'enterprisesearch.k8s.elastic.co/name',
        deployment: `${n}-ent`,
        container: 'enterprise-search',
        port: 3002,
        what: 'Enterprise Search',
      });
    case 'Beat':
      return beat(cr);
    default:
      return [];
  }
}

export const eckOperator: Operator = {
  name: 'elastic-operator',
  resources: [
    { group: 'elasticsearch.k8s.elastic.co', kinds: ['Elasticsearch'] },
    { group: 'kibana.k8s.elastic.co', kinds: ['Kibana'] },
    { group: 'apm.k8s.elastic.co', kinds: ['ApmServer'] },
    { group: 'enterprisesearch.k8s.elastic.co', kinds: ['EnterpriseSearch'] },
    { group: 'beat.k8s.elastic.co', kinds: ['Beat'] },
  ],
  derive,
};
