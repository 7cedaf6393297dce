// The arguments of stage 1 (`helm template bigbang-<pkg> <pkg>/bigbang`), in one place for the render and
// for the CLI's early start (early.ts), which must build exactly the same call to have its run taken.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { LAYOUTS, type LayoutName } from '../../core/layout.js';
import { PROJECT_ROOT } from '../../core/paths.js';
import { apiArgs, valueFlagArgs } from './args.js';
import type { RenderOptions } from './types.js';

export const BUILTIN_UMBRELLA = join(PROJECT_ROOT, 'src', 'sources', 'render', 'umbrella-defaults.yaml');
/** On top of the stand-in for 3.x packages: what the 3.x umbrella's values.yaml says differently (its domain). */
const BUILTIN_UMBRELLA_BB3 = join(PROJECT_ROOT, 'src', 'sources', 'render', 'umbrella-defaults-bb3.yaml');

/** The stand-in for the umbrella values of a layout. */
export function builtinUmbrellaFiles(layout: 'bb2' | 'bb3'): string[] {
  return layout === 'bb3' ? [BUILTIN_UMBRELLA, BUILTIN_UMBRELLA_BB3] : [BUILTIN_UMBRELLA];
}

export function readChartName(chartDir: string): string | undefined {
  const f = join(chartDir, 'Chart.yaml');
  if (!existsSync(f)) return undefined;
  const m = /^name:\s*["']?([^"'\s#]+)/m.exec(readFileSync(f, 'utf8'));
  return m?.[1];
}

export function packageNameOf(packageDir: string, explicit?: string): string {
  if (explicit) return explicit;
  const bb = readChartName(join(packageDir, 'bigbang'));
  if (bb?.startsWith('bigbang-')) return bb.slice('bigbang-'.length);
  return readChartName(join(packageDir, 'chart')) ?? basename(resolve(packageDir));
}

export function stage1Args(pkg: string, bbDir: string, files: string[], opts: RenderOptions, kubeVersion: string): string[] {
  return [
    'template',
    `bigbang-${pkg}`,
    bbDir,
    '-n',
    'bigbang',
    ...files.flatMap((f) => ['-f', f]),
    ...valueFlagArgs(opts),
    ...apiArgs(kubeVersion, opts.istioApis),
  ];
}

/** The options of one of check's renders: the layout's Istio key on or off (off also hides the Istio APIs). */
export function branchOptions(layout: LayoutName, on: boolean, opts: RenderOptions = {}): RenderOptions {
  return {
    ...opts,
    layout,
    set: [`${LAYOUTS[layout].istioEnabledKey}=${on}`, ...(opts.set ?? [])],
    umbrella: opts.umbrella ? { ...opts.umbrella, layout } : undefined,
    istioApis: on && opts.istioApis !== false,
  };
}
