// `bbmesh render`: the package rendered exactly as Big Bang + Flux would, in two stages.
//  1. helm template bigbang-<pkg> <pkg>/bigbang -n bigbang  (umbrella values, bigbang/values.yaml, -f, --set)
//  2. for each HelmRelease of stage 1 whose chart is <pkg>/chart: merge values like Flux
//     (valuesFrom in order, then spec.values) and helm template the chart under Flux's release name.
// With `umbrella` set, stage 1 is the real umbrella chart instead (see ../umbrella/index.ts).
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { apiArgs } from './args.js';
import { takeEarlyStart } from './early.js';
import { defaultKubeVersion } from './kube-version.js';
import { checkHelmVersion, findHelm, helmErrorMessage, run } from './helm.js';
import { builtinUmbrellaFiles, packageNameOf, readChartName, stage1Args } from './stage1.js';
import type { ReleaseInfo, RenderHooks, RenderOptions, RenderResult } from './types.js';
import { parseSet } from './values.js';
import { surelyBb2 } from '../layout-hint.js';
import type { Manifest } from '../../manifest/types.js';

export type { ReleaseInfo, RenderOptions, RenderResult } from './types.js';
export { BUILTIN_UMBRELLA, branchOptions, packageNameOf, readChartName } from './stage1.js';

/** The stand-in for the umbrella values, by layout (the user's --layout, else the chart's bb-common dependency). */
async function builtinUmbrella(pkgDir: string, layout: RenderOptions['layout']): Promise<string[]> {
  return builtinUmbrellaFiles(layout ?? surelyBb2(pkgDir) ?? (await import('../layout-detect.js')).chooseLayout(pkgDir).layout);
}

