// Stage 2: one HelmRelease's chart rendered as helm-controller renders it (release name, target
// namespace, merged values), then the HelmRelease's Kustomize post-renderers applied.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { asObject } from '../../manifest/json.js';
import type { K8sObject } from '../../manifest/types.js';
import { loadYaml11 } from '../../manifest/yaml11.js';
import { applyPostRenderers } from '../flux/post-render.js';
import { helmErrorMessage, run } from './helm.js';
import { documentsOf, templateOfDocument } from './stream.js';
import type { ReleaseInfo } from './types.js';

/** Renders `rel` (values written 0600 under `tmp`, a private directory); resolves to its documents. */
export async function renderRelease(
  helm: string,
  rel: ReleaseInfo,
  capabilities: string[],
  tmp: string,
  postRenderers?: unknown,
): Promise<string[]> {
  const vf = join(tmp, `values-${rel.helmRelease.namespace}-${rel.helmRelease.name}.json`);
  writeFileSync(vf, JSON.stringify(rel.values), { mode: 0o600 });
  const r = await run(helm, ['template', rel.releaseName, rel.chartDir, '-n', rel.namespace, '-f', vf, ...capabilities]);
  if (r.code !== 0) throw helmErrorMessage(r.stderr, rel.chartDir);
  return postRendered(documentsOf(r.stdout), postRenderers);
}

const hasKustomize = (v: unknown): boolean => Array.isArray(v) && v.some((p) => asObject(p).kustomize !== undefined);
const identity = (o: K8sObject) => `${o.apiVersion}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/**
 * Applies post-renderers to rendered documents. An object the patches leave alone keeps its text (and
 * so its template lines); a patched one is printed again under its `# Source:` line. Throws PostRenderError.
 */
export function postRendered(docs: string[], postRenderers: unknown): string[] {
  if (!hasKustomize(postRenderers)) return docs;
  const parsed: Array<{ body: string; obj: K8sObject }> = [];
  for (const body of docs) {
    const obj = loadYaml11(body);
    if (obj && typeof obj === 'object' && !Array.isArray(obj)) parsed.push({ body, obj: obj as K8sObject });
  }
  const before = new Map(parsed.map((p) => [identity(p.obj), p]));
  return applyPostRenderers(
    parsed.map((p) => structuredClone(p.obj)),
    postRenderers,
  ).map((o) => {
    const was = before.get(identity(o));
    if (was && JSON.stringify(was.obj) === JSON.stringify(o)) return was.body;
    const source = was ? templateOfDocument(was.body) : undefined;
    return `${source ? `# Source: ${source}\n` : ''}${yaml.dump(o, { lineWidth: -1, noRefs: true })}`;
  });
}
