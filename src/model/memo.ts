// Derived facts computed once per object of an immutable model (the model, a workload, a Service...)
// and kept for its lifetime: every resolver caches through this, so check, trace and verify share them.
const caches = new WeakMap<object, Map<string, unknown>>();

export function memo<T>(owner: object, key: string, make: () => T): T {
  let m = caches.get(owner);
  if (!m) {
    m = new Map();
    caches.set(owner, m);
  }
  if (m.has(key)) return m.get(key) as T;
  const v = make();
  m.set(key, v);
  return v;
}
