// One package through the umbrella: stage 1 is the real umbrella chart (the package enabled if the
// values leave it off, its bigbang/ overlaid if there is one); only the package's HelmRelease gets
// stage 2, with the local chart/. Stage-1 objects of other packages are context, not findings.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { UserError } from '../../core/errors.js';
import type { Manifest } from '../../manifest/types.js';
import { apiArgs } from '../render/args.js';
import { findHelm } from '../render/helm.js';
import { asUserError, readChartName } from '../render/index.js';
import { releaseOf, releaseValues } from '../render/releases.js';
import { renderRelease } from '../render/stage2.js';
import { parseStream, RenderStream, type StreamStage } from '../render/stream.js';
import type { RenderOptions, RenderResult } from '../render/types.js';
import { mergeValues, parseSet } from '../render/values.js';
import { locateUmbrella } from './locate.js';
import { overlayChart } from './overlay.js';
import { findPackage, kebab, type FoundPackage } from './package-key.js';
import { readUmbrella } from './read.js';
import { renderStage1, requireDependencies, stage1Objects, UMBRELLA_NAMESPACE, UMBRELLA_RELEASE, umbrellaValues } from './stage1.js';
import type { UmbrellaPackage } from './types.js';

const STAGE1_KINDS = new Set(['HelmRelease', 'Secret', 'ConfigMap']);

/** `bigbang/templates/kiali/helmrelease.yaml` → `bigbang/templates/kiali/` (the package's folder of the umbrella). */
export function templateFolder(m: Manifest): string | undefined {
  const t = m.origin.template;
  if (!t) return undefined;
  const i = t.lastIndexOf('/');
  return t.split('/').length > 3 ? t.slice(0, i + 1) : t;
}

function pickRelease(hrs: Manifest[], found: FoundPackage | undefined, pkgDir: string): { hr: Manifest; by?: string } | undefined {
  const names = found ? [found.key, kebab(found.key)] : [readChartName(join(pkgDir, 'chart')), basename(pkgDir)];
  for (const n of names.filter((x): x is string => !!x)) {
    const hr = hrs.find((h) => h.name === n) ?? hrs.find((h) => templateFolder(h)?.endsWith(`/${n}/`));
    if (hr) return { hr, by: found ? undefined : `HelmRelease name ${hr.name}` };
  }
  return undefined;
}

function noRelease(hrs: Manifest[], found: FoundPackage | undefined, pkgDir: string, umbrellaDir: string): UserError {
  const listed = hrs.map((h) => h.name).join(', ') || 'none';
  if (found) {
    return new UserError(
      `the umbrella renders no HelmRelease for package ${found.key} (${found.path.join('.')} enabled); it renders: ${listed}`,
      {
        hint: 'check the conditions of its helmrelease.yaml in the umbrella (it may need another package enabled), or pass --package',
      },
    );
  }
  const chart = readChartName(join(pkgDir, 'chart')) ?? basename(pkgDir);
  return new UserError(
    `cannot tell which package of the umbrella at ${umbrellaDir} ${pkgDir} is: ${chart} names no package key and no HelmRelease`,
    {
      hint: `pass --package KEY (the key in the umbrella's values.yaml); rendered HelmReleases: ${listed}`,
    },
  );
}

export async function renderThroughUmbrella(pkgDir: string, opts: RenderOptions): Promise<RenderResult> {
  const u = opts.umbrella;
  if (!u) throw new Error('renderThroughUmbrella needs opts.umbrella');
  const chartDir = join(pkgDir, 'chart');
  if (!existsSync(chartDir) || !statSync(chartDir).isDirectory())
    throw new UserError(`chart/ directory not found: ${chartDir}`, {
      hint: 'with --umbrella, the package directory holds the package chart in chart/',
    });
  const umbrella = locateUmbrella(u.dir);
  requireDependencies(umbrella.chartDir, 'the umbrella chart');
  requireDependencies(chartDir, 'the package chart');
  const helm = findHelm(opts.helm);
  let values = umbrellaValues(umbrella.chartDir, opts);
  const found = findPackage(pkgDir, values, u.package ?? opts.packageName);
  const extraSet: string[] = [];
  const notes: string[] = [];
  if (found && found.values.enabled !== true) {
    const set = `${found.path.join('.')}.enabled=true`;
    extraSet.push(set);
    values = mergeValues(values, parseSet(set));
    notes.push(`${found.key} is off in the umbrella values: enabled for this render (--set ${set})`);
  }
  const overlay = overlayChart(umbrella.chartDir, join(pkgDir, 'bigbang'));
  if (overlay) notes.push(`bigbang/templates/{${overlay.folders.join(',')}}/ overlaid on the umbrella's templates`);
  try {
    const base = readUmbrella(umbrella, values, { layout: u.layout, kubeVersion: opts.kubeVersion });
    const text1 = await renderStage1(helm, overlay?.chartDir ?? umbrella.chartDir, opts, extraSet, base.kubeVersion, overlay?.realPath);
    const stage1 = stage1Objects(text1, umbrella.chartDir, STAGE1_KINDS);
    const hrs = stage1.filter((m) => m.kind === 'HelmRelease');
    const picked = pickRelease(hrs, found, pkgDir);
    if (!picked) throw noRelease(hrs, found, pkgDir, u.dir);
    const { hr } = picked;
    const pkg: UmbrellaPackage = found
      ? { key: found.key, valuesPath: found.path.join('.'), foundBy: found.foundBy, enabledForRender: extraSet.length > 0 }
      : { key: hr.name, valuesPath: '(not found)', foundBy: picked.by ?? 'HelmRelease name', enabledForRender: false };
    const read = readUmbrella(umbrella, values, { layout: u.layout, kubeVersion: opts.kubeVersion, package: pkg, notes });

    const rel = releaseOf(hr, chartDir, releaseValues(hr, stage1, { dir: umbrella.chartDir, label: 'the umbrella chart' }));
    const caps = apiArgs(read.kubeVersion, opts.istioApis);
    const tmp = mkdtempSync(join(tmpdir(), 'bbmesh-'));
    let docs: string[];
    const post = (hr.obj.spec as { postRenderers?: unknown } | undefined)?.postRenderers;
    try {
      docs = await renderRelease(helm, rel, caps, tmp, post).catch(asUserError(rel));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }

    const folder = templateFolder(hr);
    const own = (t?: string): StreamStage => (t && folder && (t === folder || t.startsWith(folder)) ? 'bigbang' : 'context');
    const stream = new RenderStream(opts.showSecrets);
    stream.add(text1, 'bigbang', UMBRELLA_RELEASE, UMBRELLA_NAMESPACE, own);
    stream.addDocuments(docs, 'package', rel.releaseName, rel.namespace);
    const text = stream.text();
    const bigbangDir = join(pkgDir, 'bigbang');
    const stage1Dir = (t?: string) => {
      const rest = t?.split('/').slice(1).join('/');
      return rest && overlay?.overlaid.has(rest) ? bigbangDir : umbrella.chartDir;
    };
    let manifests: Manifest[] | undefined;
    return {
      packageDir: pkgDir,
      packageName: hr.name,
      text,
      releases: [rel],
      bigbangValues: values,
      umbrella: read,
      stage2: { helm, capabilities: caps, postRenderers: [post] },
      get manifests() {
        return (manifests ??= parseStream(text, (stage, _rel, t) => (stage === 'package' ? chartDir : stage1Dir(t)), stream.certificates));
      },
    };
  } finally {
    overlay?.dispose();
  }
}
