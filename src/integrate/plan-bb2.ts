// Big Bang 1.x/2.x: the six edits of the service-mesh guide, with a hand-written (generated)
// VirtualService in chart/templates/bigbang/.
import { stepBigbangValues } from './bigbang-values.js';
import { stepDependsOn } from './depends-on.js';
import { VALUES_KEY } from './layouts.js';
import { stepNamespace } from './namespace.js';
import { stepPackageValues } from './package-values.js';
import { stepPassdown } from './passdown.js';
import { learnTargets } from './plan.js';
import { stepScaffold } from './scaffold.js';
import type { VsTarget } from './targets.js';
import type { Plan, PlanInput, StepContext } from './types.js';
import { defaultHost, existingVirtualService, stepVirtualService } from './virtualservice.js';

export async function planGuide(input: PlanInput): Promise<Plan> {
  const { ws, pkg, namespace, layout, opts } = input;
  // Analysis first: a chart we cannot read stops everything before any edit.
  const existing = existingVirtualService(ws, VALUES_KEY);
  let targets: VsTarget[] | undefined;
  let keys: string[];
  if (!existing || opts.force) {
    targets = await learnTargets(input);
    keys = targets.map((t) => t.key);
  } else {
    keys = existing.keys.length ? existing.keys : [pkg];
  }
  const hosts = new Map(keys.map((k) => [k, defaultHost(pkg, k)]));
  const ctx: StepContext = { ws, pkg, layout, keys, hosts };
  const steps = [
    stepScaffold(ws, pkg, namespace),
    stepNamespace(ctx),
    stepVirtualService(ws, pkg, layout, targets, existing, !!opts.force),
    stepPackageValues(ctx, layout.defaultDomain),
    stepBigbangValues(ctx),
    stepPassdown(ctx),
    stepDependsOn(ctx),
  ];
  return { steps, check: {} };
}
