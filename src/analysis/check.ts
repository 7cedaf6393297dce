// `bbmesh check` as a library: render a package with Istio enabled and disabled (plus a
// domain probe for BB007), build the mesh model, run every rule, and summarize. Plain
// manifests (files or stdin) skip the rules that need the package sources.
import { resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { loadInput, renderForIstio } from '../sources/index.js';
import type { Manifest } from '../manifest/types.js';
import { buildModel } from '../model/build.js';
import { LAYOUTS, type LayoutName } from '../core/layout.js';
import { platformOptionsFromValues, withPlatform, type PlatformOptions } from '../sources/platform.js';
import type { RenderOptions, RenderResult } from '../sources/render/index.js';
import { RULES } from './rules/catalogue.js';
import { exitCodeFor, runRules, sortFindings } from './rules/engine.js';
import type { Finding, Rule, RuleContext, Severity } from './rules/types.js';
import { isIstioKind, PROBE_DOMAIN, type ProbedPackageContext } from './rules/bb/util.js';

export type RenderName = 'istio-enabled' | 'istio-disabled' | 'input';

/** Rules that also run on the render with Istio disabled (their `check` sees `istioEnabled: false`). */
export const DISABLED_RENDER_CODES = new Set(['BB002']);

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
}

export interface CheckSummary {
  errors: number;
  warnings: number;
  infos: number;
  /** Objects of the input (rendered or read), not counting assumed platform objects. */
  objects: number;
  assumedObjects: number;
  renders: RenderName[];
}

export interface CheckResult {
  input: { kind: 'package'; dir: string; packageName: string } | { kind: 'manifests'; files: string[]; istioEnabled: boolean };
  layout: LayoutName;
  findings: Finding[];
  summary: CheckSummary;
  /** Codes run, and codes skipped (ignored, or needing a package for plain manifests). */
  rulesRun: string[];
  rulesSkipped: string[];
  failOn: Severity;
  exitCode: number;
  platform?: PlatformOptions;
  /** The render with Istio enabled (package input only). */
  render?: RenderResult;
  /** The render with Istio disabled (package input only); istio-disabled positions refer to its text. */
  disabledRender?: RenderResult;
}

function ruleSets(opts: CheckOptions, havePackage: boolean) {
  const rules = opts.rules ?? RULES;
  const ignore = new Set((opts.ignore ?? []).map((s) => s.trim().toUpperCase()).filter(Boolean));
  const run = rules.filter((r) => !ignore.has(r.meta.code) && (havePackage || !r.meta.needsPackage));
  return {
    rules,
    ignore: [...ignore],
    run: run.map((r) => r.meta.code),
    skipped: rules.filter((r) => !run.includes(r)).map((r) => r.meta.code),
  };
}

function summarize(findings: Finding[], manifests: Manifest[], renders: RenderName[]): CheckSummary {
  // Counted in one pass each (no filtered copies of the tens of thousands of manifests).
  let errors = 0,
    warnings = 0,
    infos = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else if (f.severity === 'info') infos++;
  }
  let assumedObjects = 0;
  for (let i = 0; i < manifests.length; i++) if (manifests[i].origin.stage === 'platform') assumedObjects++;
  return { errors, warnings, infos, objects: manifests.length - assumedObjects, assumedObjects, renders };
}

/**
 * Same code, object, message and position: reported once (the enabled render first).
 * A missing injection label on the package namespace template (BB001) is the cause of the
 * per-workload MESH013 findings in that namespace, and a VirtualService on the package default
 * gateway (BB008) is the cause of the MESH001 at the same place: one fix, one finding.
 */
