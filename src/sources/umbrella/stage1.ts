// Stage 1 through the umbrella: `helm template bigbang <chart> -n bigbang` with the umbrella's own
// values.yaml (Helm reads it), then the environment values, -f files and --set, exactly as
// `helm upgrade bigbang ./chart -f env.yaml` would.
import { join, resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { loadManifests } from '../../manifest/load.js';
import type { Manifest } from '../../manifest/types.js';
import { requireRegularFile } from '../files.js';
import { apiArgs, valueFlagArgs } from '../render/args.js';
import { missingDependencies } from '../flux/dependencies.js';
import { checkHelmVersion, helmErrorMessage, run } from '../render/helm.js';
import type { RenderOptions } from '../render/types.js';
import { mergedValues } from '../render/values-file.js';
import { parseSet, type Values } from '../render/values.js';

/** The umbrella's release and namespace, as Big Bang installs it. */
export const UMBRELLA_RELEASE = 'bigbang';
export const UMBRELLA_NAMESPACE = 'bigbang';

/** The stage-1 objects of `kinds` from the umbrella's render, positioned in its stream. */
export function stage1Objects(text: string, chartDir: string, kinds: Set<string>): Manifest[] {
  return loadManifests(text, {
    file: 'bigbang (stage 1)',
    stage: 'bigbang',
    defaultNamespace: UMBRELLA_NAMESPACE,
    chartDir,
    release: UMBRELLA_RELEASE,
    kinds,
  });
}

/** Values files after the umbrella's values.yaml: environment values, then -f. */
export function userValueFiles(opts: RenderOptions): string[] {
  const files = [...(opts.umbrellaValues ?? []), ...(opts.values ?? [])].map((f) => resolve(f));
  for (const f of files) requireRegularFile(f, 'values file'); // never a device or pipe: Helm would read it without end
  return files;
}

/** A chart on the user's disk whose dependencies are not in charts/: bbmesh does not write there. */
export function requireDependencies(chartDir: string, what: string): void {
  const missing = missingDependencies(chartDir);
  if (!missing.length) return;
  throw new UserError(`${what} needs dependencies that are not in charts/: ${missing.map((d) => d.name).join(', ')}`, {
    file: join(chartDir, 'Chart.yaml'),
    hint: `run \`helm dependency build ${chartDir}\` first`,
  });
}

/** The umbrella's values as Helm merges them for stage 1. */
export function umbrellaValues(chartDir: string, opts: RenderOptions, extraSet: string[] = []): Values {
  const set = [...(opts.set ?? []), ...extraSet];
  for (const s of set) parseSet(s);
  return mergedValues([join(chartDir, 'values.yaml'), ...userValueFiles(opts)], { ...opts, set });
}

/**
 * Renders the umbrella chart at `chartDir`, which may be an overlay copy: `realPath` maps its files
 * back to the user's for messages. `kubeVersion` is the resolved one (the umbrella's floor unless given).
 */
export async function renderStage1(
  helm: string,
  chartDir: string,
  opts: RenderOptions,
  extraSet: string[],
  kubeVersion: string,
  realPath: (file: string) => string = (f) => f,
): Promise<string> {
  const files = userValueFiles(opts);
  const args = [
    'template',
    UMBRELLA_RELEASE,
    chartDir,
    '-n',
    UMBRELLA_NAMESPACE,
    ...files.flatMap((f) => ['-f', f]),
    ...valueFlagArgs(opts, extraSet),
    ...apiArgs(kubeVersion, opts.istioApis),
  ];
  const [r] = await Promise.all([run(helm, args), checkHelmVersion(helm)]);
  if (r.code === 0) return r.stdout;
  const floor = /requires kubeVersion:\s*([^\s]+(?:\s+[^\s]+)?)\s+which is incompatible/.exec(r.stderr);
  if (floor) {
    throw new UserError(`the umbrella chart requires kubeVersion ${floor[1]}; it was rendered for Kubernetes ${kubeVersion}`, {
      file: realPath(join(chartDir, 'Chart.yaml')),
      hint: `pass --kube-version with a version the constraint admits (or leave it out: bbmesh then uses the chart's minimum)`,
    });
  }
  const err = helmErrorMessage(r.stderr, chartDir);
  if (!err.file || realPath(err.file) === err.file) throw err;
  throw new UserError(err.message, { file: realPath(err.file), line: err.line, column: err.column, hint: err.hint });
}
