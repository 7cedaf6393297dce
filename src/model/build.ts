// Builds the mesh model: one pass over the manifests, typed views, and indexes for lookups.
import type { TemplateText } from '../manifest/source.js';
import type { Manifest, Path } from '../manifest/types.js';
import type { BigBangLayout } from '../core/layout.js';
import { LAYOUTS } from '../core/layout.js';
import { resolveGatewayRef } from './gateway-ref.js';
import { resolveShortName, serviceFqdn } from './hosts.js';
import { injectionDecision } from './injection.js';
import { parseNetworkPolicy } from './netpol/parse.js';
import type {
  Container,
  ContainerPort,
  DestinationRuleInfo,
  GatewayInfo,
  HttpMatch,
  HttpRoute,
  L4Match,
  L4Route,
  Labels,
  MeshModel,
  RouteDestination,
  ServiceInfo,
  StringMatch,
  VirtualServiceInfo,
  Workload,
} from './types.js';

const WORKLOAD_POD_SPEC: Record<string, Path> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

function get(obj: unknown, path: Path): any {
  let cur: any = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[k as any];
  }
  return cur;
}

const EMPTY = Object.freeze({}) as Record<string, never>;

// Wrong-typed fields (which K8S001 reports) are read so that they cause no second, wrong finding:
// a scalar where text belongs is printed, a map or list is not (never `[object Object]`); a match
// condition of the wrong type matches nothing rather than everything.
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A string, number or boolean as text; undefined for anything else. */
function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** A match block (HTTP or L4) the API server would reject: it applies on no gateway, so it matches no request. */
const NO_GATEWAY = 'none (the match block has a field of the wrong type)';
const invalidMatch = (): HttpMatch & L4Match => ({ gateways: [NO_GATEWAY] });

function strMap(v: unknown): Labels {
  const out: Labels = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    // Object.keys + index loop: the same own enumerable keys, in the same order, as Object.entries, without the pairs.
    const keys = Object.keys(v);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const x = (v as any)[k];
      if (x !== null && x !== undefined) out[k] = typeof x === 'string' ? x : (text(x) ?? JSON.stringify(x));
    }
  }
  return out;
}

const NONE: any[] = [];
function arr<T = any>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : (NONE as T[]);
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

function strs(v: unknown): string[] {
  const out: string[] = [];
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      const t = text(x);
      if (t !== undefined) out.push(t);
    }
  }
  return out;
}

/** Thrown inside httpMatch when a condition has the wrong type: the block becomes invalidMatch(). */
const WRONG_TYPE = Symbol('wrong type');

function stringMatch(v: unknown): StringMatch | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw WRONG_TYPE;
  const out: StringMatch = {};
  for (const op of ['exact', 'prefix', 'regex'] as const) {
    if (v[op] === undefined) continue;
    const t = text(v[op]);
    if (t === undefined) throw WRONG_TYPE;
    out[op] = t;
  }
  return out;
}

function stringMatchMap(v: unknown): Record<string, StringMatch> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw WRONG_TYPE;
  const out: Record<string, StringMatch> = {};
  for (const [k, x] of Object.entries(v)) out[k] = stringMatch(x) ?? {};
  return out;
}

/** Destinations of `spec.<key>[index].route` (paths built directly, no spreads: this is the hot path). */
function destinations(route: unknown, key: string, index: number, ns: string): RouteDestination[] {
  const list = arr(route);
  const out: RouteDestination[] = [];
  for (let i = 0; i < list.length; i++) {
    const r: any = list[i];
    const d = isObj(r?.destination) ? (r.destination as any) : EMPTY;
    const host = text(d.host) ?? '';
    if (!host) continue; // no readable host (K8S001): no destination, not one "outside the input"
    out.push({
      host,
      fqdn: resolveShortName(host, ns),
      port: num(d.port?.number),
      subset: text(d.subset),
      weight: num(r?.weight),
      path: ['spec', key, index, 'route', i, 'destination'],
    });
  }
  return out;
}

