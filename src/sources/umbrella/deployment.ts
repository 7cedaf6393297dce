// A whole Big Bang deployment from its sources: stage 1 is the umbrella with the environment values;
// every enabled HelmRelease's chart is fetched the way source-controller would (../flux), and rendered
// with the values helm-controller would pass, post-renderers applied. Fetches and renders run in a pool
// sized to the cores, a release's render starting as soon as its chart is there. A release that cannot
// be had is one line in `notRendered`; the others are rendered all the same.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../core/errors.js';
import type { Manifest } from '../../manifest/types.js';
import { defaultConcurrency, mapLimit, resolveCharts, type ChartResolution } from '../flux/index.js';
import { apiArgs } from '../render/args.js';
import { findHelm } from '../render/helm.js';
import { releaseOf, releaseValues } from '../render/releases.js';
import { renderRelease } from '../render/stage2.js';
import { parseStream, RenderStream } from '../render/stream.js';
import type { ReleaseInfo, RenderOptions, RenderResult } from '../render/types.js';
import { locateUmbrella } from './locate.js';
import { readUmbrella } from './read.js';
import { renderStage1, requireDependencies, stage1Objects, UMBRELLA_NAMESPACE, UMBRELLA_RELEASE, umbrellaValues } from './stage1.js';
import type { NotRendered, RenderProgress } from './types.js';

const STAGE1_KINDS = new Set(['HelmRelease', 'Secret', 'ConfigMap', 'GitRepository', 'HelmRepository', 'OCIRepository']);

function why(err: unknown): string {
  return err instanceof UserError ? err.format() : err instanceof Error ? err.message : String(err);
}

/** A deferred per release: its chart resolution arrives from the fetch pool. */
function deferreds<T>(n: number): { promises: Promise<T>[]; resolve: (i: number, v: T) => void } {
  const resolvers: Array<(v: T) => void> = [];
  const promises = Array.from({ length: n }, (_, i) => new Promise<T>((r) => (resolvers[i] = r)));
  return { promises, resolve: (i, v) => resolvers[i](v) };
}

interface Rendered {
  rel: ReleaseInfo;
  docs: string[];
  source: string;
}

export async function renderDeployment(opts: RenderOptions): Promise<RenderResult> {
  const u = opts.umbrella;
  if (!u) throw new Error('renderDeployment needs opts.umbrella');
  const umbrella = locateUmbrella(u.dir);
  requireDependencies(umbrella.chartDir, 'the umbrella chart');
  const helm = findHelm(opts.helm);
  const values = umbrellaValues(umbrella.chartDir, opts);
  const read = readUmbrella(umbrella, values, { layout: u.layout, kubeVersion: opts.kubeVersion });
  const text1 = await renderStage1(helm, umbrella.chartDir, opts, [], read.kubeVersion);
  const stage1 = stage1Objects(text1, umbrella.chartDir, STAGE1_KINDS);
  const hrs = stage1.filter((m) => m.kind === 'HelmRelease');
  const sources = stage1.filter((m) => m.kind !== 'HelmRelease' && m.kind !== 'Secret' && m.kind !== 'ConfigMap').map((m) => m.obj);
  const concurrency = Math.max(1, u.concurrency ?? defaultConcurrency());
  const progress = (phase: RenderProgress['phase']) => {
    let done = 0;
    return (hr: Manifest) => u.onProgress?.({ phase, done: ++done, total: hrs.length, release: hr.name });
  };
  const fetched = progress('fetch');
  const renderedOne = progress('render');

  const charts = deferreds<ChartResolution>(hrs.length);
  const fetching = resolveCharts(
    hrs.map((h) => h.obj),
    sources,
    {
      offline: u.offline,
      cacheDir: u.cacheDir,
      localCharts: u.charts,
      helm: opts.helm,
      onCommand: u.onCommand,
      concurrency,
      onResolved: (i, r) => {
        fetched(hrs[i]);
        charts.resolve(i, r);
      },
    },
  );
  const caps = apiArgs(read.kubeVersion, opts.istioApis);
  const tmp = mkdtempSync(join(tmpdir(), 'bbmesh-'));
  let results: Array<Rendered | NotRendered>;
  try {
    results = await mapLimit(hrs, concurrency, async (hr, i): Promise<Rendered | NotRendered> => {
      const res = await charts.promises[i];
      const helmRelease = { namespace: hr.namespace, name: hr.name };
      try {
        if ('error' in res) return { helmRelease, message: res.error };
        const rel = releaseOf(hr, res.dir, releaseValues(hr, stage1, { dir: umbrella.chartDir, label: 'the umbrella chart' }));
        const post = (hr.obj.spec as { postRenderers?: unknown } | undefined)?.postRenderers;
        const docs = await renderRelease(helm, rel, caps, tmp, post);
        return { rel, docs, source: res.source };
      } catch (err) {
        return { helmRelease, message: `${hr.name}: not rendered: ${why(err)}` };
      } finally {
        renderedOne(hr);
      }
    });
    await fetching;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  const stream = new RenderStream(opts.showSecrets);
  stream.add(text1, 'bigbang', UMBRELLA_RELEASE, UMBRELLA_NAMESPACE);
  const releases: ReleaseInfo[] = [];
  const notRendered: NotRendered[] = [];
  for (const r of results) {
    if ('message' in r) notRendered.push(r);
    else {
      releases.push({ ...r.rel, source: r.source });
      stream.addDocuments(r.docs, 'package', r.rel.releaseName, r.rel.namespace);
    }
  }
  const text = stream.text();
  let manifests: Manifest[] | undefined;
  return {
    packageDir: umbrella.chartDir,
    packageName: UMBRELLA_RELEASE,
    text,
    releases,
    bigbangValues: values,
    umbrella: read,
    notRendered,
    get manifests() {
      return (manifests ??= parseStream(
        text,
        (stage, rel) => (stage === 'package' ? releases.find((r) => r.releaseName === rel)?.chartDir : umbrella.chartDir),
        stream.certificates,
      ));
    },
  };
}
