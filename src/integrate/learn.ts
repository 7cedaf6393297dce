// What the chart really renders with its defaults (real Helm), so that integrate chooses among the
// Services that exist rather than every `kind: Service` in the template text: through the bigbang/ dev
// chart when there is one (the release name and values Flux would use), else the chart alone under
// the release name Flux would give it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import type { LayoutName } from '../core/layout.js';
import type { Manifest } from '../manifest/types.js';
import type { RenderSettings } from './preview.js';

export interface RenderedPort {
  name?: string;
  port: number;
  targetPort?: string | number;
  appProtocol?: string;
}

export interface RenderedService {
  name: string;
  namespace: string;
  /** Template that rendered it, relative to the package directory (`chart/templates/service.yaml`). */
  template?: string;
  ports: RenderedPort[];
  headless: boolean;
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

function serviceOf(m: Manifest): RenderedService {
  const spec = isRecord(m.obj.spec) ? m.obj.spec : {};
  const ports: RenderedPort[] = [];
  for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
    if (!isRecord(p) || !Number.isInteger(Number(p.port))) continue;
    ports.push({
      name: typeof p.name === 'string' ? p.name : undefined,
      port: Number(p.port),
      targetPort: typeof p.targetPort === 'string' || typeof p.targetPort === 'number' ? p.targetPort : undefined,
      appProtocol: typeof p.appProtocol === 'string' ? p.appProtocol : undefined,
    });
  }
  // `podinfo/templates/service.yaml` -> `chart/templates/service.yaml`
  const template = m.origin.template ? ['chart', ...m.origin.template.split('/').slice(1)].join('/') : undefined;
  return { name: m.name, namespace: m.namespace, template, ports, headless: spec.clusterIP === 'None' };
}

async function viaPackage(root: string, layout: LayoutName, pkg: string, settings: RenderSettings): Promise<ChartRender | undefined> {
  const { renderBranch } = await import('../sources/index.js');
  const r = await renderBranch(root, 'istio-disabled', layout, {
    packageName: pkg,
    helm: settings.helm,
    kubeVersion: settings.kubeVersion,
    umbrellaValues: settings.umbrellaValues,
  });
  const rel = r.releases[0];
  if (!rel) return undefined; // the dev chart deploys no release of chart/
  const services = r.manifests.filter((m) => m.origin.stage === 'package' && m.kind === 'Service').map(serviceOf);
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
  const ms = loadManifests(r.stdout, { file: 'chart', stage: 'package', defaultNamespace: namespace, kinds: new Set(['Service']) });
  return { services: ms.filter((m) => m.kind === 'Service').map(serviceOf), release, namespace, values: {}, how: 'chart' };
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