function httpMatch(m: any, ns: string): HttpMatch {
  if (!isObj(m)) return invalidMatch();
  try {
    if (m.port !== undefined && num(m.port) === undefined) throw WRONG_TYPE;
    if (m.gateways !== undefined && !Array.isArray(m.gateways)) throw WRONG_TYPE;
    if (m.sourceLabels !== undefined && !isObj(m.sourceLabels)) throw WRONG_TYPE;
    if (m.sourceNamespace !== undefined && typeof m.sourceNamespace !== 'string') throw WRONG_TYPE;
    return {
      uri: stringMatch(m.uri),
      scheme: stringMatch(m.scheme),
      method: stringMatch(m.method),
      authority: stringMatch(m.authority),
      headers: stringMatchMap(m.headers),
      withoutHeaders: stringMatchMap(m.withoutHeaders),
      queryParams: stringMatchMap(m.queryParams),
      port: num(m.port),
      gateways: m.gateways ? strs(m.gateways).map((g) => resolveGatewayRef(g, ns)) : undefined,
      ignoreUriCase: m.ignoreUriCase === true,
      sourceLabels: m.sourceLabels ? strMap(m.sourceLabels) : undefined,
      sourceNamespace: m.sourceNamespace,
    };
  } catch (e) {
    if (e === WRONG_TYPE) return invalidMatch();
    throw e;
  }
}

/** `match:` of a rule: absent = every request; a list of blocks; anything else = no request. */
function matchBlocks<T>(v: unknown, read: (x: unknown) => T, invalid: T): T[] | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v.map(read) : [invalid];
}

function virtualService(m: Manifest): VirtualServiceInfo {
  const spec: any = m.obj.spec ?? {};
  const ns = m.namespace;
  const http: HttpRoute[] = arr(spec.http).map((h: any, i) => ({
    index: i,
    name: text(h?.name),
    match: matchBlocks(h?.match, (x) => httpMatch(x, ns), invalidMatch()),
    route: destinations(h?.route, 'http', i, ns),
    // A redirect, rewrite, response or delegate that is not a mapping is not one (K8S001 reports it).
    redirect: isObj(h?.redirect) ? h.redirect : undefined,
    directResponse: isObj(h?.directResponse) ? { status: num(h.directResponse.status) ?? 0 } : undefined,
    delegate: isObj(h?.delegate) ? { name: text(h.delegate.name) ?? '', namespace: text(h.delegate.namespace) ?? ns } : undefined,
    fault: isObj(h?.fault)
      ? {
          abort: h.fault.abort
            ? {
                httpStatus: num(h.fault.abort.httpStatus),
                percentage: typeof h.fault.abort.percentage?.value === 'number' ? h.fault.abort.percentage.value : undefined,
              }
            : undefined,
          delay: h.fault.delay,
        }
      : undefined,
    rewrite: isObj(h?.rewrite) ? h.rewrite : undefined,
    path: ['spec', 'http', i],
  }));
  const gatewaysDefaulted = !Array.isArray(spec.gateways) || spec.gateways.length === 0;
  const gws = gatewaysDefaulted
    ? [{ raw: 'mesh', resolved: 'mesh', index: -1 }]
    : strs(spec.gateways).map((g, i) => ({ raw: g, resolved: resolveGatewayRef(g, ns), index: i }));
  const hosts = strs(spec.hosts);
  return {
    fqdnHosts: hosts.map((h) => resolveShortName(h, ns)),
    m,
    name: m.name,
    namespace: ns,
    hosts,
    gateways: gws,
    gatewaysDefaulted,
    exportTo: strs(spec.exportTo),
    http,
    tls: l4(spec.tls, 'tls', ns),
    tcp: l4(spec.tcp, 'tcp', ns),
    // `hosts: a.example` (a string, not a list) is a broken VirtualService, not a delegate.
    isDelegate: hosts.length === 0 && (spec.hosts === undefined || spec.hosts === null || Array.isArray(spec.hosts)),
  };
}

function l4(list: unknown, key: 'tls' | 'tcp', ns: string): L4Route[] {
  return arr(list).map((t: any, i) => ({
    index: i,
    match: matchBlocks(
      t?.match,
      (x: any) =>
        !isObj(x) ||
        (x.port !== undefined && num(x.port) === undefined) ||
        (x.sniHosts !== undefined && !Array.isArray(x.sniHosts)) ||
        (x.gateways !== undefined && !Array.isArray(x.gateways))
          ? invalidMatch()
          : {
              port: num(x.port),
              sniHosts: x.sniHosts ? strs(x.sniHosts) : undefined,
              gateways: x.gateways ? strs(x.gateways).map((g) => resolveGatewayRef(g, ns)) : undefined,
            },
      invalidMatch(),
    ),
    route: destinations(t?.route, key, i, ns),
    path: ['spec', key, i],
  }));
}

