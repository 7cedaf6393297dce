// Kustomize patch targets: group/version/kind/name/namespace are regular expressions anchored at both
// ends (so `name: .*-gateway` works and `name: app` does not match `app-2`), labelSelector and
// annotationSelector use the Kubernetes label-selector syntax.
import type { K8sObject } from '../../manifest/types.js';

export interface Target {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

type Requirement = (labels: Record<string, string>) => boolean;

/** `apps/v1` → ['apps', 'v1']; `v1` → ['', 'v1']. */
export function groupVersion(apiVersion: string | undefined): [string, string] {
  const av = apiVersion ?? '';
  const i = av.lastIndexOf('/');
  return i < 0 ? ['', av] : [av.slice(0, i), av.slice(i + 1)];
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** Parses `a=b,c!=d,e in (x,y),f notin (z),g,!h`; throws on what is not a selector. */
export function parseSelector(text: string): Requirement[] {
  return splitTopLevel(text).map((req): Requirement => {
    let m = /^([^\s=!()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(req);
    if (m) {
      const [, key, op, list] = m;
      const values = new Set(
        list
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      );
      return op === 'in' ? (l) => key in l && values.has(l[key]) : (l) => !(key in l) || !values.has(l[key]);
    }
    m = /^([^\s=!()]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(req);
    if (m) {
      const [, key, op, value] = m;
      return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
    }
    m = /^(!?)([^\s=!()]+)$/.exec(req);
    if (m) {
      const [, not, key] = m;
      return not ? (l) => !(key in l) : (l) => key in l;
    }
    throw new Error(`invalid selector "${text}" (at "${req}")`);
  });
}

const regexCache = new Map<string, RegExp>();
function anchored(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    try {
      re = new RegExp(`^(?:${pattern})$`);
    } catch {
      throw new Error(`invalid target pattern "${pattern}"`);
    }
    regexCache.set(pattern, re);
  }
  return re;
}

const matches = (pattern: string | undefined, value: string) => !pattern || anchored(pattern).test(value);

/** True when `obj` is selected by every field the target sets (an empty target selects everything). */
export function selects(target: Target, obj: K8sObject): boolean {
  const [group, version] = groupVersion(obj.apiVersion);
  const md = obj.metadata ?? {};
  return (
    matches(target.group, group) &&
    matches(target.version, version) &&
    matches(target.kind, obj.kind ?? '') &&
    matches(target.name, md.name ?? '') &&
    matches(target.namespace, md.namespace ?? '') &&
    (!target.labelSelector || parseSelector(target.labelSelector).every((r) => r(md.labels ?? {}))) &&
    (!target.annotationSelector || parseSelector(target.annotationSelector).every((r) => r(md.annotations ?? {})))
  );
}
