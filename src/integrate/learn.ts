// What the chart really renders with its defaults (real Helm), so that integrate chooses among the
// Services that exist rather than every `kind: Service` in the template text: through the bigbang/ dev
// chart when there is one (the release name and values Flux would use), else the chart alone under
// the release name Flux would give it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import type { LayoutName } from '../core/layout.js';
import type { Manifest } from '../manifest/types.js';
import { renderOptions, type RenderSettings } from './preview.js';

export interface RenderedPort {
  name?: string;
  port: number;
  targetPort?: string | number;
  appProtocol?: string;
  /** The pods' port behind it (a numeric targetPort, or a named one found in the selected workloads). */
  containerPort?: number;
}

export interface RenderedService {
  name: string;
  namespace: string;
  /** Template that rendered it, relative to the package directory (`chart/templates/service.yaml`). */
  template?: string;
  ports: RenderedPort[];
  headless: boolean;
  /** `spec.selector`: the labels of the pods it routes to. */
  selector?: Record<string, string>;
}

export interface ChartRender {
  services: RenderedService[];
  release: string;
  namespace: string;
  /** Values given to the chart on top of its defaults (Flux's merge), to read port values paths. */
  values: Record<string, unknown>;
  how: 'package' | 'chart';
}

/** Kubernetes' default when a chart sets nothing newer (as `bbmesh render`). */
const KUBE_VERSION = '1.31.0';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isRecord(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number') out[k] = String(x);
  return Object.keys(out).length ? out : undefined;
}

/** Pod templates of the rendered workloads: their labels and named container ports. */
function podTemplates(ms: Manifest[]): { labels: Record<string, string>; ports: Map<string, number> }[] {
  const out: { labels: Record<string, string>; ports: Map<string, number> }[] = [];
  for (const m of ms) {
    if (!WORKLOADS.includes(m.kind) || !isRecord(m.obj.spec) || !isRecord(m.obj.spec.template)) continue;
    const t = m.obj.spec.template;
    const labels = stringMap(isRecord(t.metadata) ? t.metadata.labels : undefined) ?? {};
    const ports = new Map<string, number>();
    const containers = isRecord(t.spec) && Array.isArray(t.spec.containers) ? t.spec.containers : [];
    for (const c of containers) {
      for (const p of isRecord(c) && Array.isArray(c.ports) ? c.ports : []) {
        if (isRecord(p) && typeof p.name === 'string' && Number.isInteger(Number(p.containerPort)))
          ports.set(p.name, Number(p.containerPort));
      }
    }
    out.push({ labels, ports });
  }
  return out;
}

function serviceOf(m: Manifest, pods: ReturnType<typeof podTemplates>): RenderedService {
  const spec = isRecord(m.obj.spec) ? m.obj.spec : {};
  const selector = stringMap(spec.selector);
  const selected = selector ? pods.filter((p) => Object.entries(selector).every(([k, v]) => p.labels[k] === v)) : [];
  const ports: RenderedPort[] = [];
  for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
    if (!isRecord(p) || !Number.isInteger(Number(p.port))) continue;
    const targetPort = typeof p.targetPort === 'string' || typeof p.targetPort === 'number' ? p.targetPort : undefined;
    let containerPort: number | undefined = targetPort === undefined ? Number(p.port) : undefined;
    if (typeof targetPort === 'number' || /^\d+$/.test(String(targetPort ?? ''))) containerPort = Number(targetPort);
    else if (typeof targetPort === 'string') {
      const found = new Set(selected.map((s) => s.ports.get(targetPort)).filter((n) => n !== undefined));
      if (found.size === 1) containerPort = [...found][0];
    }
    ports.push({
      name: typeof p.name === 'string' ? p.name : undefined,
      port: Number(p.port),
      targetPort,
      appProtocol: typeof p.appProtocol === 'string' ? p.appProtocol : undefined,
      containerPort,
    });
  }
  // `podinfo/templates/service.yaml` -> `chart/templates/service.yaml`
  const template = m.origin.template ? ['chart', ...m.origin.template.split('/').slice(1)].join('/') : undefined;
  return { name: m.name, namespace: m.namespace, template, ports, headless: spec.clusterIP === 'None', selector };
}

async function viaPackage(root: string, layout: LayoutName, pkg: string, settings: RenderSettings): Promise<ChartRender | undefined> {
  const { renderBranch } = await import('../sources/index.js');
  const r = await renderBranch(root, 'istio-disabled', layout, renderOptions(pkg, settings));
  const rel = r.releases[0];
  if (!rel) return undefined; // the dev chart deploys no release of chart/
  const ms = r.manifests.filter((m) => m.origin.stage === 'package');
  const pods = podTemplates(ms);
  const services = ms.filter((m) => m.kind === 'Service').map((m) => serviceOf(m, pods));
  return { services, release: rel.releaseName, namespace: rel.namespace, values: rel.values, how: 'package' };
}

async function viaChart(root: string, release: string, namespace: string, settings: RenderSettings): Promise<ChartRender> {
  const { findHelm, checkHelmVersion, run, helmErrorMessage } = await import('../sources/render/helm.js');
  const { loadManifests } = await import('../manifest/load.js');
  const helm = findHelm(settings.helm);
  await checkHelmVersion(helm);
  const chartDir = join(root, 'chart');
  const r = await run(helm, ['template', release, chartDir, '-n', namespace, '--kube-version', settings.kubeVersion ?? KUBE_VERSION]);
  if (r.code !== 0) throw helmErrorMessage(r.stderr, chartDir);
  const kinds = new Set(['Service', ...WORKLOADS]);
  const ms = loadManifests(r.stdout, { file: 'chart', stage: 'package', defaultNamespace: namespace, kinds });
  const pods = podTemplates(ms);
  const services = ms.filter((m) => m.kind === 'Service').map((m) => serviceOf(m, pods));
  return { services, release, namespace, values: {}, how: 'chart' };
}

/** Helm missing, too old or broken: no render can help, the user must fix it. */
function helmSetup(err: UserError): boolean {
  return /install Helm/.test(err.hint ?? '');
}

/**
 * The chart's Services as rendered with its defaults, or the reason it could not be rendered (then
 * integrate falls back to the template text). Helm missing or too old is the user's to fix: thrown.
 */
export async function learnServices(
  root: string,
  layout: LayoutName,
  pkg: string,
  release: string,
  namespace: string,
  settings: RenderSettings,
): Promise<ChartRender | { failed: string }> {
  const failures: string[] = [];
  if (existsSync(join(root, 'bigbang', 'Chart.yaml'))) {
    try {
      const r = await viaPackage(root, layout, pkg, settings);
      if (r) return r;
    } catch (err) {
      if (!(err instanceof UserError) || helmSetup(err)) throw err;
      failures.push(err.message);
    }
  }
  try {
    return await viaChart(root, release, namespace, settings);
  } catch (err) {
    if (!(err instanceof UserError) || helmSetup(err)) throw err;
    failures.push(err.message);
  }
  return { failed: failures[failures.length - 1] };
}
