// `bbmesh check --umbrella DIR` without a package: the whole deployment an environment's values give,
// every enabled HelmRelease rendered from its Flux source (sources/umbrella), checked as one mesh. The
// rules that need a package's sources are skipped; the rules that span packages run. Releases that
// could not be rendered are listed (`notRendered`) and the rest is checked all the same; they make the exit
// code 1 (a gate must not pass what it did not check) unless `allowUnchecked`.
import { UserError } from '../core/errors.js';
import { LAYOUTS } from '../core/layout.js';
import { loadMesh } from '../sources/index.js';
import type { NotRendered, UmbrellaRead } from '../sources/umbrella/types.js';
import { istioEnabledIn, platformGateways, ruleSets, summarize, type CheckOptions, type CheckResult } from './check.js';
import { exitCodeFor, runRules, settle, sortFindings } from './rules/engine.js';
import type { RuleContext } from './rules/types.js';

export interface DeploymentCheckResult extends CheckResult {
  /** What was read from the umbrella (show `umbrella.description`). */
  umbrella: UmbrellaRead;
  /** HelmReleases that could not be rendered, one line each (also in JSON output). */
  notRendered: NotRendered[];
}

export async function checkDeployment(opts: CheckOptions): Promise<DeploymentCheckResult> {
  const umbrella = opts.render?.umbrella;
  if (!umbrella) throw new UserError('checking a whole deployment needs --umbrella DIR');
  const loaded = await loadMesh({}, { layout: opts.layout, platform: opts.platform, render: opts.render });
  const render = loaded.render;
  if (!render?.umbrella) throw new Error('a deployment render carries what it read from the umbrella');
  const sets = ruleSets(opts, false);
  const istioEnabled = istioEnabledIn(loaded.manifests);
  const ctx: RuleContext = { model: loaded.model, layout: LAYOUTS[loaded.layout.name], istioEnabled };
  const findings = settle(sets.run, sortFindings(runRules(sets.run, ctx, { render: 'input' })));
  const failOn = opts.failOn ?? 'warning';
  const notRendered = render.notRendered ?? [];
  return {
    input: { kind: 'manifests', files: [render.packageDir], istioEnabled },
    layout: loaded.layout.name,
    findings,
    summary: summarize(findings, loaded.manifests, ['input']),
    rulesRun: sets.run.map((r) => r.meta.code),
    rulesSkipped: sets.skipped,
    failOn,
    exitCode: notRendered.length && !opts.allowUnchecked ? 1 : exitCodeFor(findings, failOn),
    platform: loaded.platform,
    platformGateways: platformGateways(loaded.platform),
    render,
    umbrella: render.umbrella,
    notRendered,
  };
}
