// Stage 1 of a package render started before the CLI has loaded (bin/bbmesh.js runs this first, from
// its own small bundle): Helm then works while the flag parser and the commands load. A run is taken
// only by a render that asks for exactly the same binary and arguments; one never taken only read files.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { surelyBb2 } from '../layout-hint.js';
import { findHelm, run, type RunResult } from './helm.js';
import { defaultKubeVersion } from './kube-version.js';
import { branchOptions, builtinUmbrellaFiles, packageNameOf, stage1Args } from './stage1.js';
import type { RenderOptions } from './types.js';

// On globalThis: the early bundle and the CLI's bundle each hold a copy of this module, and must share the runs.
const REGISTRY = Symbol.for('bbmesh.early-stage1');
interface Registry {
  runs: Map<string, Promise<RunResult>>;
  started: Set<string>;
}
function registry(): Registry {
  const g = globalThis as { [REGISTRY]?: Registry };
  return (g[REGISTRY] ??= { runs: new Map(), started: new Set() });
}

/** The run started early for exactly this call, once. */
export function takeEarlyStart(helm: string, args: string[]): Promise<RunResult> | undefined {
  const { runs } = registry();
  const key = JSON.stringify([helm, args]);
  const r = runs.get(key);
  runs.delete(key);
  return r;
}

// Flags of `check <dir>` that change neither its renders nor the branches it needs.
const CHECK_FLAGS_WITH_VALUE = new Set(['-o', '--output', '--format', '--fail-on']);
const CHECK_FLAGS = new Set(['--no-color', '--no-platform']);

/**
 * The package directory of `bbmesh render <dir>` or `bbmesh check <dir>` in their plain forms (check: also
 * with output and exit-code flags), whose renders can start before the flags are parsed. Not when an
 * interrupted integrate is to be settled first (the files may change).
 */
export function earlyForm(argv: string[]): { command: 'render' | 'check'; dir: string } | undefined {
  const [command, ...rest] = argv;
  if (command !== 'render' && command !== 'check') return undefined;
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const flag = a.split('=')[0];
    if (!a.startsWith('-')) positional.push(a);
    else if (command !== 'check') return undefined;
    else if (CHECK_FLAGS_WITH_VALUE.has(flag)) i += a.includes('=') ? 0 : 1;
    else if (!CHECK_FLAGS.has(a)) return undefined;
  }
  if (positional.length !== 1 || existsSync(join(positional[0], '.bbmesh'))) return undefined;
  return { command, dir: positional[0] };
}

/**
 * Starts stage 1 for the early form of `argv` (render: the plain render; check: Istio on and off), at
 * most once per process. Only for a 2.x dev layout that the chart's text settles; anything else is left
 * to the normal path.
 */
export function startEarly(argv: string[]): void {
  const { runs, started } = registry();
  try {
    const form = earlyForm(argv);
    if (!form || started.has(form.dir)) return;
    started.add(form.dir);
    const pkgDir = resolve(form.dir);
    const bbDir = join(pkgDir, 'bigbang');
    if (!existsSync(join(bbDir, 'Chart.yaml')) || !existsSync(join(pkgDir, 'chart')) || !surelyBb2(pkgDir)) return;
    const helm = findHelm(undefined);
    const kubeVersion = defaultKubeVersion([bbDir, join(pkgDir, 'chart')]);
    const files = [...builtinUmbrellaFiles('bb2'), join(bbDir, 'values.yaml')];
    // What renderPackage is asked: render with no options; check its two branches.
    const variants: RenderOptions[] = form.command === 'render' ? [{}] : [true, false].map((on) => branchOptions('bb2', on));
    for (const opts of variants) {
      const args = stage1Args(packageNameOf(pkgDir), bbDir, files, opts, kubeVersion);
      runs.set(JSON.stringify([helm, args]), run(helm, args));
    }
  } catch {
    runs.clear();
  }
}
