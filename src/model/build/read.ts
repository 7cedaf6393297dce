// Field readers for the model builder. This is where raw parsed YAML enters the typed model: every
// read goes through text(), num(), strs(), strMap() or isObj(), so a wrong-typed field (which K8S001
// reports) never becomes a second, wrong finding.
import type { Labels } from '../types.js';
import type { Path } from '../../manifest/types.js';

/** A parsed YAML node as the builder reads it: any shape, each use guarded by the readers below. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw JSON enters here
export type Raw = any;

export function get(obj: unknown, path: Path): Raw {
  let cur: Raw = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[k];
  }
  return cur;
}

export const EMPTY = Object.freeze({}) as Record<string, never>;

// Wrong-typed fields (which K8S001 reports) are read so that they cause no second, wrong finding:
// a scalar where text belongs is printed, a map or list is not (never `[object Object]`); a match
// condition of the wrong type matches nothing rather than everything.
export const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A string, number or boolean as text; undefined for anything else. */
export function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function strMap(v: unknown): Labels {
  const out: Labels = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    // Object.keys + index loop: the same own enumerable keys, in the same order, as Object.entries, without the pairs.
    const keys = Object.keys(v);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const x = (v as Raw)[k];
      if (x !== null && x !== undefined) out[k] = typeof x === 'string' ? x : (text(x) ?? JSON.stringify(x));
    }
  }
  return out;
}

const NONE: Raw[] = [];
export function arr<T = Raw>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : (NONE as T[]);
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

export function strs(v: unknown): string[] {
  const out: string[] = [];
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      const t = text(x);
      if (t !== undefined) out.push(t);
    }
  }
  return out;
}

export function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const l = map.get(k);
  if (l) l.push(v);
  else map.set(k, [v]);
}

/** The API group of `apiVersion` (the part before the first `/`) is `group` (no slice per manifest). */
export function inGroup(apiVersion: string, group: string): boolean {
  return apiVersion.length > group.length && apiVersion.charCodeAt(group.length) === 47 && apiVersion.startsWith(group);
}
