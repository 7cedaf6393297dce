// Every source of manifests ends here, in one mesh model: a package directory (rendered with Istio on,
// off, or with a probe domain), YAML files or stdin, a cluster or a snapshot of one; plus the assumed
// Big Bang platform. check, trace, diagram and verify all load through loadMesh / meshFromManifests.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { LAYOUTS, type BigBangLayout, type LayoutName } from '../core/layout.js';
import type { TemplateText } from '../manifest/source.js';
import type { Manifest } from '../manifest/types.js';
import type { MeshModel } from '../model/types.js';
import { surelyBb2 } from './layout-hint.js';
import type { PackageFiles } from './package-files.js';
import type { PlatformOptions } from './platform.js';
import type { RenderOptions, RenderResult } from './render/index.js';
import type { RenderHooks, Stage1Outcome } from './render/types.js';

export { readStdin, readText, loadFiles } from './files.js';

/** The renders of a package directory (see analysis/rules/types.ts RenderBranch). */
export type Branch = 'istio-enabled' | 'istio-disabled' | 'domain-probe';

export { PROBE_DOMAIN } from './render/probe.js';

export interface InputSpec {
  /** A package directory (bigbang/ + chart/; with `render.umbrella`, chart/ and an optional bigbang/). */
  dir?: string;
  /** YAML files; `-` reads stdin. */
  files?: string[];
  // Neither, with `render.umbrella`: the whole deployment (see sources/umbrella/index.ts).
}

export interface ModelOptions {
  layout?: LayoutName;
  /** Add the assumed platform objects the input lacks (default true). */
  platform?: boolean;
  /** For a package dir: which render (default Istio enabled). */
  branch?: RenderedBranch;
  render?: RenderOptions;
}

export interface MeshInput {
  manifests: Manifest[];
  model: MeshModel;
  layout: BigBangLayout;
  platform?: PlatformOptions;
  /** Package input: the render the model comes from, and the package's files. */
  render?: RenderResult;
  files?: PackageFiles;
}

type RenderedBranch = Exclude<Branch, 'domain-probe'>;

// Renders started before the CLI has parsed its flags (prefetchBranches, prefetchRender), by what they were asked.
const prefetched = new Map<string, Promise<RenderResult>>();
const probes = new WeakMap<RenderResult, Promise<RenderResult>>();

/**
 * The identity of a render request: a branch and layout of check's, or `render` (the layout left to the
 * render). Options that say nothing (undefined, empty lists, secrets not shown) do not count.
 */
