// Step 3 of the 3.x integration: the package's Big Bang values in chart/values.yaml as bb-common reads
// them: `routes.inbound.<key>` learned from the chart's Service (its name expression, port and pods),
// and the `istio` and `networkPolicies` blocks, off by default and turned on by the umbrella's passdown.
import type { BigBangLayout } from '../core/layout.js';
import { loadYaml11 } from '../manifest/yaml11.js';
import type { VsTarget } from './targets.js';
import type { StepContext, StepReport } from './types.js';
import { destinationName } from './virtualservice.js';
import type { Workspace } from './workspace.js';
import { ensureValues, topLevelKeys } from './yaml-doc.js';
import type { Edits, Spec } from './yaml-text.js';

export const PACKAGE_VALUES = 'chart/values.yaml';

/** One `routes.inbound.<key>` entry. */
export interface Route {
  key: string;
  /** Host without the domain. */
  host: string;
  /** `service` as YAML text (a template bb-common runs through `tpl`). */
  service: string;
  /** `port` as YAML text: a number, or a quoted template. */
  port: string;
  /** The pods' port, when it differs from the Service port (bb-common's NetworkPolicy admits it). */
  containerPort?: number;
  /** The pods the Service selects, when they do not carry bb-common's default `app.kubernetes.io/name: <key>`. */
  selector?: Record<string, string>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The `routes.inbound` keys chart/values.yaml already has. */
export function existingRoutes(ws: Workspace): string[] {
  let values: unknown;
  try {
    values = loadYaml11(ws.read(PACKAGE_VALUES) ?? '');
  } catch {
    return [];
  }
  const inbound = isRecord(values) && isRecord(values.routes) ? values.routes.inbound : undefined;
  return isRecord(inbound) ? Object.keys(inbound).filter((k) => isRecord(inbound[k])) : [];
}

/** A YAML scalar for text that may hold template actions and quotes. */
export function yamlString(s: string): string {
  if (!s.includes('"')) return JSON.stringify(s);
  return `'${s.replace(/'/g, "''")}'`;
}

function yamlPlain(s: string): string {
  return /^[A-Za-z][-A-Za-z0-9_./]*$/.test(s) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(s) ? s : JSON.stringify(s);
}

export function routeOf(t: VsTarget, host: string): Route {
  const port = /^\d+$/.test(t.portExpr) ? t.portExpr : yamlString(t.portExpr);
  const selector = t.rendered?.selector;
  const isDefault = selector && Object.keys(selector).length === 1 && selector['app.kubernetes.io/name'] === t.key;
  const cp = t.port?.containerPort;
  return {
    key: t.key,
    host,
    service: yamlString(`${destinationName(t)}.{{ .Release.Namespace }}.svc.cluster.local`),
    port,
    containerPort: cp !== undefined && cp !== t.port?.port ? cp : undefined,
    selector: selector && !isDefault ? selector : undefined,
  };
}

function routeSpec(r: Route, layout: BigBangLayout): Spec {
  return {
    key: r.key,
    children: [
      { key: 'enabled', value: 'true' },
      { key: 'gateways', list: [layout.packageDefaultGateway] },
      { key: 'hosts', list: [yamlString(`${r.host}.{{ .Values.domain }}`)] },
      { key: 'service', value: r.service },
      { key: 'port', value: r.port },
      ...(r.containerPort !== undefined
        ? [{ key: 'containerPort', value: String(r.containerPort), comment: ['# The pods listen here'] }]
        : []),
      ...(r.selector
        ? [
            {
              key: 'selector',
              comment: ["# The Service's pods (the NetworkPolicy and AuthorizationPolicy select them)"],
              children: Object.entries(r.selector).map(([k, v]) => ({ key: yamlPlain(k), value: yamlPlain(v) })),
            },
          ]
        : []),
    ],
  };
}

/** The Big Bang values a 3.x package declares, each block with its `# Big Bang` comment. */
export function bigBangValues(layout: BigBangLayout, domain: string, routes: Route[]): Spec[] {
  return [
    { key: 'domain', value: domain, comment: ['', '# Big Bang: the domain the routes serve (the umbrella passes its own)'] },
    {
      key: 'istio',
      comment: ['', '# Big Bang: Istio objects of the namespace, rendered by bb-common (templates/bigbang/istio.yaml)'],
      children: [
        { key: 'enabled', value: 'false', comment: ['# The umbrella turns it on with istiod.enabled'] },
        {
          key: 'mtls',
          children: [{ key: 'mode', value: 'STRICT', comment: ['# STRICT: mutual TLS only; PERMISSIVE also accepts plain text'] }],
        },
        {
          key: 'sidecar',
          children: [{ key: 'enabled', value: 'false', comment: ['# A Sidecar with REGISTRY_ONLY egress (Istio hardening)'] }],
        },
        {
          key: 'authorizationPolicies',
          children: [
            { key: 'enabled', value: 'false', comment: ["# Allow nothing, then the namespace itself and each route's gateway"] },
            { key: 'custom', value: '[]' },
          ],
        },
      ],
    },
    {
      key: 'networkPolicies',
      comment: ['', '# Big Bang: NetworkPolicies rendered by bb-common (templates/bigbang/network-policies.yaml): default deny,'],
      children: [
        {
          key: 'enabled',
          value: 'false',
          comment: ['# each route admits its gateway; the umbrella turns it on with networkPolicies.enabled'],
        },
      ],
    },
    {
      key: 'routes',
      comment: [
        '',
        '# Big Bang: inbound routes through the Istio ingress gateway; bb-common (templates/bigbang/routes.yaml)',
        '# derives from each a VirtualService, a ServiceEntry, a NetworkPolicy and an AuthorizationPolicy',
      ],
      children: [{ key: 'inbound', children: routes.map((r) => routeSpec(r, layout)) }],
    },
  ];
}

export function stepRouteValues(ctx: StepContext, domain: string, routes: Route[]): StepReport {
  const { ws, layout } = ctx;
  const title = 'package defaults';
  const before = ws.read(PACKAGE_VALUES) ?? '';
  const top = topLevelKeys(before);
  if (!top) return { step: 3, title, status: 'skipped', reason: `${PACKAGE_VALUES} is not a YAML mapping; edit it by hand`, files: [] };
  const edits: Edits = { count: 0, conflicts: [] };
  const r = ensureValues(before, bigBangValues(layout, domain, routes), edits);
  if ('error' in r) return { step: 3, title, status: 'skipped', reason: `${PACKAGE_VALUES} ${r.error}; edit it by hand`, files: [] };
  if (edits.conflicts.length) {
    const reason = `${PACKAGE_VALUES}: ${edits.conflicts.join(', ')} is not a mapping; edit it by hand`;
    return { step: 3, title, status: 'skipped', reason, files: [] };
  }
  if (!edits.count) return { step: 3, title, status: 'present', files: [] };
  ws.write(PACKAGE_VALUES, r.text);
  return { step: 3, title, status: 'done', files: [PACKAGE_VALUES] };
}
