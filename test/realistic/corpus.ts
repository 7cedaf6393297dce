// The realistic corpus (test/fixtures/realistic/*): already-integrated Big Bang 1.x/2.x packages shaped like
// the real ones, each with what a correct check and trace say about it, and seeded faults (a copy with one real
// defect) that check must still catch. Infos are listed: a correct package may carry deliberate choices.

export interface TraceCase {
  url: string;
  /** Expected verdict. */
  ok: boolean;
  status: number | string;
  flag?: string;
  /** Port of the `destination` hop (the VirtualService route's destination port). */
  destinationPort?: number;
  /** The route hop's title contains this (e.g. `tls[0]`, `http[1]`). */
  route?: string;
  /** Hop kinds that must appear. */
  hops?: string[];
  /** Stage-1 `--set` for this trace only. */
  set?: string[];
}

/** One edit of a fixture file: `find` must occur in it. */
export interface Edit {
  file: string;
  find: string;
  replace: string;
}

export interface Fault {
  name: string;
  edits: Edit[];
  /** The finding that catches it (warning or error unless said). */
  code: string;
  severity?: 'error' | 'warning';
  /** The render branch the finding comes from. */
  render?: 'istio-enabled' | 'istio-disabled';
  /** Text the finding's message contains. */
  message?: RegExp;
  /** The fault stops the render with Istio enabled: check refuses with this message. */
  refuses?: RegExp;
  trace?: TraceCase;
}

export interface Pkg {
  name: string;
  /** Package name and its HelmRelease (default: the namespace). */
  pkg?: string;
  /** The namespace the package deploys into. */
  ns: string;
  /** The label the bigbang/ chart puts on the namespace with Istio on; null: another package owns the namespace. */
  injection?: string | null;
  virtualServices: string[];
  /** Other Istio kinds rendered with Istio enabled (kind/name). */
  istioObjects: string[];
  /** The HelmRelease's dependsOn names with Istio on, and with Istio off. */
  dependsOn: { on: string[]; off: string[] };
  /** Codes of the info findings check reports on the correct package (one per finding). */
  infos?: string[];
  traces: TraceCase[];
  faults: Fault[];
}

// With several ingress gateways (public + pages, public + passthrough), each is its own LoadBalancer and the
// host's DNS points at the one whose Gateway serves it: trace must enter through that one.
/** Leaves only the package's own gateway in the assumed platform. */
const ONLY_OWN_GATEWAY = ['istio.gateways.public.enabled=false'];

export const ok = (url: string, destinationPort: number, more: Partial<TraceCase> = {}): TraceCase => ({
  url,
  ok: true,
  status: 200,
  destinationPort,
  ...more,
});

