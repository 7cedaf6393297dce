// `bbmesh integrate`: the six edits of Big Bang's service-mesh guide (bb2, plan-bb2.ts), or the 3.x
// integration with the bb-common library (bb3, plan-bb3.ts), done on a package directory: learned from
// a render of the chart, checked by rendering the result (Istio on and off) before anything is written,
// committed as a journaled transaction (all files or none, even under a kill), idempotent, and keeping
// every byte outside the edited blocks.
import { existsSync, mkdtempSync, realpathSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { layoutNamed, type LayoutName } from '../core/layout.js';
import { gitDirty } from './dirty.js';
import { recoverOne, transactionDirs, type RecoveredTransaction } from './journal.js';
import { planGuide } from './plan-bb2.js';
import { planLibrary } from './plan-bb3.js';
import { checkRenders, type CheckOptions, type RenderSettings } from './preview.js';
import { Transaction, type CommitHooks } from './transaction.js';
import type { PlanOptions, StepReport } from './types.js';
import { readChartName } from './virtualservice.js';
import { unifiedDiff, Workspace } from './workspace.js';

export type { StepReport, StepId, StepStatus } from './types.js';
export type { LayoutName } from '../core/layout.js';
export type { RecoveredTransaction, RecoveryOutcome } from './journal.js';
export type { CommitHooks } from './transaction.js';

export interface IntegrateOptions extends PlanOptions {
  layout?: LayoutName | string;
  /** Package name (the umbrella's key); default from bigbang/Chart.yaml (`bigbang-<pkg>`), else the chart's name. */
  package?: string;
  /** Namespace the package deploys into; default from bigbang/'s HelmRelease, else the package name. */
  namespace?: string;
  dryRun?: boolean;
  /** Write even when the files to edit have uncommitted changes in git. */
  allowDirty?: boolean;
  /** For the renders: helm binary, Kubernetes version, umbrella values files, Helm's value flags for bigbang/. */
  render?: RenderSettings;
  /** Shorthands of `render` (kept for callers of the library API). */
  helm?: string;
  kubeVersion?: string;
  umbrellaValues?: string[];
  /** Test hooks for the transactional writer. */
  hooks?: CommitHooks;
}

export interface IntegrateResult {
  packageDir: string;
  packageName: string;
  namespace: string;
  layout: LayoutName;
  dryRun: boolean;
  /** Nothing to change: every step was already present (or skipped). */
  alreadyIntegrated: boolean;
  /** Whether files were written (false with --dry-run). */
  written: boolean;
  /** Whether the result was rendered (Istio on and off) before it was written; false when it could not be (see notes). */
  renderChecked: boolean;
  steps: StepReport[];
  files: { path: string; action: 'create' | 'modify' }[];
  /** Unified diff of every change (empty when nothing changes). */
  diff: string;
  /** Interrupted transactions found and settled before this run. */
  recovered: RecoveredTransaction[];
  /** What integrate assumed or learned, for the user to check. */
  notes: string[];
}

/** integrate refused to write (the result would not render): the edits it would have made, for --dry-run. */
export class IntegrateRefused extends UserError {
  constructor(
    err: UserError,
    readonly diff: string,
  ) {
    super(err.message, { file: err.file, line: err.line, column: err.column, hint: err.hint });
  }
}

/** Step titles; step 2 is `VirtualService` in Big Bang 1.x/2.x and `bb-common library` in 3.x. */
export const STEP_TITLES: Record<string, string> = {
  scaffold: 'bigbang/ dev chart',
  1: 'sidecar injection',
  2: 'VirtualService',
  3: 'package defaults',
  4: 'Big Bang defaults',
  5: 'passdowns',
  6: 'ordering',
};

/**
 * Settles the integrate transactions a killed bbmesh left in `<packageDir>/.bbmesh/`: each one is
 * completed when all its files were written, else rolled back; staging files of one that never started
 * writing are removed. Every bbmesh command that reads a package calls this first and prints the messages.
 */
export function recoverTransactions(packageDir: string): RecoveredTransaction[] {
  let root: string;
  try {
    root = realpathSync(resolve(packageDir));
  } catch {
    return [];
  }
  return transactionDirs(root).map((name) => recoverOne(root, name, 'auto'));
}

const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function packageName(ws: Workspace, notes: string[], explicit?: string): string {
  if (explicit) return explicit;
  const bb = /^name:\s*["']?([^"'\s#]+)/m.exec(ws.read('bigbang/Chart.yaml') ?? '')?.[1];
  if (bb?.startsWith('bigbang-')) return bb.slice('bigbang-'.length);
  const chart = readChartName(ws);
  if (!chart) throw new UserError('cannot tell the package name', { file: 'chart/Chart.yaml', hint: 'pass --package NAME' });
  notes.push(`package name "${chart}" taken from chart/Chart.yaml; pass --package with the umbrella's name for it if it differs`);
  return chart;
}

function namespaceOf(ws: Workspace, pkg: string, explicit?: string): string {
  const hr = ws.read(`bigbang/templates/${pkg}/helmrelease.yaml`);
  const existing = hr === null ? undefined : /^\s+targetNamespace:\s*["']?([a-z0-9-]+)["']?\s*$/m.exec(hr)?.[1];
  if (explicit && existing && explicit !== existing) {
    throw new UserError(`--namespace ${explicit}: bigbang/templates/${pkg}/helmrelease.yaml deploys into ${existing}`, {
      file: `bigbang/templates/${pkg}/helmrelease.yaml`,
      hint: `change its targetNamespace (and namespace.yaml) by hand, or drop --namespace`,
    });
  }
  return explicit ?? existing ?? pkg;
}

export async function integratePackage(dir: string, opts: IntegrateOptions = {}): Promise<IntegrateResult> {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory())
    throw new UserError(`package directory not found: ${dir}`, { hint: 'pass the directory that holds chart/ (and bigbang/)' });
  const recovered = recoverTransactions(abs);
  const stuck = recovered.find((r) => r.outcome === 'in-progress' || r.outcome === 'conflict');
  if (stuck) throw new UserError(stuck.message);
  const layout = layoutNamed(opts.layout);
  const ws = new Workspace(abs);
  if (!ws.isDir('chart') || !ws.exists('chart/Chart.yaml')) {
    throw new UserError(`no Helm chart in ${dir}/chart`, {
      hint: 'a Big Bang package keeps its Helm chart in chart/; pass the package directory',
    });
  }
  const notes: string[] = [];
  const pkg = packageName(ws, notes, opts.package);
  if (!DNS1123.test(pkg) || pkg.length > 53) {
    throw new UserError(`invalid package name "${pkg}"`, {
      hint: 'pass --package with a DNS-1123 name of at most 53 characters, such as podinfo',
    });
  }
  const namespace = namespaceOf(ws, pkg, opts.namespace);
  if (!DNS1123.test(namespace) || namespace.length > 63)
    throw new UserError(`invalid namespace "${namespace}"`, { hint: 'pass --namespace with a DNS-1123 label such as monitoring' });
  const settings: RenderSettings = {
    helm: opts.helm,
    kubeVersion: opts.kubeVersion,
    umbrellaValues: opts.umbrellaValues?.length ? opts.umbrellaValues : undefined,
    ...opts.render,
  };
  // A values file that is not there is the user's to fix, not something integrate would break.
  for (const f of [...(settings.umbrellaValues ?? []), ...(settings.values ?? [])])
    if (!existsSync(f) || !statSync(f).isFile()) throw new UserError(`values file not found: ${f}`, { hint: 'check the path' });
  const input = { ws, pkg, namespace, layout, opts, settings, notes };
  const plan = layout.name === 'bb3' ? await planLibrary(input) : await planGuide(input);
  const { steps } = plan;

  const changes = ws.changes();
  const diff = unifiedDiff(changes);
  const check: CheckOptions = {
    layout: layout.name,
    pkg,
    settings,
    hadBigbang: existsSync(join(ws.root, 'bigbang', 'Chart.yaml')),
    prepare: 'prepare' in plan.check ? plan.check.prepare : undefined,
  };
  const skip = 'skip' in plan.check ? plan.check.skip : undefined;
  let written = false;
  if (changes.length && opts.dryRun && !skip) {
    try {
      await checkRenders(ws.root, mkdtempSync(join(tmpdir(), 'bbmesh-preview-')), changes, check);
    } catch (err) {
      throw err instanceof UserError ? new IntegrateRefused(err, diff) : err;
    }
  } else if (changes.length && !opts.dryRun) {
    if (!opts.allowDirty) {
      const dirty = gitDirty(ws.root, changes);
      if (dirty.length) {
        throw new UserError(`uncommitted changes in ${dirty.join(', ')}`, {
          hint: 'commit or stash them first so the integration can be reviewed and reverted with git, or pass --allow-dirty',
        });
      }
    }
    const tx = await Transaction.begin(ws.root, opts.hooks);
    try {
      if (!skip) await checkRenders(ws.root, join(tx.dir, 'preview'), changes, { ...check, step: (what) => tx.step(what) });
      await tx.commit(changes);
    } finally {
      tx.end();
    }
    written = true;
  }
  return {
    packageDir: ws.root,
    packageName: pkg,
    namespace,
    layout: layout.name,
    dryRun: !!opts.dryRun,
    alreadyIntegrated: changes.length === 0,
    written,
    renderChecked: changes.length > 0 && !skip,
    steps,
    files: changes.map((c) => ({ path: c.rel, action: c.before === null ? 'create' : 'modify' })),
    diff,
    recovered,
    notes,
  };
}
