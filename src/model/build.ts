// Builds the mesh model: one pass over the manifests, typed views, and indexes for lookups.
// The readers of raw fields are in build/read.ts, routes in build/routes.ts, workloads in build/workloads.ts.
import type { TemplateText } from '../manifest/source.js';
import type { Manifest } from '../manifest/types.js';
import type { BigBangLayout } from '../core/layout.js';
import { LAYOUTS } from '../core/layout.js';
import { resolveShortName, serviceFqdn } from './hosts.js';
import { parseNetworkPolicy } from './netpol/parse.js';
import { EMPTY, arr, inGroup, isObj, num, push, strMap, strs, text, type Raw } from './build/read.js';
import { virtualService } from './build/routes.js';
import { workload } from './build/workloads.js';
import type { DestinationRuleInfo, GatewayInfo, MeshModel, ServiceInfo } from './types.js';

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
    const spec: Raw = isObj(m.obj.spec) ? m.obj.spec : EMPTY;
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
            .map((p: Raw, i) => ({
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
              .map((s: Raw, i) => ({
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
            portTls: arr(spec.trafficPolicy?.portLevelSettings).map((p: Raw, i) => ({
              port: num(p?.port?.number) ?? -1,
              mode: p?.tls?.mode,
              index: i,
            })),
            subsets: arr(spec.subsets).map((s: Raw) => ({ name: String(s?.name ?? ''), labels: strMap(s?.labels) })),
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
            Object.entries(isObj(spec.portLevelMtls) ? spec.portLevelMtls : {}).map(([k, v]: [string, Raw]) => [k, v?.mode]),
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
            ports: arr(spec.ports).map((p: Raw) => ({
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
          type: String((m.obj as Raw).type ?? 'Opaque'),
        });
        break;
      case 'HelmRelease':
        if (!inGroup(m.apiVersion, 'helm.toolkit.fluxcd.io')) break;
        {
          const cond = arr((m.obj as Raw).status?.conditions).find((c: Raw) => c?.type === 'Ready');
          model.helmReleases.push({
            m,
            name: m.name,
            namespace: m.namespace,
            targetNamespace: spec.targetNamespace,
            dependsOn: arr(spec.dependsOn).map((d: Raw) => ({
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
        const w = workload(m, model.namespaces.get(m.namespace));
        if (!w) break;
        model.workloads.push(w);
        push(model.workloadsByNamespace, m.namespace, w);
      }
    }
  }
  return model;
}
