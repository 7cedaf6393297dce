// Unknown fields, from the package's own validator. The compiled schemas do not reject
// unknown fields (no additionalProperties: false), but they do read every property they
// declare (`data.port`, `data.name`, ...) and enumerate the keys of free maps (labels,
// selectors, additionalProperties). Validating an object through recording proxies tells
// us, for each object node, which keys the schema declares. A node the validator neither
// reads nor enumerates is free-form (x-kubernetes-preserve-unknown-fields, JSON, RawExtension).
// What a node declares does not depend on the data (structural schemas declare properties
// outside oneOf/anyOf), so shapes are learned once per kind and cached; a key the cache does
// not know is confirmed by learning again from that very object before it is reported.
import type { Path } from '../../manifest/types.js';

export interface Shape {
  /** Keys the validator read on objects at this node. */
  keys: Set<string>;
  /** The validator enumerated the keys (a map): any key is allowed. */
  map: boolean;
  /** Shapes of child objects by key; '*' for array items and map values. */
  child: Map<string, Shape>;
  /** The validator has been given an object at this node. */
  learned: boolean;
}

export const newShape = (): Shape => ({ keys: new Set(), map: false, child: new Map(), learned: false });

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';

function childShape(shape: Shape, key: string): Shape {
  let c = shape.child.get(key);
  if (!c) {
    c = newShape();
    shape.child.set(key, c);
  }
  return c;
}

function record<T extends object>(target: T, shape: Shape): T {
  const isArray = Array.isArray(target);
  shape.learned = true;
  const proxies = new Map<string, unknown>();
  return new Proxy(target, {
    get(t, k, receiver) {
      if (typeof k !== 'string') return Reflect.get(t, k, receiver);
      const v: unknown = Reflect.get(t, k, receiver);
      if (isArray) {
        if (k === 'length') return v;
      } else {
        shape.keys.add(k);
      }
      if (!isObject(v) || !Object.prototype.hasOwnProperty.call(t, k)) return v;
      let p = proxies.get(k);
      if (p === undefined) {
        p = record(v, childShape(shape, isArray || shape.map ? '*' : k));
        proxies.set(k, p);
      }
      return p;
    },
    has(t, k) {
      if (typeof k === 'string' && !isArray) shape.keys.add(k);
      return Reflect.has(t, k);
    },
    ownKeys(t) {
      if (!isArray) shape.map = true;
      return Reflect.ownKeys(t);
    },
  });
}

/** Runs `validate` on `data` through recording proxies, adding what it reads to `shape`. */
export function learn(validate: (data: unknown) => unknown, data: Record<string, unknown>, shape: Shape): void {
  validate(record(data, shape));
}

export interface UnknownField {
  /** Path of the unknown key itself. */
  path: Path;
  key: string;
}

/** Free-form: the schema declares nothing here (or the node has not been learned). */
const isFree = (s: Shape) => !s.map && s.keys.size === 0;

/**
 * Keys of `data` the shape does not declare. `unlearned` is set when some object node has
 * no shape yet (the caller learns from this object and asks again). Top-level `status` is
 * never checked: the API server drops it on create.
 */
export function unknownFields(shape: Shape, data: Record<string, unknown>): { found: UnknownField[]; unlearned: boolean } {
  const found: UnknownField[] = [];
  let unlearned = false;
  const walk = (s: Shape, v: unknown, path: (string | number)[]) => {
    if (!isObject(v)) return;
    if (!s.learned) {
      unlearned = true;
      return;
    }
    if (Array.isArray(v)) {
      const items = s.child.get('*');
      for (let i = 0; i < v.length; i++) {
        if (!isObject(v[i])) continue;
        if (!items) {
          unlearned = true;
          return;
        }
        path.push(i);
        walk(items, v[i], path);
        path.pop();
      }
      return;
    }
    if (isFree(s)) return;
    for (const k of Object.keys(v)) {
      if (path.length === 0 && k === 'status') continue;
      if (!s.map && !s.keys.has(k)) {
        found.push({ path: [...path, k], key: k });
        continue;
      }
      const cv = v[k];
      if (!isObject(cv)) continue;
      const cs = s.child.get(k) ?? s.child.get('*');
      if (!cs) {
        unlearned = true;
        continue;
      }
      path.push(k);
      walk(cs, cv, path);
      path.pop();
    }
  };
  walk(shape, data, []);
  return { found, unlearned };
}