function requireDir(dir: string, what: string, hint: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${what} not found: ${dir}`, { hint });
}

export async function renderPackage(packageDir: string, opts: RenderOptions = {}, hooks: RenderHooks = {}): Promise<RenderResult> {
  const pkgDir = resolve(packageDir);
  requireDir(pkgDir, 'package directory', 'pass the directory that holds bigbang/ and chart/');
  if (opts.umbrella) {
    const { renderThroughUmbrella } = await import('../umbrella/package.js');
    return renderThroughUmbrella(pkgDir, opts);
  }
  const bbDir = join(pkgDir, 'bigbang');
  const chartDir = join(pkgDir, 'chart');
  requireDir(
    bbDir,
    'bigbang/ dev chart',
    "run `bbmesh integrate` to scaffold it, pass --umbrella BIGBANG_CHECKOUT, or see Big Bang's flux.md",
  );
  requireDir(chartDir, 'chart/ directory', 'a Big Bang package keeps its Helm chart in chart/');
  const pkg = packageNameOf(pkgDir, opts.packageName);
  const helm = findHelm(opts.helm);
  const kubeVersion = opts.kubeVersion ?? defaultKubeVersion([bbDir, chartDir]);

  const umbrella = opts.umbrellaValues?.length ? opts.umbrellaValues.map((f) => resolve(f)) : await builtinUmbrella(pkgDir, opts.layout);
  const files = [...umbrella, join(bbDir, 'values.yaml'), ...(opts.values ?? []).map((f) => resolve(f))];
  const { requireRegularFile } = await import('../files.js');
  for (const f of files) requireRegularFile(f, 'values file'); // never a device or pipe: Helm would read it without end
  for (const s of opts.set ?? []) parseSet(s);

  // Start Helm first: everything below overlaps with it.
  const args = stage1Args(pkg, bbDir, files, opts, kubeVersion);
  const stage1 = takeEarlyStart(helm, args) ?? run(helm, args);
  const version = checkHelmVersion(helm);
  // Loaded side by side while Helm runs: one after another they can outlast stage 1.
  const [{ loadManifests }, { mergedValues }, { releaseOf, releaseValues }, { RenderStream, parseStream }, { renderRelease }] =
    await Promise.all([
      import('../../manifest/load.js'),
      import('./values-file.js'),
      import('./releases.js'),
      import('./stream.js'),
      import('./stage2.js'),
    ]);
  const bigbangValues = mergedValues(files, opts);

  await version;
  const r1 = await stage1;
  if (r1.code !== 0) throw helmErrorMessage(r1.stderr, bbDir);

  // Stage 2 needs only the HelmReleases and the values they reference.
  const stage1Manifests = loadManifests(r1.stdout, {
    file: 'bigbang (stage 1)',
    stage: 'bigbang',
    defaultNamespace: 'bigbang',
    chartDir: bbDir,
    release: `bigbang-${pkg}`,
    kinds: new Set(['HelmRelease', 'Secret', 'ConfigMap']),
  });
  const chartName = readChartName(chartDir);
  const releases: ReleaseInfo[] = [];
  const postRenderers: unknown[] = [];
  for (const hr of stage1Manifests.filter((m) => m.kind === 'HelmRelease')) {
    if (!chartIsLocal(hr, pkgDir, chartDir, chartName)) continue;
    releases.push(releaseOf(hr, chartDir, releaseValues(hr, stage1Manifests, { dir: bbDir, label: 'the bigbang/ chart' })));
    postRenderers.push((hr.obj.spec as { postRenderers?: unknown } | undefined)?.postRenderers);
  }

  const caps = apiArgs(kubeVersion, opts.istioApis);
  const again = { helm, capabilities: caps, postRenderers };
  hooks.afterStage1?.({ packageDir: pkgDir, packageName: pkg, releases, bigbangValues, stage2: again });

  // Stage 2, all releases in parallel.
  const tmp = mkdtempSync(join(tmpdir(), 'bbmesh-'));
  let stage2: string[][];
  try {
    stage2 = await Promise.all(releases.map((rel, i) => renderRelease(helm, rel, caps, tmp, postRenderers[i]).catch(asUserError(rel))));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  // One stream: stage 1 then stage 2, each document tagged with its stage and namespace made explicit.
  const stream = new RenderStream(opts.showSecrets);
  stream.add(r1.stdout, 'bigbang', `bigbang-${pkg}`, 'bigbang');
  releases.forEach((rel, i) => stream.addDocuments(stage2[i], 'package', rel.releaseName, rel.namespace));
  const text = stream.text();
  (await import('../../manifest/load.js')).assertWithinBounds(text, 'rendered');

  // Parsed on first use (printing the YAML needs no parse): positions refer to what `render` prints.
  let manifests: Manifest[] | undefined;
  return {
    packageDir: pkgDir,
    packageName: pkg,
    text,
    releases,
    bigbangValues,
    stage2: again,
    get manifests() {
      return (manifests ??= parseStream(
        text,
        (stage, rel) => (stage === 'package' ? releases.find((r) => r.releaseName === rel)?.chartDir : bbDir),
        stream.certificates,
      ));
    },
  };
}

/** A post-renderer that kustomize would refuse is bad input: one line naming the HelmRelease. */
export function asUserError(rel: ReleaseInfo): (err: unknown) => never {
  return (err) => {
    if (err instanceof UserError) throw err;
    const hr = `${rel.helmRelease.namespace}/${rel.helmRelease.name}`;
    throw new UserError(`HelmRelease ${hr}: ${err instanceof Error ? err.message : String(err)}`, {
      hint: 'fix the postRenderers of the HelmRelease (bigbang/ values <pkg>.postRenderers)',
    });
  };
}

/** Whether a stage-1 HelmRelease's chart is the package's chart/ (a GitRepository path, or the chart's name). */
function chartIsLocal(hr: Manifest, pkgDir: string, chartDir: string, chartName: string | undefined): boolean {
  const spec = hr.obj.spec as { chart?: { spec?: { chart?: unknown; sourceRef?: { kind?: unknown } } } } | undefined;
  const cs = spec?.chart?.spec;
  if (typeof cs?.chart !== 'string') return false;
  const kind = cs.sourceRef?.kind;
  if (kind === 'GitRepository' || !kind) return resolve(pkgDir, cs.chart) === chartDir;
  return cs.chart === chartName;
}
