// Kustomize's `images` transformer: every `containers[].image` and `initContainers[].image`, at any depth,
// whose image name is `name` (with or without a tag or digest) gets the new name, tag and/or digest.

export interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `registry:5000/a/b:1.2@sha256:..` → name `registry:5000/a/b`, tag `1.2`, digest `sha256:..`. */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}

/** The image after one override, or undefined when the override's name does not match. */
export function overrideImage(image: string, o: ImageOverride): string | undefined {
  const cur = splitImage(image);
  if (cur.name !== o.name) return undefined;
  const name = o.newName || cur.name;
  let tag = cur.tag;
  let digest = cur.digest;
  if (o.newTag && o.digest) [tag, digest] = [o.newTag, o.digest];
  else if (o.newTag) [tag, digest] = [o.newTag, undefined];
  else if (o.digest) [tag, digest] = [undefined, o.digest];
  return `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

function visit(node: unknown, overrides: ImageOverride[]): void {
  if (Array.isArray(node)) {
    for (const x of node) visit(x, overrides);
    return;
  }
  if (!isObj(node)) return;
  for (const [k, v] of Object.entries(node)) {
    if ((k === 'containers' || k === 'initContainers') && Array.isArray(v)) {
      for (const c of v) {
        if (!isObj(c) || typeof c.image !== 'string') continue;
        let image = c.image;
        for (const o of overrides) image = overrideImage(image, o) ?? image;
        c.image = image;
      }
    }
    visit(v, overrides);
  }
}

/** A copy of `obj` with the image overrides applied (in order, as kustomize runs one transformer per entry). */
export function setImages<T>(obj: T, overrides: ImageOverride[]): T {
  const out = structuredClone(obj);
  if (overrides.length) visit(out, overrides);
  return out;
}
