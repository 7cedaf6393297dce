// Strategic merge patches, as kustomize applies them without cluster schemas: maps merge key by key
// (`null` deletes), lists of built-in Kubernetes kinds merge by their patch merge keys (containers by
// name, volumeMounts by mountPath, container ports by containerPort, ...), every other list is replaced.
// Directives: `$patch: delete|replace|merge` on maps and list items, `$retainKeys`,
// `$deleteFromPrimitiveList/<field>`; `$setElementOrder/<field>` is accepted and ignored.
import { groupVersion } from './selector.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** API groups whose types carry patch merge keys (custom resources have none: their lists are replaced). */
const BUILTIN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'policy',
  'autoscaling',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'node.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'certificates.k8s.io',
]);

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  readinessGates: 'conditionType',
  resourceClaims: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
};

interface Ctx {
  builtin: boolean;
  kind: string;
}

/** The merge key of the list at `path` (field names from the object root, list indices left out). */
function mergeKey(path: string[], ctx: Ctx): string | undefined {
  if (!ctx.builtin) return undefined;
  const field = path[path.length - 1];
  if (field === 'ports') {
    if (CONTAINER_LISTS.has(path[path.length - 2])) return 'containerPort';
    return ctx.kind === 'Service' && path.length === 2 && path[0] === 'spec' ? 'port' : undefined;
  }
  return MERGE_KEYS[field];
}

/** Lists of scalars that merge as sets rather than being replaced. */
const isPrimitiveSet = (path: string[], ctx: Ctx) => ctx.builtin && path.length === 2 && path[0] === 'metadata' && path[1] === 'finalizers';

const clone = <T>(v: T): T => structuredClone(v);

/** The patch value with its directives removed, as it is stored when nothing is there to merge with. */
function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => !(isObj(x) && (x.$patch === 'delete' || x.$patch === 'replace'))).map(strip);
  if (!isObj(v)) return v;
  if (v.$patch === 'delete') return undefined;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$')) continue;
    const s = strip(x);
    if (s !== undefined && s !== null) out[k] = s;
  }
  return out;
}

const sameKey = (a: unknown, b: unknown, key: string) => isObj(a) && isObj(b) && a[key] !== undefined && String(a[key]) === String(b[key]);

function mergeList(orig: unknown, patch: unknown[], path: string[], ctx: Ctx): unknown[] {
  if (patch.some((x) => isObj(x) && x.$patch === 'replace')) return strip(patch) as unknown[];
  const base = Array.isArray(orig) ? orig : undefined;
  if (!base) return strip(patch) as unknown[];
  if (isPrimitiveSet(path, ctx)) return [...base, ...patch.filter((x) => !base.includes(x))];
  const key = mergeKey(path, ctx);
  if (!key) return strip(patch) as unknown[];
  const out = base.map(clone);
  for (const item of patch) {
    if (!isObj(item)) {
      out.push(item);
      continue;
    }
    const at = out.findIndex((o) => sameKey(o, item, key));
    if (item.$patch === 'delete') {
      for (let i = out.length - 1; i >= 0; i--) if (sameKey(out[i], item, key)) out.splice(i, 1);
    } else if (at >= 0) {
      const merged = mergeMap(out[at], item, path, ctx);
      if (merged === undefined) out.splice(at, 1);
      else out[at] = merged;
    } else {
      out.push(strip(item));
    }
  }
  return out;
}

function mergeMap(orig: unknown, patch: Obj, path: string[], ctx: Ctx): Obj | undefined {
  if (patch.$patch === 'delete') return undefined;
  if (patch.$patch === 'replace' || !isObj(orig)) return strip(patch) as Obj;
  const out: Obj = clone(orig);
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const drop = Array.isArray(v) ? v : [];
      if (Array.isArray(out[field])) out[field] = (out[field] as unknown[]).filter((x) => !drop.includes(x));
      continue;
    }
    if (k.startsWith('$')) continue;
    const sub = [...path, k];
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = mergeList(out[k], v, sub, ctx);
    else if (isObj(v)) {
      const m = mergeMap(out[k], v, sub, ctx);
      if (m === undefined) delete out[k];
      else out[k] = m;
    } else out[k] = v;
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys.map(String));
    for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
  }
  return out;
}

/**
 * Applies one strategic merge patch to a whole object. The patch's identity (apiVersion, kind,
 * metadata.name/namespace) is the target's, as kustomize makes it. Returns undefined when the patch
 * deletes the object (`$patch: delete` at the top).
 */
export function strategicMerge<T extends Obj>(target: T, patch: Obj): T | undefined {
  if (patch.$patch === 'delete') return undefined;
  const [group] = groupVersion(typeof target.apiVersion === 'string' ? target.apiVersion : undefined);
  const ctx: Ctx = { builtin: BUILTIN_GROUPS.has(group), kind: typeof target.kind === 'string' ? target.kind : '' };
  const body: Obj = { ...patch };
  delete body.apiVersion;
  delete body.kind;
  if (isObj(body.metadata)) {
    const md: Obj = { ...body.metadata };
    delete md.name;
    delete md.namespace;
    body.metadata = md;
  }
  const out = mergeMap(target, body, [], ctx);
  if (!out) return undefined;
  // even `$patch: replace` at the top keeps the object's identity
  for (const k of ['apiVersion', 'kind'] as const) if (target[k] !== undefined) out[k] = target[k];
  if (isObj(target.metadata)) {
    const md: Obj = isObj(out.metadata) ? out.metadata : {};
    for (const k of ['name', 'namespace']) if (target.metadata[k] !== undefined) md[k] = target.metadata[k];
    out.metadata = md;
  }
  return out as T;
}