function addContainers(out: Container[], list: unknown, init: boolean, statusList: any[] | undefined): void {
  const cs = arr(list);
  for (let i = 0; i < cs.length; i++) {
    const c: any = cs[i];
    if (init && c?.restartPolicy !== 'Always' && c?.name !== 'istio-proxy') continue; // only native sidecars serve traffic
    let st: any;
    if (statusList)
      for (const s of statusList)
        if (s?.name === c?.name) {
          st = s;
          break;
        }
    const ps = arr(c?.ports);
    const ports: ContainerPort[] = [];
    for (let j = 0; j < ps.length; j++) {
      const p: any = ps[j];
      ports.push({
        name: text(p?.name),
        containerPort: num(p?.containerPort) ?? -1,
        protocol: text(p?.protocol) ?? 'TCP',
      });
    }
    out.push({
      name: text(c?.name) ?? '',
      index: i,
      init,
      ports,
      ready: st ? st.ready === true : undefined,
    });
  }
}

function containers(podSpec: any, statusList?: any[]): Container[] {
  const out: Container[] = [];
  addContainers(out, podSpec?.containers, false, statusList);
  addContainers(out, podSpec?.initContainers, true, statusList);
  return out;
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const l = map.get(k);
  if (l) l.push(v);
  else map.set(k, [v]);
}

/** Where the pod template's metadata is, per workload kind (Pod: the object's own metadata). */
const WORKLOAD_META_PATH: Record<string, Path> = {};
for (const [kind, path] of Object.entries(WORKLOAD_POD_SPEC)) WORKLOAD_META_PATH[kind] = [...path.slice(0, -1), 'metadata'];

/** The API group of `apiVersion` (the part before the first `/`) is `group` (no slice per manifest). */
function inGroup(apiVersion: string, group: string): boolean {
  return apiVersion.length > group.length && apiVersion.charCodeAt(group.length) === 47 && apiVersion.startsWith(group);
}

function hasIstioProxy(cs: Container[]): boolean {
  for (let i = 0; i < cs.length; i++) if (cs[i].name === 'istio-proxy') return true;
  return false;
}

export interface BuildOptions {
  /** The Big Bang layout the objects follow (default bb2); its Istio namespace is the root namespace. */
  layout?: BigBangLayout;
  /** Istio's root namespace; default: the layout's. */
  rootNamespace?: string;
  /** Template text for source positions (a package's files). */
  templateText?: TemplateText;
}

