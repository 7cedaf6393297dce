// Schema validation (model/validate) of the 20k-object synthetic stream, and what it costs at
// start-up: importing the module (no schema is loaded) and the first use of each kind.
// Runs the built library (dist/, `npm run bench` builds it) in fresh node processes, so the
// figures are what the CLI pays, without tsx.
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { syntheticMesh } from './synthetic.js';
import type { BenchRow } from './run.js';
import { ROOT, median } from './util.js';

const dist = (p: string) => pathToFileURL(join(ROOT, 'dist', p)).href;

/** Runs an ES module script in a fresh node and returns what it prints as JSON. */
function fresh(script: string, dir: string): Record<string, number> {
  const file = join(dir, `probe-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, script);
  return JSON.parse(execFileSync(process.execPath, ['--expose-gc', file], { encoding: 'utf8' })) as Record<string, number>;
}

export default async function (): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bbmesh-validate-bench-'));
  try {
    const stream = join(dir, 'mesh-20000.yaml');
    writeFileSync(stream, syntheticMesh(20000));
    // The CLI ships as one esbuild bundle: time importing the validator bundled the same way, and as plain dist/ files.
    const bundle = join(dir, 'validate-bundle.mjs');
    await build({
      entryPoints: [join(ROOT, 'src', 'model', 'validate', 'index.ts')],
      outfile: bundle,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    const importTime = (url: string): number[] => {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const r = fresh(
          // The ES module loader's start-up and the builtins every bbmesh command imports anyway are not ours.
          `await import(${JSON.stringify(dist('core/duration.js'))});
          await Promise.all(['node:fs', 'node:path', 'node:url', 'node:module'].map((b) => import(b)));
          const t = performance.now();
          const v = await import(${JSON.stringify(url)});
          const ms = performance.now() - t;
          console.log(JSON.stringify({ ms, loaded: v.loadedSchemaCount() }));`,
          dir,
        );
        if (r.loaded !== 0) throw new Error('importing model/validate loaded a schema');
        times.push(r.ms);
      }
      return times;
    };
    const bundled = median(importTime(pathToFileURL(bundle).href));
    const files = median(importTime(dist('model/validate/index.js')));
    const run = fresh(
      `import { readFileSync } from 'node:fs';
      const { loadManifests } = await import(${JSON.stringify(dist('manifest/load.js'))});
      const { validateManifest, loadedSchemaCount } = await import(${JSON.stringify(dist('model/validate/index.js'))});
      const ms = loadManifests(readFileSync(${JSON.stringify(stream)}, 'utf8'), { file: 'mesh.yaml', stage: 'input' });
      const pass = () => { let n = 0; globalThis.gc?.(); const t = performance.now(); for (const m of ms) n += validateManifest(m).length; return [performance.now() - t, n]; };
      const [cold, violations] = pass();
      const warm = [];
      for (let i = 0; i < 5; i++) warm.push(pass()[0]);
      warm.sort((a, b) => a - b);
      console.log(JSON.stringify({ objects: ms.length, cold, warm: warm[2], violations, kinds: loadedSchemaCount() }));`,
      dir,
    );
    return [
      {
        name: 'import model/validate, bundled (no schema loaded)',
        value: bundled,
        unit: 'ms',
        detail: `median of 7 fresh processes; as dist/ files: ${files.toFixed(1)} ms`,
        target: '< 5 ms',
        ok: bundled < 5,
      },
      {
        name: `validate ${run.objects} objects, first pass (loads ${run.kinds} kinds)`,
        value: run.cold / 1000,
        unit: 's',
        detail: `${run.violations} violations`,
        target: '< 1 s',
        ok: run.cold < 1000,
      },
      {
        name: `validate ${run.objects} objects, schemas loaded`,
        value: run.warm / 1000,
        unit: 's',
        detail: `${((run.objects / run.warm) * 1000).toFixed(0)} objects/s`,
        target: '< 0.5 s',
        ok: run.warm < 500,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