function requestKey(dir: string, what: [RenderedBranch, LayoutName] | ['render'], opts: RenderOptions): string {
  const said = Object.entries(opts).filter(
    ([k, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0) && !(k === 'showSecrets' && v === false),
  );
  return JSON.stringify([resolve(dir), ...what, Object.fromEntries(said.sort(([a], [b]) => a.localeCompare(b)))]);
}

/** A hook that resolves the promise it returns once stage 2 has started, or once `run` has ended. */
function stage2Signal(): {
  hooks: (extra?: (s: Stage1Outcome) => void) => RenderHooks;
  until: (run: Promise<unknown>) => Promise<unknown>;
} {
  let started = (): void => undefined;
  const signal = new Promise<void>((res) => (started = res));
  return {
    hooks: (extra) => ({
      afterStage1: (s) => {
        extra?.(s);
        started();
      },
    }),
    until: (run) => Promise.race([signal, run.catch(() => undefined)]),
  };
}

/**
 * `bbmesh check <dir>` with default render options: both branches start at once, and the probe as soon
 * as the Istio-enabled stage 1 is read (beside that branch's stage 2). renderBranch and probeBranch take
 * them when asked the same; one never taken only read files. Resolves once that stage 2 has started (or
 * the render has ended): the CLI loads the rest of itself while stage 2 runs, not while stage 1 waits
 * for the main thread.
 */
export async function prefetchBranches(dir: string): Promise<void> {
  if (!existsSync(join(dir, 'bigbang', 'Chart.yaml')) || !existsSync(join(dir, 'chart'))) return;
  const layout = surelyBb2(dir) ?? (await import('./layout-detect.js')).chooseLayout(dir).layout;
  const signal = stage2Signal();
  let probe: Promise<RenderResult> | undefined;
  const startProbe = (s: Stage1Outcome) => {
    probe = import('./render/probe.js').then((m) => m.renderProbe(s));
    probe.catch(() => undefined);
  };
  const enabled = renderBranchNow(dir, 'istio-enabled', layout, {}, signal.hooks(startProbe));
  enabled.then(
    (r) => probe && probes.set(r, probe),
    () => undefined,
  );
  const disabled = renderBranchNow(dir, 'istio-disabled', layout, {});
  disabled.catch(() => undefined);
  prefetched.set(requestKey(dir, ['istio-enabled', layout], {}), enabled);
  prefetched.set(requestKey(dir, ['istio-disabled', layout], {}), disabled);
  await signal.until(enabled);
}

/** `bbmesh render <dir>` in its plain form: the render starts before the flags are parsed (as check's branches do). */
export async function prefetchRender(dir: string): Promise<void> {
  const { renderPackage } = await import('./render/index.js');
  const signal = stage2Signal();
  const run = renderPackage(dir, {}, signal.hooks());
  run.catch(() => undefined);
  prefetched.set(requestKey(dir, ['render'], {}), run);
  await signal.until(run);
}

/** The prefetched render of `dir`, when it was asked exactly what `opts` ask. */
export function takePrefetchedRender(dir: string, opts: RenderOptions): Promise<RenderResult> | undefined {
  return takePrefetched(requestKey(dir, ['render'], opts));
}

function takePrefetched(key: string): Promise<RenderResult> | undefined {
  const run = prefetched.get(key);
  prefetched.delete(key);
  return run;
}

/** Renders a package with the layout's Istio key on or off (off also hides the Istio APIs). */
export async function renderBranch(
  dir: string,
  branch: RenderedBranch,
  layout: LayoutName,
  opts: RenderOptions = {},
): Promise<RenderResult> {
  return takePrefetched(requestKey(dir, [branch, layout], opts)) ?? renderBranchNow(dir, branch, layout, opts);
}

async function renderBranchNow(
  dir: string,
  branch: RenderedBranch,
  layout: LayoutName,
  opts: RenderOptions,
  hooks: RenderHooks = {},
): Promise<RenderResult> {
  const { renderPackage, branchOptions } = await import('./render/index.js');
  return renderPackage(dir, branchOptions(layout, branch !== 'istio-disabled', opts), hooks);
}

/** The domain probe of a package: stage 2 of its Istio-enabled render again, with another domain (render/probe.ts). */
export function probeBranch(enabled: RenderResult): Promise<RenderResult> {
  let run = probes.get(enabled);
  if (!run) {
    run = import('./render/probe.js').then((m) => m.renderProbe(enabled));
    probes.set(enabled, run);
  }
  return run;
}

/**
 * The layout an umbrella render reads as (chart version and Istio keys of the merged values), or
 * undefined without `umbrella`: for callers that default the layout before rendering.
 */
/**
 * The platform a whole-deployment render still lacks: gateways whose Istio release was rendered come
 * from the render (3.x `<name>-ingressgateway` releases; 2.x the `istio` controlplane and its IstioOperator).
 */
export async function deploymentPlatform(render: RenderResult, layout: LayoutName): Promise<PlatformOptions> {
  const { platformOptionsFromValues } = await import('./platform.js');
  const base = platformOptionsFromValues(layout, render.bigbangValues);
  const rendered = new Set(render.releases.map((r) => r.helmRelease.name));
  const L = LAYOUTS[layout];
  const gateways =
    layout === 'bb2' && L.istioReleases.some((r) => r !== 'istio-operator' && rendered.has(r))
      ? []
      : (base.gateways ?? []).filter((g) => !rendered.has(L.ingressName(g.name)));
  return { ...base, gateways };
}

/**
 * Umbrella values for inputs that are not rendered here: with `umbrella`, its values.yaml and the user's
 * files and --set; else the user's `--umbrella-values`, else the built-in stand-in.
 */
async function umbrellaValues(opts: RenderOptions = {}): Promise<Record<string, unknown>> {
  if (opts.umbrella) {
    const u = await import('./umbrella/index.js');
    return u.umbrellaValues(u.locateUmbrella(opts.umbrella.dir).chartDir, opts);
  }
  const { BUILTIN_UMBRELLA } = await import('./render/index.js');
  const { loadYaml11 } = await import('../manifest/yaml11.js');
  const { mergeValues, isPlainObject } = await import('./render/values.js');
  const { readText } = await import('./files.js');
  let out: Record<string, unknown> = {};
  for (const f of opts.umbrellaValues?.length ? opts.umbrellaValues : [BUILTIN_UMBRELLA]) {
    const v = loadYaml11(readText(f), f);
    if (isPlainObject(v)) out = mergeValues(out, v);
  }
  return out;
}

/** A model over manifests already in hand (files, a cluster, a render), with the assumed platform unless disabled. */
export async function meshFromManifests(
  manifests: Manifest[],
  opts: { layout?: LayoutName; platform?: PlatformOptions | false; values?: Record<string, unknown>; templateText?: TemplateText } = {},
): Promise<MeshInput> {
  const layout = LAYOUTS[opts.layout ?? 'bb2'];
  const { buildModel } = await import('../model/build.js');
  const { withPlatform, platformOptionsFromValues } = await import('./platform.js');
  const { deriveOperatorObjects } = await import('../model/operators/index.js');
  let platform: PlatformOptions | undefined;
  // What operators make at run time from the input's custom resources, then the platform the input lacks.
  const derived = deriveOperatorObjects(manifests);
  let all = derived.length ? manifests.concat(derived) : manifests;
  if (opts.platform !== false) {
    platform = opts.platform ?? platformOptionsFromValues(layout.name, opts.values ?? {});
    all = withPlatform(all, platform);
  }
  return { manifests: all, model: buildModel(all, { layout, templateText: opts.templateText }), layout, platform };
}

export async function loadMesh(input: InputSpec, opts: ModelOptions = {}): Promise<MeshInput> {
  const layout = (await (await import('./layout-detect.js')).resolveLayout(input.dir, opts.layout, opts.render)).layout;
  if (input.dir) {
    const { readPackageFiles } = await import('./package-files.js');
    const render = await renderBranch(input.dir, opts.branch ?? 'istio-enabled', layout, opts.render);
    const files = readPackageFiles(input.dir);
    (await import('./library.js')).markLibraryObjects(render, files);
    const mesh = await meshFromManifests(render.manifests, {
      layout,
      platform: opts.platform === false ? false : undefined,
      values: render.bigbangValues,
      templateText: (p) => files.text(p),
    });
    return { ...mesh, render, files };
  }
  if (input.files?.length) {
    const { loadFiles } = await import('./files.js');
    const manifests = await loadFiles(input.files, opts.render?.namespace);
    const values = opts.platform === false ? {} : await umbrellaValues(opts.render);
    return meshFromManifests(manifests, { layout, platform: opts.platform === false ? false : undefined, values });
  }
  if (opts.render?.umbrella) {
    const { renderDeployment } = await import('./umbrella/deployment.js');
    const render = await renderDeployment({ ...opts.render, umbrella: { ...opts.render.umbrella, layout } });
    const platform = opts.platform === false ? false : await deploymentPlatform(render, layout);
    const mesh = await meshFromManifests(render.manifests, { layout, platform, values: render.bigbangValues });
    return { ...mesh, render };
  }
  throw new UserError('nothing to read', { hint: 'pass a package directory, -f FILE, - for stdin, or --umbrella DIR' });
}
