// Step 2: chart/templates/bigbang/virtualservice.yaml, learned from the chart.
import { UserError } from '../core/errors.js';
import { loadYaml11 } from '../manifest/yaml11.js';
import { analyzeHelpers } from './helpers.js';
import { findServices, listFiles, portOf, type ServiceInfo } from './services.js';
import type { BigBangLayout as Layout } from '../core/layout.js';
import { VALUES_KEY } from './layouts.js';
import type { StepReport } from './types.js';
import type { Workspace } from './writer.js';

export const VS_FILE = 'chart/templates/bigbang/virtualservice.yaml';

export interface VsTarget {
  /** Values key: `istio.<key>`. */
  key: string;
  service: ServiceInfo;
  portExpr: string;
}

export interface VsOptions {
  service?: readonly string[];
  port?: string;
  force?: boolean;
}

export function readChartName(ws: Workspace): string | undefined {
  const m = /^name:\s*["']?([^"'\s#]+)/m.exec(ws.read('chart/Chart.yaml') ?? '');
  return m?.[1];
}

/** An existing VirtualService template in the chart, and the values keys it reads. */
export function existingVirtualService(ws: Workspace, valuesKey: string): { file: string; keys: string[] } | undefined {
  for (const f of listFiles(ws, 'chart/templates').filter((x) => /\.(ya?ml|tpl)$/.test(x))) {
    const text = ws.read(f) ?? '';
    if (!/^kind:\s*VirtualService\s*$/m.test(text)) continue;
    const keys = new Set<string>();
    for (const m of text.matchAll(/\{\{-?\s*\$\w+\s*:=\s*"([^"]+)"/g)) keys.add(m[1]);
    for (const m of text.matchAll(new RegExp(`get \\.Values\\.${valuesKey} "([^"]+)"`, 'g'))) keys.add(m[1]);
    for (const m of text.matchAll(new RegExp(`\\.Values\\.${valuesKey}\\.([A-Za-z0-9_]+)\\.(?:enabled|gateways|hosts)`, 'g')))
      keys.add(m[1]);
    return { file: f, keys: [...keys] };
  }
  return undefined;
}

/** The value at `.Values.a.b` in chart/values.yaml, or undefined. */
function chartValue(ws: Workspace, path: string): unknown {
  let v: any;
  try {
    v = loadYaml11(ws.read('chart/values.yaml') ?? '') ?? {};
  } catch {
    return undefined;
  }
  for (const k of path.replace(/^\.Values\./, '').split('.')) v = v && typeof v === 'object' ? v[k] : undefined;
  return v;
}

/**
 * `--port` as a number or a values path, checked against the chart: the path must exist in
 * chart/values.yaml, and a number must be a port of the Service when its ports can be read.
 */
function normalizePort(p: string, ws: Workspace, s: ServiceInfo): string {
  const known = (s.portExprs ?? []).map((e) => {
    const r = portOf(e);
    if (r.path) return Number(chartValue(ws, r.path));
    return r.expr && /^\d+$/.test(r.expr) ? Number(r.expr) : NaN;
  });
  const readable = known.length > 0 && known.every((n) => Number.isInteger(n));
  const ports = `Service ${s.nameExpr} ports: ${known.map((n, i) => `${Number.isInteger(n) ? n : '?'}${s.portNames[i] ? ` (${s.portNames[i]})` : ''}`).join(', ')}`;
  if (/^\d+$/.test(p)) {
    if (readable && !known.includes(Number(p))) {
      throw new UserError(`--port ${p} is not a port of the Service (${ports})`, {
        hint: 'the VirtualService routes to a Service port, not a container port: pass one of those, or its values path',
      });
    }
    return p;
  }
  const path = p.startsWith('.Values.') ? p : `.Values.${p.replace(/^\./, '')}`;
  const r = portOf(`{{ ${path} }}`);
  if (!r.expr)
    throw new UserError(`--port ${p} is neither a number nor a values path`, { hint: 'e.g. --port service.port or --port 8080' });
  const value = chartValue(ws, path);
  if (value === undefined)
    throw new UserError(`--port ${p}: chart/values.yaml has no value ${path.replace(/^\.Values\./, '')}`, {
      file: 'chart/values.yaml',
      hint: `pass the values path of the Service's port (${ports})`,
    });
  if (!Number.isInteger(Number(value)))
    throw new UserError(
      `--port ${p}: ${path.replace(/^\.Values\./, '')} is ${JSON.stringify(value)} in chart/values.yaml, not a port number`,
      { file: 'chart/values.yaml' },
    );
  return r.expr;
}

export function chooseTargets(ws: Workspace, pkg: string, opts: VsOptions): VsTarget[] {
  const services = findServices(ws, pkg);
  let chosen: ServiceInfo[];
  if (opts.service?.length) {
    chosen = opts.service.map((name) => {
      const s = services.find((x) => x.id === name || x.nameExpr === name || x.file.endsWith(`/${name}.yaml`));
      if (s) return s;
      if (services.length) {
        throw new UserError(`--service ${name} matches no Service of the chart`, {
          hint: `pass --service with one of: ${services.map((x) => x.id).join(', ')}`,
        });
      }
      // No Service template found: take the name as the Service's name.
      return { id: name.replace(/[^a-z0-9-]/gi, '-'), file: '(--service)', nameExpr: name, portNames: [] };
    });
  } else if (services.length === 1) {
    chosen = services;
  } else if (!services.length) {
    throw new UserError('no Service found in chart/templates, so the VirtualService has nothing to route to', {
      hint: 'pass --service NAME (the Service name) and --port PORT (a number or a values path such as service.port)',
    });
  } else {
    throw new UserError(`the chart exposes ${services.length} Services (${services.map((s) => `${s.id}: ${s.nameExpr}`).join('; ')})`, {
      hint: `pass --service for each one to expose, e.g. ${services.map((s) => `--service ${s.id}`).join(' ')}`,
    });
  }
  return chosen.map((s) => {
    const portExpr = opts.port ? normalizePort(opts.port, ws, s) : s.portExpr;
    if (!portExpr) {
      throw new UserError(
        `cannot tell the HTTP port of Service ${s.nameExpr} in ${s.file}${s.portNames.length ? ` (ports: ${s.portNames.join(', ')})` : ''}`,
        {
          hint: 'pass --port with a number or the values path of the port, e.g. --port service.port',
        },
      );
    }
    return { key: chosen.length === 1 ? pkg : s.id, service: s, portExpr };
  });
}

export function defaultHost(pkg: string, key: string): string {
  return key === pkg || key.startsWith(`${pkg}-`) ? key : `${pkg}-${key}`;
}

export function generateVirtualService(ws: Workspace, pkg: string, layout: Layout, targets: VsTarget[]): string {
  const chartName = readChartName(ws) ?? pkg;
  const h = analyzeHelpers(ws, chartName);
  const v = `.Values.${VALUES_KEY}`;
  const labels = h.labels
    ? [
        `    {{- include "${h.labels}" . | nindent 4 }}`,
        ...(h.labelsHaveInstance ? [] : ['    app.kubernetes.io/instance: {{ .Release.Name }}']),
      ]
    : [
        '    app.kubernetes.io/name: {{ .Chart.Name }}',
        '    app.kubernetes.io/instance: {{ .Release.Name }}',
        '    app.kubernetes.io/managed-by: {{ .Release.Service }}',
      ];
  const out = [
    `{{- /* bigbang: Istio VirtualService for Big Bang (generated by bbmesh integrate from ${targets.map((t) => t.service.file).join(', ')}; regenerate with --force) */}}`,
  ];
  targets.forEach((t, i) => {
    out.push(
      `{{- $pkg := "${t.key}" }}`,
      `{{- if and ${v}.enabled (get ${v} $pkg).enabled }}`,
      ...(i > 0 ? ['---'] : []),
      'apiVersion: networking.istio.io/v1beta1',
      'kind: VirtualService',
      'metadata:',
      `  name: ${t.service.nameExpr}`,
      '  namespace: {{ .Release.Namespace }}',
      '  labels:',
      ...labels,
      'spec:',
      '  gateways:',
      `  {{- range (get ${v} $pkg).gateways }}`,
      '    - {{ . }}',
      '  {{- end }}',
      '  hosts:',
      `  {{- range (get ${v} $pkg).hosts }}`,
      '    - {{ tpl . $ }}',
      '  {{- end }}',
      '  http:',
      '  - route:',
      '    - destination:',
      '        port:',
      `          number: ${t.portExpr}`,
      `        host: ${t.service.nameExpr}.{{ .Release.Namespace }}.svc.cluster.local`,
      '{{- end }}',
    );
  });
  return out.join('\n') + '\n';
}

export function stepVirtualService(
  ws: Workspace,
  pkg: string,
  layout: Layout,
  targets: VsTarget[] | undefined,
  existing: { file: string } | undefined,
  force: boolean,
): StepReport {
  const title = 'VirtualService';
  if (existing && !force) {
    return { step: 2, title, status: 'present', reason: `${existing.file} exists; --force regenerates it`, files: [] };
  }
  if (!targets) throw new Error('internal: no VirtualService targets');
  const text = generateVirtualService(ws, pkg, layout, targets);
  const file = existing?.file ?? VS_FILE;
  if (ws.read(file) === text)
    return { step: 2, title, status: 'present', reason: force ? `regenerated with --force: identical to ${file}` : undefined, files: [] };
  ws.write(file, text);
  return { step: 2, title, status: 'done', files: [file] };
}
