// Libraries only some inputs need (the positional YAML parser, tar for vendored charts, JSON patch for
// post-renderers), loaded from node_modules on first use: a check of a plain package never compiles
// them. They are CommonJS (or ship a CommonJS build), so the load is synchronous. Node's crypto too:
// loading it costs about 9 ms, and a render needs it only for a release name over 53 characters.
import { createRequire } from 'node:module';

const requireCjs = createRequire(import.meta.url);

/** A getter that loads package `name` once, when first called. */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireCjs(name) as T);
}
