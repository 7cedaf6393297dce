// Big Bang 3.x as its maintainers integrate a package (the umbrella's bb-common guide): the bb-common
// dependency and its render includes, `routes.inbound` learned from the chart's Service with the
// `istio` and `networkPolicies` blocks, and the umbrella side (namespace label, passdown, dependsOn istiod).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import {
  BB_COMMON_REPOSITORY,
  CHART_YAML,
  checkVersionFlag,
  declaredLibrary,
  DEPENDENCY_UPDATE,
  localLibrary,
  newest,
  satisfies,
  stepLibrary,
  vendoredLibrary,
} from './bb-common.js';
import { stepBigbangValues } from './bigbang-values.js';
import { stepDependsOn } from './depends-on.js';
import { VALUES_KEY } from './layouts.js';
import { stepNamespace } from './namespace.js';
import { stepPassdown } from './passdown.js';
import { learnTargets } from './plan.js';
import type { RenderSettings } from './preview.js';
import { existingRoutes, routeOf, stepRouteValues, type Route } from './routes-values.js';
import { stepScaffold } from './scaffold.js';
import type { VsTarget } from './targets.js';
import type { Plan, PlanInput, StepContext } from './types.js';
import { defaultHost, existingVirtualService } from './virtualservice.js';

/** Vendors a local library chart into a scratch copy's chart/charts/ with real `helm package`. */
async function vendorInto(library: string, dir: string, settings: RenderSettings): Promise<void> {
  const { findHelm, run, helmErrorMessage } = await import('../sources/render/helm.js');
  const charts = join(dir, 'chart', 'charts');
  mkdirSync(charts, { recursive: true });
  const r = await run(findHelm(settings.helm), ['package', library, '-d', charts]);
  if (r.code !== 0) throw helmErrorMessage(r.stderr, library);
}

function routeNotes(routes: Route[], targets: VsTarget[], notes: string[]): void {
  for (const [i, r] of routes.entries()) {
    const sel = r.selector ? Object.entries(r.selector).map(([k, v]) => `${k}=${v}`) : [];
    if (r.selector) {
      notes.push(`routes.inbound.${r.key}.selector (${sel.join(', ')}) is the Service's selector as rendered for the release Flux names`);
    } else if (!targets[i].rendered) {
      notes.push(
        `routes.inbound.${r.key} selects its pods by bb-common's default app.kubernetes.io/name=${r.key}: ` +
          'the chart could not be rendered to check it; set routes.inbound.' +
          `${r.key}.selector to the pods' labels if they differ`,
      );
    }
  }
}

/** How the result can be rendered: the vendored library, a local one to package, or not at all. */
function renderCheck(input: PlanInput, version: string, notes: string[]): Plan['check'] {
  const { ws, settings } = input;
  const declared = declaredLibrary(ws.read(CHART_YAML) ?? '');
  if (!declared) return {};
  const vendored = vendoredLibrary(ws);
  const where = `in ${ws.root}`;
  const wanted = declared.version ?? version;
  if (vendored.length) {
    if (!vendored.some((v) => satisfies(v, wanted)))
      notes.push(
        `chart/charts/ vendors bb-common ${vendored.map((v) => v.version).join(', ')}, chart/Chart.yaml asks for ${wanted}: ` +
          `run \`${DEPENDENCY_UPDATE}\` ${where}; the result was rendered with the vendored copy`,
      );
    return {};
  }
  const repository = declared.repository ?? BB_COMMON_REPOSITORY;
  const local = localLibrary(ws, repository);
  if (local) {
    notes.push(`bb-common is not vendored: run \`${DEPENDENCY_UPDATE}\` ${where}; the result was rendered with ${local}`);
    return { prepare: (dir) => vendorInto(local, dir, settings) };
  }
  notes.push(
    `bb-common ${wanted} is not vendored in chart/charts/: run \`${DEPENDENCY_UPDATE}\` ${where} (it pulls it from ${repository})`,
  );
  return { skip: `bb-common ${wanted} is not vendored in chart/charts/, so the result could not be rendered (${DEPENDENCY_UPDATE})` };
}

export async function planLibrary(input: PlanInput): Promise<Plan> {
  const { ws, pkg, namespace, layout, opts, notes } = input;
  if (opts.bbCommonVersion) checkVersionFlag(opts.bbCommonVersion);
  const declared = declaredLibrary(ws.read(CHART_YAML) ?? '');
  const version = opts.bbCommonVersion ?? declared?.version ?? newest(vendoredLibrary(ws))?.version;
  if (!version) {
    throw new UserError('no bb-common version to depend on: chart/charts/ vendors none and --bb-common-version is not given', {
      file: CHART_YAML,
      hint: 'pass --bb-common-version with the bb-common release, e.g. --bb-common-version 0.12.0',
    });
  }
  if (!declared && !opts.bbCommonVersion) notes.push(`bb-common ${version}: the newest vendored in chart/charts/`);
  const repository = opts.bbCommonRepository ?? declared?.repository ?? BB_COMMON_REPOSITORY;
  const routes = existingRoutes(ws);
  const vs = existingVirtualService(ws, VALUES_KEY);
  if (vs && !routes.length && !opts.force) {
    throw new UserError(`${vs.file} hand-writes a VirtualService, which Big Bang 3.x packages leave to bb-common's routes.inbound`, {
      file: vs.file,
      hint:
        'move its hosts, gateways, service and port to routes.inbound in chart/values.yaml and delete it, ' +
        'or pass --force to add a route anyway',
    });
  }
  let targets: VsTarget[] = [];
  let keys = routes;
  if (!routes.length || opts.force) {
    targets = await learnTargets(input);
    keys = [...new Set([...routes, ...targets.map((t) => t.key)])];
  }
  const hosts = new Map(keys.map((k) => [k, defaultHost(pkg, k)]));
  const learned = targets.map((t) => routeOf(t, hosts.get(t.key) ?? t.key));
  routeNotes(learned, targets, notes);
  const ctx: StepContext = { ws, pkg, layout, keys, hosts, library: true };
  const steps = [
    stepScaffold(ws, pkg, namespace),
    stepNamespace(ctx),
    stepLibrary(ws, version, repository, !!opts.bbCommonVersion),
    stepRouteValues(ctx, layout.defaultDomain, learned),
    stepBigbangValues(ctx),
    stepPassdown(ctx),
    stepDependsOn(ctx),
  ];
  return { steps, check: renderCheck(input, version, notes) };
}