export function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  const labelMissing = new Set(findings.filter((f) => f.code === 'BB001').map((f) => f.object.name));
  // BB008 (the package default gateway istio-system/main) explains the MESH001 at the same place.
  const at = (f: Finding) =>
    [f.object.kind, f.object.namespace, f.object.name, f.source?.file, f.source?.line, f.source?.column].join('\u0000');
  const defaultGateway = new Set(findings.filter((f) => f.code === 'BB008').map(at));
  return findings.filter((f) => {
    if (f.code === 'MESH013' && labelMissing.has(f.object.namespace) && /no istio-injection label/.test(f.message)) return false;
    if (f.code === 'MESH001' && defaultGateway.has(at(f))) return false;
    const k = [f.code, f.object.kind, f.object.namespace, f.object.name, f.message, f.source?.file, f.source?.line, f.source?.column].join(
      '\u0000',
    );
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

async function withContext<T>(what: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof UserError)
      throw new UserError(`${what}: ${err.message}`, { file: err.file, line: err.line, column: err.column, hint: err.hint });
    throw err;
  }
}

/** Checks a package directory (bigbang/ + chart/) with Istio enabled and disabled. */
export async function checkPackage(dir: string, opts: CheckOptions = {}): Promise<CheckResult> {
  const layout = opts.layout ?? 'bb2';
  const L = LAYOUTS[layout];
  const ro = opts.render ?? {};
  // The domain probe (BB007) renders with another domain (and the deprecated hostname, which
  // wins when set); its failure only disables BB007.
  const probeSet = [...(ro.set ?? []), `domain=${PROBE_DOMAIN}`, `hostname=${PROBE_DOMAIN}`];
  const [enabled, disabled, probe] = await Promise.all([
    withContext('rendering with Istio enabled', renderForIstio(dir, true, layout, ro)),
    withContext('rendering with Istio disabled', renderForIstio(dir, false, layout, ro)),
    renderForIstio(dir, true, layout, { ...ro, set: probeSet }).catch(() => undefined),
  ]);

  let manifests = enabled.manifests;
  let platform: PlatformOptions | undefined;
  if (opts.platform !== false) {
    platform = platformOptionsFromValues(layout, enabled.bigbangValues);
    manifests = withPlatform(manifests, platform);
  }
  const model = buildModel(manifests, { rootNamespace: L.istioNamespace });
  const pkg: ProbedPackageContext = { dir: resolve(dir), name: enabled.packageName, enabled, disabled, probe };
  const sets = ruleSets(opts, true);
  const ctx: RuleContext = { model, layout: L, istioEnabled: true, pkg };
  const findings = runRules(sets.rules, ctx, { ignore: sets.ignore, render: 'istio-enabled' });

  const disabledRules = sets.rules.filter((r) => DISABLED_RENDER_CODES.has(r.meta.code));
  const disabledModel = buildModel(disabled.manifests, { rootNamespace: L.istioNamespace });
  const offFindings = runRules(
    disabledRules,
    { model: disabledModel, layout: L, istioEnabled: false, pkg },
    { ignore: sets.ignore, render: 'istio-disabled' },
  );

  const all = dedupe([...findings, ...sortFindings(offFindings)]);
  const failOn = opts.failOn ?? 'warning';
  return {
    input: { kind: 'package', dir: resolve(dir), packageName: enabled.packageName },
    layout,
    findings: all,
    summary: summarize(all, manifests, ['istio-enabled', 'istio-disabled']),
    rulesRun: sets.run,
    rulesSkipped: sets.skipped,
    failOn,
    exitCode: exitCodeFor(all, failOn),
    platform,
    render: enabled,
    disabledRender: disabled,
  };
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
  const layout = opts.layout ?? 'bb2';
  const loaded = await loadInput({ files }, { layout, platform: opts.platform });
  const sets = ruleSets(opts, false);
  const istioEnabled = istioEnabledIn(loaded.manifests);
  const ctx: RuleContext = { model: loaded.model, layout: LAYOUTS[layout], istioEnabled };
  const findings = dedupe(runRules(sets.rules, ctx, { ignore: sets.ignore, render: 'input' }));
  const failOn = opts.failOn ?? 'warning';
  return {
    input: { kind: 'manifests', files, istioEnabled },
    layout,
    findings,
    summary: summarize(findings, loaded.manifests, ['input']),
    rulesRun: sets.run,
    rulesSkipped: sets.skipped,
    failOn,
    exitCode: exitCodeFor(findings, failOn),
    platform: loaded.platform,
  };
}
