// Before anything is written: the integrated package is assembled in a scratch directory and rendered
// by real Helm with Istio on and off, so integrate refuses (with Helm's own message) what would break.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../core/errors.js';
import { LAYOUTS, type LayoutName } from '../core/layout.js';
import type { RenderOptions } from '../sources/render/index.js';
import type { FileChange } from './workspace.js';

/** What the package's own renders need from the caller: Helm, Kubernetes version, umbrella values, Helm's value flags. */
export type RenderSettings = Pick<
  RenderOptions,
  'helm' | 'kubeVersion' | 'umbrellaValues' | 'values' | 'set' | 'setString' | 'setFile' | 'setJson'
>;

export function renderOptions(pkg: string, settings: RenderSettings): RenderOptions {
  return { ...settings, packageName: pkg };
}

/** How the result is checked: the package, the caller's renders, and what to add to each scratch copy. */
export interface CheckOptions {
  layout: LayoutName;
  pkg: string;
  settings: RenderSettings;
  hadBigbang: boolean;
  /** Told of each write to the scratch directory (the transaction's journal). */
  step?: (what: string) => Promise<void>;
  /** Completes an assembled copy before it is rendered (vendors a library chart integrate could resolve). */
  prepare?: (dir: string) => Promise<void>;
}

const PARTS = ['bigbang', 'chart'];

/** Copies bigbang/ and chart/ (symlinks followed) to `dir` and applies the changes there. */
export function assemble(root: string, dir: string, changes: FileChange[] = []): void {
  mkdirSync(dir, { recursive: true });
  for (const part of PARTS) {
    const src = join(root, part);
    if (existsSync(src)) cpSync(src, join(dir, part), { recursive: true, dereference: true, filter: (s) => basename(s) !== '.git' });
  }
  for (const c of changes) {
    const p = join(dir, ...c.rel.split('/'));
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, c.after);
  }
}

/** A Helm error from the scratch copy, with its paths pointing at the package again. */
function relocated(err: UserError, scratch: string, root: string): UserError {
  const fix = (s?: string) => s?.split(scratch).join(root);
  return new UserError(fix(err.message)!, { file: fix(err.file), line: err.line, column: err.column, hint: fix(err.hint) });
}

export async function renderBoth(
  dir: string,
  layout: LayoutName,
  pkg: string,
  settings: RenderSettings,
): Promise<{ branch: 'istio-enabled' | 'istio-disabled'; error: UserError } | undefined> {
  const { renderBranch } = await import('../sources/index.js');
  const opts = renderOptions(pkg, settings);
  const branches = ['istio-enabled', 'istio-disabled'] as const;
  const results = await Promise.allSettled(branches.map((b) => renderBranch(dir, b, layout, opts).then((r) => r.manifests.length)));
  for (const [i, r] of results.entries()) {
    if (r.status === 'fulfilled') continue;
    if (r.reason instanceof UserError) return { branch: branches[i], error: r.reason };
    throw r.reason;
  }
  return undefined;
}

/**
 * Renders the package as integrate would leave it, Istio on and off; throws a UserError with Helm's
 * message when either fails. `scratch` is removed afterwards; `step` is told of each write to it.
 */
export async function checkRenders(root: string, scratch: string, changes: FileChange[], o: CheckOptions): Promise<void> {
  const after = join(scratch, 'after');
  let refusal: UserError | undefined;
  try {
    assemble(root, after, changes);
    await o.prepare?.(after);
    await o.step?.('preview assembled');
    const failed = await renderBoth(after, o.layout, o.pkg, o.settings);
    if (failed) refusal = await explain(root, scratch, failed, o);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (refusal) throw refusal;
  await o.step?.('preview removed');
}

async function explain(
  root: string,
  scratch: string,
  failed: { branch: 'istio-enabled' | 'istio-disabled'; error: UserError },
  o: CheckOptions,
): Promise<UserError> {
  const { layout, pkg, settings, hadBigbang } = o;
  const key = LAYOUTS[layout].istioEnabledKey;
  const how = `with Istio ${failed.branch === 'istio-enabled' ? 'on' : 'off'} (${key}=${failed.branch === 'istio-enabled'})`;
  const helm = relocated(failed.error, join(scratch, 'after'), root);
  // Was it broken before integrate touched it? Then say so: integrate is not the cause.
  if (hadBigbang) {
    const before = join(scratch, 'before');
    assemble(root, before);
    await o.prepare?.(before);
    const already = await renderBoth(before, layout, pkg, settings);
    if (already?.branch === failed.branch) {
      const was = relocated(already.error, before, root);
      return new UserError(`the package does not render ${how} even before integrate; nothing written: ${was.message}`, {
        file: was.file,
        line: was.line,
        column: was.column,
        hint: was.hint,
      });
    }
  }
  return new UserError(`integrate would break the chart, so nothing was written: ${how} ${helm.message}`, {
    file: helm.file,
    line: helm.line,
    column: helm.column,
    hint: helm.hint ? `${helm.hint}; run with --dry-run to see the edits` : 'run with --dry-run to see the edits',
  });
}
