// BB002: the Istio on/off matrix. With Istio disabled nothing Istio-specific may render
// (the CRDs are absent, so Flux fails to apply them); with Istio enabled a chart that has
// a Service and means to be exposed (hosts or gateways in its values, a route template) must render
// a VirtualService, or the package is unreachable from outside. Tempo-like packages expose nothing by design.
import { join } from 'node:path';
import { asArray, asObject, at, isObject } from '../../../manifest/json.js';
import { loadYaml11 } from '../../../manifest/yaml11.js';
import type { FindingDraft, PackageContext, Rule, RuleContext } from '../types.js';
import { chartObjects, isIstioKind, ISTIO_RELEASES, own } from './util.js';

export const bb002: Rule = {
  meta: {
    code: 'BB002',
    severity: 'error',
    title: 'Istio objects render with Istio disabled, or the VirtualService is missing with Istio enabled',
    explanation:
      'A Big Bang package must render cleanly in both states of `istio.enabled`. With Istio disabled the Istio CRDs do not exist, so any networking.istio.io or security.istio.io object ' +
      'fails the whole HelmRelease, a dependsOn on the Istio HelmRelease never becomes ready, and an `istio-injection: enabled` label is misleading. With Istio enabled, a package that is meant to be reached from outside (hosts or gateways in its values, a route template) needs a VirtualService; one that exposes nothing (Tempo, reached only in-cluster) needs none.',
    symptom:
      'Istio disabled: HelmRelease fails with `no matches for kind "VirtualService"` or waits forever on dependency `istio`; Istio enabled, hosts configured but no VirtualService: 404 NR at the ingress gateway for https://<pkg>.<domain>',
    hint: 'guard every Istio template with `{{- if .Values.istio.enabled }}` (and the per-package `enabled`); add chart/templates/bigbang/virtualservice.yaml from the service-mesh guide',
    reads: [
      'VirtualService',
      'Gateway',
      'DestinationRule',
      'PeerAuthentication',
      'AuthorizationPolicy',
      'ServiceEntry',
      'Sidecar',
      'Namespace',
      'HelmRelease',
      'Service',
    ],
    needsPackage: true,
    runsOn: ['istio-enabled', 'istio-disabled'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    if (!ctx.pkg) return [];
    return ctx.istioEnabled ? enabledHalf(ctx) : disabledHalf(ctx);
  },
};

/** Run on the render with Istio disabled. */
function disabledHalf(ctx: RuleContext): FindingDraft[] {
  const out: FindingDraft[] = [];
  const istioHr = new Set([ctx.layout.istioHelmRelease, ...ISTIO_RELEASES]);
  for (const m of own(ctx.model)) {
    if (isIstioKind(m)) {
      out.push({
        object: m,
        message: `${m.kind} ${m.namespace}/${m.name} renders with Istio disabled; without the Istio CRDs the HelmRelease fails to install`,
        symptom: `HelmRelease install fails: no matches for kind "${m.kind}" in version "${m.apiVersion}"`,
      });
    } else if (m.kind === 'Namespace' && m.obj.metadata?.labels?.['istio-injection'] === 'enabled') {
      out.push({
        object: m,
        path: ['metadata', 'labels', 'istio-injection'],
        severity: 'warning',
        message: `Namespace ${m.name} is labelled istio-injection: enabled with Istio disabled; the label must be conditional on Istio`,
        symptom: 'pods would get sidecars from any injector present, and the namespace claims a mesh that is not there',
      });
    } else if (m.kind === 'HelmRelease') {
      asArray(at(m.obj, 'spec', 'dependsOn')).forEach((raw, i) => {
        const d = asObject(raw);
        if (istioHr.has(String(d.name))) {
          out.push({
            object: m,
            path: ['spec', 'dependsOn', i, 'name'],
            message: `HelmRelease ${m.namespace}/${m.name} depends on ${d.name} with Istio disabled; that HelmRelease does not exist, so this one never installs`,
            symptom: `HelmRelease stays "dependency '${m.namespace}/${d.name}' is not ready"`,
          });
        }
      });
    }
  }
  return out;
}

/** Run on the render with Istio enabled. */
function enabledHalf(ctx: RuleContext): FindingDraft[] {
  const objs = chartObjects(ctx);
  if (objs.some((m) => m.kind === 'VirtualService')) return [];
  if (ctx.pkg && !hasExposure(ctx.pkg)) return [];
  const svc = objs.find((m) => m.kind === 'Service' && at(m.obj, 'spec', 'type') !== 'ExternalName');
  if (!svc) return [];
  return [
    {
      object: svc,
      severity: 'warning',
      symptom: '404 NR at the ingress gateway for https://<pkg>.<domain>: no route exists for the package',
      message: `no VirtualService renders with Istio enabled, so Service ${svc.namespace}/${svc.name} is not reachable through the ingress gateway`,
      hint: 'add chart/templates/bigbang/virtualservice.yaml (service-mesh guide); if the package is internal only, ignore BB002 on this Service with the annotation bbmesh.dev/ignore: BB002',
    },
  ];
}

const ROUTE_KINDS = /^kind:\s*["']?(VirtualService|Gateway|HTTPRoute|TLSRoute|TCPRoute|Ingress)["']?\s*$/m;
const EXPOSURE_KEYS = new Set(['hosts', 'gateways']);

const anyKey = (x: unknown, want: (k: string, v: unknown) => boolean): boolean =>
  isObject(x) && Object.entries(x).some(([k, v]) => want(k, v) || anyKey(v, want));

/** hosts/gateways under an Istio root (`istio`, `istioGateway`...), or an `ingress` block with hosts or enabled. */
function exposureInValues(v: unknown): boolean {
  if (!isObject(v)) return false;
  const istio = Object.entries(v).some(([k, y]) => /^istio/i.test(k) && anyKey(y, (key) => EXPOSURE_KEYS.has(key)));
  return istio || anyKey(v, (k, y) => k === 'ingress' && isObject(y) && (y.hosts !== undefined || y.enabled === true));
}

/**
 * Whether the package means to be reached from outside: route or Ingress templates, hosts/gateways in its
 * values or passdown, an Ingress block. A chart with no `istio` block at all is not integrated yet: its intent
 * is unknown, so it counts as exposed (the usual case the service-mesh guide adds a VirtualService for).
 */
export function hasExposure(pkg: PackageContext): boolean {
  const rel = pkg.renders['istio-enabled'].releases[0];
  const chartDir = rel?.chartDir ?? join(pkg.dir, 'chart');
  for (const f of pkg.files.list(join(chartDir, 'templates'))) {
    const text = pkg.files.text(f);
    if (text && ROUTE_KINDS.test(text)) return true;
  }
  if (rel && exposureInValues(rel.values)) return true;
  let defaults: unknown;
  try {
    defaults = loadYaml11(pkg.files.text(join(chartDir, 'values.yaml')) ?? '');
  } catch {
    return true; // unreadable defaults: assume the usual, exposed package
  }
  return !isObject(defaults) || !isObject(defaults.istio) || exposureInValues(defaults);
}