export const PACKAGES: Pkg[] = [
  {
    name: 'kiali-like',
    ns: 'kiali',
    virtualServices: ['kiali'],
    istioObjects: ['PeerAuthentication/default-kiali'],
    dependsOn: { on: ['istio'], off: [] },
    traces: [ok('https://kiali.bigbang.dev/', 20001), ok('http://kiali.bigbang.dev/kiali/', 20001, { hops: ['redirect'] })],
    faults: [
      {
        name: 'the namespace has no injection label',
        edits: [
          {
            file: 'bigbang/templates/kiali/namespace.yaml',
            find: '    {{- if .Values.istio.enabled }}\n    istio-injection: "enabled"\n    {{- end }}\n',
            replace: '',
          },
        ],
        code: 'BB001',
      },
    ],
  },
  {
    name: 'mattermost-like',
    ns: 'mattermost',
    virtualServices: ['mattermost-mattermost'],
    istioObjects: ['PeerAuthentication/default-mattermost', 'PeerAuthentication/postgres-exception'],
    dependsOn: { on: ['istio'], off: [] },
    traces: [ok('https://chat.bigbang.dev/', 8065)],
    faults: [
      {
        name: 'the VirtualService routes to a port the Service lacks',
        edits: [{ file: 'chart/templates/virtualservice.yaml', find: 'number: 8065', replace: 'number: 8066' }],
        code: 'MESH004',
        trace: { url: 'https://chat.bigbang.dev/', ok: false, status: 503 },
      },
    ],
  },
  {
    name: 'anchore-like',
    ns: 'anchore',
    virtualServices: ['anchore-anchore-ui', 'anchore-anchore-api'],
    istioObjects: ['PeerAuthentication/default-anchore'],
    dependsOn: { on: ['istio'], off: [] },
    traces: [
      ok('https://anchore.bigbang.dev/', 80),
      ok('https://anchore-api.bigbang.dev/', 8228, { route: 'http[1]' }),
      ok('https://anchore-api.bigbang.dev/v2/images', 8228, { route: 'http[1]' }),
      { url: 'https://anchore-api.bigbang.dev/metrics', ok: false, status: 403, hops: ['fault'], route: 'http[0]' },
    ],
    faults: [
      {
        name: 'the PeerAuthentication renders with Istio disabled',
        edits: [
          {
            file: 'chart/templates/bigbang/istio/peer-authentication.yaml',
            find: '{{- if and .Values.istio.enabled (eq .Values.istio.injection "enabled") }}',
            replace: '{{- if eq .Values.istio.injection "enabled" }}',
          },
        ],
        code: 'BB002',
        severity: 'error',
        render: 'istio-disabled',
      },
    ],
  },
  {
    name: 'gitlab-like',
    ns: 'gitlab',
    virtualServices: ['gitlab-gitlab', 'gitlab-gitlab-registry', 'gitlab-gitlab-pages'],
    istioObjects: ['PeerAuthentication/default-gitlab'],
    dependsOn: { on: ['istio'], off: [] },
    traces: [
      ok('https://gitlab.bigbang.dev/', 8181, { route: 'http[2]' }),
      ok('https://gitlab.bigbang.dev/admin/sidekiq', 8080, { route: 'http[1]' }),
      ok('https://gitlab.bigbang.dev/admin/sidekiq/queues', 8080, { route: 'http[1]' }),
      { url: 'https://gitlab.bigbang.dev/-/metrics', ok: false, status: 403, hops: ['fault'], route: 'http[0]' },
      ok('https://registry.bigbang.dev/v2/', 5000),
      // Pages on its own gateway: alone in the platform, and with public + pages (the real setup).
      ok('https://group.pages.bigbang.dev/', 8090, { set: ONLY_OWN_GATEWAY }),
      ok('https://group.pages.bigbang.dev/', 8090),
    ],
    faults: [
      {
        name: 'the namespace is labelled for injection whether Istio is on or off',
        edits: [
          {
            file: 'bigbang/templates/gitlab/namespace.yaml',
            find: '    {{- if .Values.istio.enabled }}\n    istio-injection: "enabled"\n    {{- end }}\n',
            replace: '    istio-injection: "enabled"\n',
          },
        ],
        code: 'BB002',
        severity: 'warning',
        render: 'istio-disabled',
      },
    ],
  },
  {
    name: 'keycloak-like',
    ns: 'keycloak',
    virtualServices: ['keycloak-keycloak'],
    istioObjects: ['PeerAuthentication/default-keycloak'],
    dependsOn: { on: ['istio'], off: [] },
    // JGroups on 7800: a numeric targetPort the container listens on without declaring it.
    infos: ['MESH006'],
    traces: [
      // TLS passthrough: routed on SNI by the tls route, Keycloak terminates TLS on 8443.
      ok('https://keycloak.bigbang.dev/', 8443, { route: 'tls[0]', set: ONLY_OWN_GATEWAY }),
      ok('https://keycloak.bigbang.dev/realms/master', 8443, { route: 'tls[0]', set: ONLY_OWN_GATEWAY }),
      ok('http://keycloak.bigbang.dev/', 8443, { hops: ['redirect'], route: 'tls[0]', set: ONLY_OWN_GATEWAY }),
      ok('https://keycloak.bigbang.dev/realms/master', 8443, { route: 'tls[0]' }),
    ],
    faults: [
      {
        name: 'the JGroups targetPort names a port no container declares',
        edits: [{ file: 'chart/templates/service-http.yaml', find: 'targetPort: 7800', replace: 'targetPort: jgroups' }],
        code: 'MESH006',
        severity: 'error',
      },
    ],
  },
  {
    name: 'monitoring-like',
    ns: 'monitoring',
    virtualServices: ['monitoring-monitoring-kube-prometheus', 'monitoring-monitoring-kube-alertmanager'],
    istioObjects: ['PeerAuthentication/default-monitoring'],
    // kyverno-policies is enabled in bigbang/values.yaml: it stays when Istio is off.
    dependsOn: { on: ['istio', 'kyverno-policies'], off: ['kyverno-policies'] },
    traces: [
      ok('https://prometheus.bigbang.dev/', 9090),
      ok('https://prometheus.bigbang.dev/api/v1/query?query=up', 9090),
      ok('https://alertmanager.bigbang.dev/', 9093),
    ],
    faults: [
      {
        name: 'the HelmRelease does not wait for Istio',
        edits: [
          {
            file: 'bigbang/templates/monitoring/helmrelease.yaml',
            find: '    - name: istio\n      namespace: {{ .Release.Namespace }}\n',
            replace: '',
          },
        ],
        code: 'BB006',
        severity: 'error',
      },
    ],
  },
];
