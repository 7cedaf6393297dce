import type { RenderResult } from '../sources/render/index.js';
import { relative } from 'node:path';
import { locate } from '../manifest/locate.js';

/** `bbmesh render -o json` (schema: schemas/render.schema.json). */
export function renderToJson(r: RenderResult) {
  return {
    schemaVersion: 1,
    package: r.packageName,
    releases: r.releases.map((rel) => ({
      helmRelease: rel.helmRelease,
      releaseName: rel.releaseName,
      namespace: rel.namespace,
      chart: relative(process.cwd(), rel.chartDir) || '.',
    })),
    objects: r.manifests.map((m) => ({
      source: {
        stage: m.origin.stage,
        release: m.origin.release,
        chart: m.origin.chartDir ? relative(process.cwd(), m.origin.chartDir) || '.' : undefined,
        template: m.origin.template,
        line: locate(m)?.line,
      },
      object: m.obj,
    })),
  };
}