export function buildModel(manifests: Manifest[], opts: BuildOptions = {}): MeshModel {
  const model: MeshModel = {
    manifests,
    namespaces: new Map(),
    services: new Map(),
    servicesByNamespace: new Map(),
    workloads: [],
    workloadsByNamespace: new Map(),
    gateways: new Map(),
    virtualServices: [],
    virtualServicesByName: new Map(),
    virtualServicesByGateway: new Map(),
    destinationRules: [],
    destinationRulesByHost: new Map(),
    peerAuthentications: [],
    authorizationPolicies: [],
    serviceEntries: [],
    serviceEntriesByHost: new Map(),
    sidecars: [],
    networkPolicies: [],
    secrets: new Map(),
    helmReleases: [],
    gitRepositories: [],
    layout: opts.layout ?? LAYOUTS.bb2,
    rootNamespace: opts.rootNamespace ?? (opts.layout ?? LAYOUTS.bb2).istioNamespace,
    templateText: opts.templateText,
  };
  // Namespaces first: workloads need them for the injection decision.
  for (const m of manifests) {
    if (m.kind === 'Namespace' && m.apiVersion === 'v1')
      model.namespaces.set(m.name, { name: m.name, m, labels: strMap(m.obj.metadata?.labels) });
  }
  for (const m of manifests) {
    if (m.kind === 'Namespace') continue;
    // The API server refuses an object without a name (or generateName): it takes part in nothing.
    if (!m.name && !(isObj(m.obj.metadata) && m.obj.metadata.generateName)) continue;
    const spec: any = isObj(m.obj.spec) ? m.obj.spec : EMPTY;
    switch (m.kind) {
      case 'Service': {
        if (m.apiVersion !== 'v1') break;
        const svc: ServiceInfo = {
          m,
          name: m.name,
          namespace: m.namespace,
          fqdn: serviceFqdn(m.name, m.namespace),
          type: text(spec.type) ?? 'ClusterIP',
          // A selector that is not a mapping selects nothing (not every pod, as an empty one would).
          selector: isObj(spec.selector) && Object.keys(spec.selector).length ? strMap(spec.selector) : undefined,
          // A port whose number cannot be read is no port (never "port -1" in a message).
          ports: arr(spec.ports)
            .map((p: any, i) => ({
              index: i,
              name: text(p?.name),
              port: num(p?.port) ?? -1,
              targetPort:
                p?.targetPort === undefined
                  ? (num(p?.port) ?? -1)
                  : (num(p.targetPort) ?? (typeof p.targetPort === 'string' ? p.targetPort : -1)),
              protocol: text(p?.protocol) ?? 'TCP',
              appProtocol: text(p?.appProtocol),
              nodePort: num(p?.nodePort),
            }))
            .filter((p) => p.port !== -1),
        };
        model.services.set(svc.fqdn, svc);
        push(model.servicesByNamespace, m.namespace, svc);
        break;
      }
      case 'Gateway':
        if (!inGroup(m.apiVersion, 'networking.istio.io')) break;
        {
          const gw: GatewayInfo = {
            m,
            name: m.name,
            namespace: m.namespace,
            key: `${m.namespace}/${m.name}`,
            selector: strMap(spec.selector),
            servers: arr(spec.servers)
              .map((s: any, i) => ({
                index: i,
                port: {
                  number: num(s?.port?.number) ?? -1,
                  name: text(s?.port?.name),
                  protocol: (text(s?.port?.protocol) ?? '').toUpperCase(),
                },
                hosts: strs(s?.hosts),
                tls: isObj(s?.tls)
                  ? {
                      mode: text(s.tls.mode),
                      credentialName: text(s.tls.credentialName),
                      serverCertificate: text(s.tls.serverCertificate),
                      httpsRedirect: s.tls.httpsRedirect === true,
                    }
                  : undefined,
                bind: text(s?.bind),
              }))
              .filter((s) => s.port.number !== -1), // a server without a readable port listens nowhere
          };
          model.gateways.set(gw.key, gw);
        }
        break;
      case 'VirtualService':
        if (!inGroup(m.apiVersion, 'networking.istio.io')) break;
        {
          const vs = virtualService(m);
          model.virtualServices.push(vs);
          model.virtualServicesByName.set(`${vs.namespace}/${vs.name}`, vs);
          // Each resolved gateway once, in first-seen order (what a Set of them iterates).
          const gws = vs.gateways;
          for (let i = 0; i < gws.length; i++) {
            const g = gws[i].resolved;
            let dup = false;
            for (let j = 0; j < i; j++)
              if (gws[j].resolved === g) {
                dup = true;
                break;
              }
            if (!dup) push(model.virtualServicesByGateway, g, vs);
          }
        }
        break;
      case 'DestinationRule':
        if (!inGroup(m.apiVersion, 'networking.istio.io')) break;
        {
          const host = String(spec.host ?? '');
          const dr: DestinationRuleInfo = {
            m,
            name: m.name,
            namespace: m.namespace,
            host,
            fqdn: resolveShortName(host, m.namespace),
            tlsMode: spec.trafficPolicy?.tls?.mode,
            portTls: arr(spec.trafficPolicy?.portLevelSettings).map((p: any, i) => ({
              port: num(p?.port?.number) ?? -1,
              mode: p?.tls?.mode,
              index: i,
            })),
            subsets: arr(spec.subsets).map((s: any) => ({ name: String(s?.name ?? ''), labels: strMap(s?.labels) })),
            exportTo: strs(spec.exportTo),
          };
          model.destinationRules.push(dr);
          push(model.destinationRulesByHost, dr.fqdn, dr);
        }
        break;
      case 'PeerAuthentication':
        if (!inGroup(m.apiVersion, 'security.istio.io')) break;
        model.peerAuthentications.push({
          m,
          name: m.name,
          namespace: m.namespace,
          selector: spec.selector?.matchLabels ? strMap(spec.selector.matchLabels) : undefined,
          mode: spec.mtls?.mode,
          portLevel: Object.fromEntries(
            Object.entries(isObj(spec.portLevelMtls) ? spec.portLevelMtls : {}).map(([k, v]: [string, any]) => [k, v?.mode]),
          ),
        });
        break;
      case 'AuthorizationPolicy':
        if (!inGroup(m.apiVersion, 'security.istio.io')) break;
        model.authorizationPolicies.push({
          m,
          name: m.name,
          namespace: m.namespace,
          selector: spec.selector?.matchLabels ? strMap(spec.selector.matchLabels) : undefined,
          action: text(spec.action) ?? 'ALLOW',
          rules: Array.isArray(spec.rules) ? spec.rules : [],
        });
        break;
      case 'ServiceEntry':
        if (!inGroup(m.apiVersion, 'networking.istio.io')) break;
        {
          const se = {
            m,
            name: m.name,
            namespace: m.namespace,
            hosts: strs(spec.hosts),
            ports: arr(spec.ports).map((p: any) => ({
              number: num(p?.number) ?? -1,
              name: p?.name,
              protocol: p?.protocol,
              targetPort: num(p?.targetPort),
            })),
            exportTo: strs(spec.exportTo),
            location: spec.location,
            resolution: spec.resolution,
          };
          model.serviceEntries.push(se);
          for (const h of se.hosts) push(model.serviceEntriesByHost, h, se);
        }
        break;
      case 'Sidecar':
        if (!inGroup(m.apiVersion, 'networking.istio.io')) break;
        model.sidecars.push({
          m,
          name: m.name,
          namespace: m.namespace,
          selector: spec.workloadSelector?.labels ? strMap(spec.workloadSelector.labels) : undefined,
          outboundTrafficPolicy: spec.outboundTrafficPolicy?.mode,
        });
        break;
      case 'NetworkPolicy':
        if (m.apiVersion === 'networking.k8s.io/v1') model.networkPolicies.push(parseNetworkPolicy(m));
        break;
      case 'Secret':
        if (m.apiVersion !== 'v1') break;
        model.secrets.set(`${m.namespace}/${m.name}`, {
          m,
          name: m.name,
          namespace: m.namespace,
          type: String((m.obj as any).type ?? 'Opaque'),
        });
        break;
      case 'HelmRelease':
        if (!inGroup(m.apiVersion, 'helm.toolkit.fluxcd.io')) break;
        {
          const cond = arr((m.obj as any).status?.conditions).find((c: any) => c?.type === 'Ready');
          model.helmReleases.push({
            m,
            name: m.name,
            namespace: m.namespace,
            targetNamespace: spec.targetNamespace,
            dependsOn: arr(spec.dependsOn).map((d: any) => ({
              name: String(d?.name ?? ''),
              namespace: String(d?.namespace ?? m.namespace),
            })),
            ready: cond ? { status: String(cond.status), message: cond.message } : undefined,
          });
        }
        break;
      case 'GitRepository':
        if (!inGroup(m.apiVersion, 'source.toolkit.fluxcd.io')) break;
        model.gitRepositories.push({ m, name: m.name, namespace: m.namespace, url: spec.url });
        break;
      default: {
        const podPath = WORKLOAD_POD_SPEC[m.kind];
        if (
          !podPath ||
          (m.kind === 'Pod' ? m.apiVersion !== 'v1' : !(m.apiVersion.startsWith('apps/') || m.apiVersion.startsWith('batch/')))
        )
          break;
        const podSpec = get(m.obj, podPath) ?? {};
        const meta = m.kind === 'Pod' ? m.obj.metadata : get(m.obj, WORKLOAD_META_PATH[m.kind]);
        const labels = strMap(meta?.labels);
        const annotations = strMap(meta?.annotations);
        const status: any = m.kind === 'Pod' ? (m.obj as any).status : undefined;
        const cs = containers(podSpec, status ? [...arr(status.containerStatuses), ...arr(status.initContainerStatuses)] : undefined);
        const hostNetwork = podSpec.hostNetwork === true;
        const owner = m.kind === 'Pod' ? arr(m.obj.metadata?.ownerReferences)[0] : undefined;
        const w: Workload = {
          m,
          kind: m.kind,
          name: m.name,
          namespace: m.namespace,
          labels,
          annotations,
          containers: cs,
          podSpecPath: podPath,
          hostNetwork,
          injection: injectionDecision(model.namespaces.get(m.namespace), m.namespace, labels, annotations, hostNetwork),
          hasProxy: hasIstioProxy(cs),
          phase: status?.phase,
          ready: status ? arr(status.conditions).some((c: any) => c?.type === 'Ready' && c?.status === 'True') : undefined,
          ownerKind: owner?.kind,
          ownerName: owner?.name,
        };
        model.workloads.push(w);
        push(model.workloadsByNamespace, m.namespace, w);
      }
    }
  }
  return model;
}
