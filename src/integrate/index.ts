// `bbmesh integrate`: the six edits of Big Bang's service-mesh guide, done on a package directory,
// transactionally (all files or none), idempotently, keeping every byte outside the edited blocks.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { stepBigbangValues } from './bigbang-values.js';
import { stepDependsOn } from './depends-on.js';
import { layoutNamed, type LayoutName } from '../core/layout.js';
import { VALUES_KEY } from './layouts.js';
import { stepNamespace } from './namespace.js';
import { stepPackageValues } from './package-values.js';
import { stepPassdown } from './passdown.js';
import { stepScaffold } from './scaffold.js';
import type { StepContext, StepReport } from './types.js';
import { chooseTargets, defaultHost, existingVirtualService, readChartName, stepVirtualService, type VsTarget } from './virtualservice.js';
import { commit, gitDirty, unifiedDiff, Workspace, type CommitHooks } from './writer.js';

export type { StepReport, StepId, StepStatus } from './types.js';
export type { LayoutName } from '../core/layout.js';

export interface IntegrateOptions {
  layout?: LayoutName | string;
  /** Package name; default from bigbang/Chart.yaml (`bigbang-<pkg>`), else the chart's name. */
  package?: string;
  /** Services to expose (ids, names or template file names); required when the chart has several. */
  service?: readonly string[];
  /** HTTP port of the exposed Service(s): a number or a values path (`service.port`). */
  port?: string;
  dryRun?: boolean;
  /** Regenerate the generated VirtualService template. */
  force?: boolean;
  /** Write even when the files to edit have uncommitted changes in git. */
  allowDirty?: boolean;
  /** Test hooks for the transactional writer. */
  hooks?: CommitHooks;
}

export interface IntegrateResult {
  packageDir: string;
  packageName: string;
  layout: LayoutName;
  dryRun: boolean;
  /** Nothing to change: every step was already present (or skipped). */
  alreadyIntegrated: boolean;
  /** Whether files were written (false with --dry-run). */
  written: boolean;
  steps: StepReport[];
  files: { path: string; action: 'create' | 'modify' }[];
  /** Unified diff of every change (empty when nothing changes). */
  diff: string;
}

export const STEP_TITLES: Record<string, string> = {
  scaffold: 'bigbang/ dev chart',
  1: 'sidecar injection',
  2: 'VirtualService',
  3: 'package defaults',
  4: 'Big Bang defaults',
  5: 'passdowns',
  6: 'ordering',
};

function packageName(ws: Workspace, explicit?: string): string {
  if (explicit) return explicit;
  const bb = /^name:\s*["']?([^"'\s#]+)/m.exec(ws.read('bigbang/Chart.yaml') ?? '')?.[1];
  if (bb?.startsWith('bigbang-')) return bb.slice('bigbang-'.length);
  const chart = readChartName(ws);
  if (!chart) throw new UserError('cannot tell the package name', { file: 'chart/Chart.yaml', hint: 'pass --package NAME' });
  return chart;
}

export async function integratePackage(dir: string, opts: IntegrateOptions = {}): Promise<IntegrateResult> {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory())
    throw new UserError(`package directory not found: ${dir}`, { hint: 'pass the directory that holds chart/ (and bigbang/)' });
  const layout = layoutNamed(opts.layout);
  const ws = new Workspace(abs);
  if (!ws.isDir('chart') || !ws.exists('chart/Chart.yaml')) {
    throw new UserError(`no Helm chart in ${dir}/chart`, {
      hint: 'a Big Bang package keeps its Helm chart in chart/; pass the package directory',
    });
  }
  const pkg = packageName(ws, opts.package);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(pkg)) {
    throw new UserError(`invalid package name "${pkg}"`, { hint: 'pass --package with a DNS-1123 name such as podinfo' });
  }

  // Analysis first: a chart we cannot read stops everything before any edit.
  const existing = existingVirtualService(ws, VALUES_KEY);
  let targets: VsTarget[] | undefined;
  let keys: string[];
  if (!existing || opts.force) {
    targets = chooseTargets(ws, pkg, opts);
    keys = targets.map((t) => t.key);
  } else {
    keys = existing.keys.length ? existing.keys : [pkg];
  }
  const hosts = new Map(keys.map((k) => [k, defaultHost(pkg, k)]));
  const ctx: StepContext = { ws, pkg, layout, keys, hosts };

  const steps: StepReport[] = [];
  steps.push(stepScaffold(ws, pkg));
  steps.push(stepNamespace(ctx));
  steps.push(stepVirtualService(ws, pkg, layout, targets, existing, !!opts.force));
  steps.push(stepPackageValues(ctx, layout.defaultDomain));
  steps.push(stepBigbangValues(ctx));
  steps.push(stepPassdown(ctx));
  steps.push(stepDependsOn(ctx));

  const changes = ws.changes();
  const diff = unifiedDiff(changes);
  let written = false;
  if (!opts.dryRun && changes.length) {
    if (!opts.allowDirty) {
      const dirty = gitDirty(
        ws.root,
        changes.filter((c) => c.before !== null).map((c) => c.rel),
      );
      if (dirty.length) {
        throw new UserError(`uncommitted changes in ${dirty.join(', ')}`, {
          hint: 'commit or stash them first so the integration can be reviewed and reverted with git, or pass --allow-dirty',
        });
      }
    }
    commit(changes, opts.hooks);
    written = true;
  }
  return {
    packageDir: ws.root,
    packageName: pkg,
    layout: layout.name,
    dryRun: !!opts.dryRun,
    alreadyIntegrated: changes.length === 0,
    written,
    steps,
    files: changes.map((c) => ({ path: c.rel, action: c.before === null ? 'create' : 'modify' })),
    diff,
  };
}
