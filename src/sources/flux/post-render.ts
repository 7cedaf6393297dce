// A HelmRelease's spec.postRenderers[].kustomize applied to the manifests Helm rendered, in the order
// kustomize runs its builtin transformers: patchesStrategicMerge, patches, patchesJson6902, images.
// Post-renderers run one after another. Pure: objects in, new objects out; a patch that kustomize would
// refuse (bad YAML, a JSON patch path that does not resolve, a patch with no object to apply to) throws.
import type { Operation } from 'fast-json-patch';
import { lazyRequire } from '../../core/lazy-require.js';
import yaml from 'js-yaml';
import type { K8sObject } from '../../manifest/types.js';
import { setImages, type ImageOverride } from './images.js';
import { groupVersion, selects, type Target } from './selector.js';
import { strategicMerge } from './strategic-merge.js';

const jsonPatch = lazyRequire<typeof import('fast-json-patch')>('fast-json-patch');

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export class PostRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostRenderError';
  }
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);
const TARGET_KEYS = ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const;

const describe = (o: K8sObject) => `${o.kind ?? '?'}/${o.metadata?.name ?? '?'}`;

function toTarget(v: unknown): Target | undefined {
  if (!isObj(v)) return undefined;
  const t: Target = {};
  for (const k of TARGET_KEYS) if (typeof v[k] === 'string' && v[k] !== '') t[k] = v[k] as string;
  return t;
}

function asOps(v: unknown[], where: string): Operation[] {
  return v.map((op, i) => {
    if (!isObj(op) || typeof op.op !== 'string' || !OPS.has(op.op) || typeof op.path !== 'string') {
      throw new PostRenderError(`${where}: operation ${i} is not a JSON 6902 operation (op and path are required)`);
    }
    return op as unknown as Operation;
  });
}

/** A patch body: one JSON 6902 operation list, or one or more strategic merge documents. */
function parsePatch(raw: unknown, where: string): { json: Operation[] } | { smp: Obj[] } {
  let docs: unknown[];
  if (typeof raw === 'string') {
    try {
      docs = yaml.loadAll(raw).filter((d) => d !== null && d !== undefined);
    } catch (e) {
      throw new PostRenderError(`${where}: the patch is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
  } else docs = raw === undefined || raw === null ? [] : [raw];
  if (docs.length === 1 && Array.isArray(docs[0])) return { json: asOps(docs[0], where) };
  if (docs.length === 0 || !docs.every(isObj)) throw new PostRenderError(`${where}: the patch is empty or neither a map nor a list`);
  return { smp: docs as Obj[] };
}

/** Objects a targetless strategic merge patch names: same group, kind and name (and version/namespace when both say). */
function identifiedBy(patch: Obj, o: K8sObject): boolean {
  const md = isObj(patch.metadata) ? patch.metadata : {};
  const [pg, pv] = groupVersion(typeof patch.apiVersion === 'string' ? patch.apiVersion : undefined);
  const [og, ov] = groupVersion(o.apiVersion);
  const ns = typeof md.namespace === 'string' ? md.namespace : '';
  return (
    patch.kind === o.kind &&
    md.name === o.metadata?.name &&
    (typeof patch.apiVersion !== 'string' || (pg === og && (!pv || pv === ov))) &&
    (!ns || !o.metadata?.namespace || ns === o.metadata.namespace)
  );
}

function applySmp(objs: K8sObject[], patch: Obj, target: Target | undefined, where: string): K8sObject[] {
  const hit = (o: K8sObject) => (target ? selects(target, o) : identifiedBy(patch, o));
  if (!target && !objs.some(hit)) {
    const md = isObj(patch.metadata) ? patch.metadata : {};
    throw new PostRenderError(`${where}: no rendered object is ${String(patch.kind)}/${String(md.name)} to apply the patch to`);
  }
  const out: K8sObject[] = [];
  for (const o of objs) {
    if (!hit(o)) out.push(o);
    else {
      const merged = strategicMerge(o as Obj, patch);
      if (merged) out.push(merged as K8sObject);
    }
  }
  return out;
}

function applyJson(objs: K8sObject[], ops: Operation[], target: Target | undefined, where: string): K8sObject[] {
  if (!target) throw new PostRenderError(`${where}: a JSON 6902 patch needs a target`);
  return objs.map((o) => {
    if (!selects(target, o)) return o;
    try {
      return jsonPatch().applyPatch(structuredClone(o), ops, true, false).newDocument;
    } catch (e) {
      const msg = (e as Error).message.split('\n')[0];
      throw new PostRenderError(`${where}: on ${describe(o)}: ${msg}`);
    }
  });
}

function guard<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PostRenderError) throw e;
    throw new PostRenderError(`${where}: ${(e as Error).message}`);
  }
}

function applyKustomize(objects: K8sObject[], k: Obj, at: string): K8sObject[] {
  let objs = objects;
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  list(k.patchesStrategicMerge).forEach((p, i) => {
    const where = `${at}.patchesStrategicMerge[${i}]`;
    const parsed = parsePatch(p, where);
    if ('json' in parsed) throw new PostRenderError(`${where}: a strategic merge patch must be a map`);
    for (const doc of parsed.smp) objs = guard(where, () => applySmp(objs, doc, undefined, where));
  });
  list(k.patches).forEach((p, i) => {
    const where = `${at}.patches[${i}]`;
    if (!isObj(p)) throw new PostRenderError(`${where}: expected a map with patch and target`);
    const target = toTarget(p.target);
    const parsed = parsePatch(p.patch, where);
    if ('json' in parsed) objs = guard(where, () => applyJson(objs, parsed.json, target, where));
    else for (const doc of parsed.smp) objs = guard(where, () => applySmp(objs, doc, target, where));
  });
  list(k.patchesJson6902).forEach((p, i) => {
    const where = `${at}.patchesJson6902[${i}]`;
    if (!isObj(p)) throw new PostRenderError(`${where}: expected a map with target and patch`);
    const parsed = parsePatch(p.patch, where);
    if (!('json' in parsed)) throw new PostRenderError(`${where}: the patch must be a list of JSON 6902 operations`);
    objs = guard(where, () => applyJson(objs, parsed.json, toTarget(p.target), where));
  });
  const images = list(k.images).filter((i): i is ImageOverride => isObj(i) && typeof i.name === 'string');
  if (images.length) objs = objs.map((o) => setImages(o, images));
  return objs;
}

/**
 * Applies `postRenderers` (a HelmRelease's spec.postRenderers) to `objects`. Entries without
 * `kustomize` are skipped. Throws PostRenderError, naming the entry, on a patch kustomize would refuse.
 */
export function applyPostRenderers(objects: ReadonlyArray<K8sObject>, postRenderers: unknown): K8sObject[] {
  let objs = [...objects];
  if (!Array.isArray(postRenderers)) return objs;
  postRenderers.forEach((pr, i) => {
    if (isObj(pr) && isObj(pr.kustomize)) objs = applyKustomize(objs, pr.kustomize, `postRenderers[${i}].kustomize`);
  });
  return objs;
}
