// `bbmesh check` as a library: render a package in the branches the enabled rules ask for (their
// metadata: `runsOn`, `needs`), concurrently; build the mesh model; run the rules on the branch each
// runs on; settle supersessions. Plain manifests (files or stdin) skip the rules that need a package.
import { resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { LAYOUTS, type LayoutName } from '../core/layout.js';
import type { Manifest } from '../manifest/types.js';
import { buildModel } from '../model/build.js';
import { loadMesh, meshFromManifests, probeBranch, renderBranch, type Branch } from '../sources/index.js';
import { resolveLayout } from '../sources/layout-detect.js';
import { markLibraryObjects } from '../sources/library.js';
import { readPackageFiles } from '../sources/package-files.js';
import { defaultGateways, type PlatformOptions } from '../sources/platform.js';
import type { RenderOptions, RenderResult } from '../sources/render/index.js';
import { RULES } from './rules/catalogue.js';
import { exitCodeFor, runRules, settle, toFinding } from './rules/engine.js';
import { isIstioKind, packageHelmRelease } from './rules/bb/util.js';
import type { Finding, FindingRender, PackageContext, Rule, RuleContext, Severity } from './rules/types.js';

export type RenderName = FindingRender;

export interface CheckOptions {
  layout?: LayoutName;
  /** Rule codes to skip. */
  ignore?: string[];
  /** Lowest severity that makes the exit code 1 (default warning). */
  failOn?: Severity;
  /** Add the assumed Big Bang platform (default true; false for --no-platform). */
  platform?: boolean;
  render?: RenderOptions;
  /** Rules to run (default: the whole catalogue). */
  rules?: Rule[];
  /** Whole deployment: exit 0 even when HelmReleases could not be rendered (default: 1, they were not checked). */
  allowUnchecked?: boolean;
}

export interface CheckSummary {
  errors: number;
  warnings: number;
  infos: number;
  /** Objects of the input (rendered or read), not counting assumed platform objects. */
  objects: number;
  assumedObjects: number;
  /** Objects operators make at run time from the input's custom resources (Kiali, ECK, Prometheus...). */
  operatorObjects: number;
  /** Through an umbrella: objects the umbrella renders for other packages (read, never findings). */
  contextObjects?: number;
  renders: RenderName[];
}

export interface CheckResult {
  input: { kind: 'package'; dir: string; packageName: string } | { kind: 'manifests'; files: string[]; istioEnabled: boolean };
  layout: LayoutName;
  /** Why this layout: `given`, `detected from ...` (a chart depending on bb-common is 3.x), or `default (...)`. */
  layoutReason?: string;
  findings: Finding[];
  summary: CheckSummary;
  /** Codes run, and codes skipped (ignored, or needing a package for plain manifests). */
  rulesRun: string[];
  rulesSkipped: string[];
  failOn: Severity;
  exitCode: number;
  platform?: PlatformOptions;
  /** The assumed Big Bang gateways, as `ns/name` of their Gateway objects (3.x: public and passthrough). */
  platformGateways?: string[];
  /** The render with Istio enabled (package input only). */
  render?: RenderResult;
  /** The render with Istio disabled (package input only); istio-disabled positions refer to its text. */
  disabledRender?: RenderResult;
}

export function ruleSets(opts: CheckOptions, havePackage: boolean) {
  const rules = opts.rules ?? RULES;
  const ignore = new Set((opts.ignore ?? []).map((s) => s.trim().toUpperCase()).filter(Boolean));
  const run = rules.filter((r) => !ignore.has(r.meta.code) && (havePackage || !r.meta.needsPackage));
  return { run, skipped: rules.filter((r) => !run.includes(r)).map((r) => r.meta.code) };
}

const runsOn = (r: Rule): Branch[] => r.meta.runsOn ?? ['istio-enabled'];

/** The renders the enabled rules ask for (Istio enabled always). */
export function branchesFor(rules: Rule[]): Branch[] {
  const want = new Set<Branch>(['istio-enabled']);
  for (const r of rules) for (const b of [...runsOn(r), ...(r.meta.needs ?? [])]) want.add(b);
  return (['istio-enabled', 'istio-disabled', 'domain-probe'] as Branch[]).filter((b) => want.has(b));
}

export function summarize(findings: Finding[], manifests: Manifest[], renders: RenderName[]): CheckSummary {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else infos++;
  }
  let assumedObjects = 0;
  let operatorObjects = 0;
  let contextObjects = 0;
  for (let i = 0; i < manifests.length; i++) {
    const st = manifests[i].origin.stage;
    if (st === 'platform') assumedObjects++;
    else if (st === 'operator') operatorObjects++;
    else if (st === 'context') contextObjects++;
  }
  return {
    errors,
    warnings,
    infos,
    objects: manifests.length - assumedObjects - operatorObjects - contextObjects,
    assumedObjects,
    operatorObjects,
    ...(contextObjects ? { contextObjects } : {}),
    renders,
  };
}

function withContext(what: string, err: unknown): unknown {
  return err instanceof UserError
    ? new UserError(`${what}: ${err.message}`, { file: err.file, line: err.line, column: err.column, hint: err.hint })
    : err;
}

/** Checks a package directory (bigbang/ + chart/) in every render its rules need. */
export async function checkPackage(dir: string, opts: CheckOptions = {}): Promise<CheckResult> {
  const choice = await resolveLayout(dir, opts.layout, opts.render);
  const layoutName = choice.layout;
  const layout = LAYOUTS[layoutName];
  const sets = ruleSets(opts, true);
  const branches = branchesFor(sets.run);
  // Istio on and off start together; the probe re-runs stage 2 of the Istio-enabled render only.
  const enabledRun = renderBranch(dir, 'istio-enabled', layoutName, opts.render ?? {});
  const settled = await Promise.allSettled(
    branches.map((b) =>
      b === 'istio-enabled'
        ? enabledRun
        : b === 'domain-probe'
          ? enabledRun.then(probeBranch)
          : renderBranch(dir, b, layoutName, opts.render ?? {}),
    ),
  );
  const renders: PackageContext['renders'] = {} as PackageContext['renders'];
  const failed = new Map<Branch, unknown>();
  branches.forEach((b, i) => {
    const s = settled[i];
    if (s.status === 'fulfilled') renders[b] = s.value;
    else failed.set(b, s.reason);
  });
  const enabled = renders['istio-enabled'];
  if (!enabled) throw withContext('rendering with Istio enabled', failed.get('istio-enabled'));
  const files = readPackageFiles(dir);
  for (const r of Object.values(renders)) if (r) markLibraryObjects(r, files);
  const text = (p: string) => files.text(p);
  const mesh = await meshFromManifests(enabled.manifests, {
    layout: layoutName,
    platform: opts.platform === false ? false : undefined,
    values: enabled.bigbangValues,
    templateText: text,
  });
  const pkg: PackageContext = { dir: resolve(dir), name: enabled.packageName, renders, files };
  const base: Omit<RuleContext, 'model' | 'istioEnabled' | 'branch'> = { layout, pkg };
  const all: Finding[] = [];
  const ran: RenderName[] = [];
  for (const b of branches.filter((x) => x !== 'domain-probe')) {
    const render = renders[b];
    const rules = sets.run.filter((r) => runsOn(r).includes(b));
    if (!rules.length) continue;
    ran.push(b);
    if (!render) {
      all.push(renderFailure(b, failed.get(b), mesh.model.manifests, layout.istioEnabledKey));
      continue;
    }
    const model = b === 'istio-enabled' ? mesh.model : buildModel(render.manifests, { layout, templateText: text });
    all.push(...runRules(rules, { ...base, model, istioEnabled: b !== 'istio-disabled', branch: b }, { render: b, files: text }));
  }
  const findings = settle(sets.run, all);
  const failOn = opts.failOn ?? 'warning';
  return {
    input: { kind: 'package', dir: resolve(dir), packageName: enabled.packageName },
    layout: layoutName,
    layoutReason: choice.reason,
    findings,
    summary: summarize(findings, mesh.manifests, ran),
    rulesRun: sets.run.map((r) => r.meta.code),
    rulesSkipped: sets.skipped,
    failOn,
    exitCode: exitCodeFor(findings, failOn),
    platform: mesh.platform,
    platformGateways: platformGateways(mesh.platform),
    render: enabled,
    disabledRender: renders['istio-disabled'],
  };
}

/** A branch that does not render is a finding of its own (BB002: the package must render both ways), with Helm's message. */
function renderFailure(branch: Branch, err: unknown, manifests: Manifest[], key: string): Finding {
  const rule = RULES.find((r) => r.meta.code === 'BB002')!;
  const hr = packageHelmRelease({ manifests }) ?? manifests[0];
  const why = err instanceof Error ? err.message : String(err);
  return toFinding(
    rule,
    {
      object: hr,
      path: ['spec', 'values'],
      message: `the package does not render with ${key}=false: ${why}`,
      symptom: 'with Istio disabled the HelmRelease fails to install: Helm reports the same error',
      hint: 'make the chart render with Istio disabled: guard Istio values and templates with the enabled flag, or relax values.schema.json for the disabled values',
    },
    branch,
  );
}

/** Istio counts as enabled for plain manifests when the input has Istio objects or an injected namespace. */
export function istioEnabledIn(manifests: Manifest[]): boolean {
  return manifests.some(
    (m) =>
      m.origin.stage !== 'platform' &&
      (isIstioKind(m) || (m.kind === 'Namespace' && m.obj.metadata?.labels?.['istio-injection'] === 'enabled')),
  );
}

/** Checks YAML files (`-` = stdin). Rules that need the package sources are skipped. */
export async function checkManifests(files: string[], opts: CheckOptions = {}): Promise<CheckResult> {
  const choice = await resolveLayout(undefined, opts.layout, opts.render);
  const layoutName = choice.layout;
  const loaded = await loadMesh({ files }, { layout: layoutName, platform: opts.platform, render: opts.render });
  const sets = ruleSets(opts, false);
  const istioEnabled = istioEnabledIn(loaded.manifests);
  const ctx: RuleContext = { model: loaded.model, layout: LAYOUTS[layoutName], istioEnabled };
  const findings = settle(sets.run, runRules(sets.run, ctx, { render: 'input' }));
  const failOn = opts.failOn ?? 'warning';
  return {
    input: { kind: 'manifests', files, istioEnabled },
    layout: layoutName,
    ...(choice.detected ? { layoutReason: choice.reason } : {}),
    findings,
    summary: summarize(findings, loaded.manifests, ['input']),
    rulesRun: sets.run.map((r) => r.meta.code),
    rulesSkipped: sets.skipped,
    failOn,
    exitCode: exitCodeFor(findings, failOn),
    platform: loaded.platform,
    platformGateways: platformGateways(loaded.platform),
  };
}

/** The assumed Big Bang gateways, as `ns/name` of their Gateway objects; undefined without the platform. */
export function platformGateways(p: PlatformOptions | undefined): string[] | undefined {
  if (!p) return undefined;
  const L = LAYOUTS[p.layout];
  return (p.gateways ?? defaultGateways(p.layout, p.domain)).map((g) => L.gatewayRef(g.name));
}
