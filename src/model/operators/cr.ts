// Defensive readers over a custom resource's raw JSON (anything may be missing or the wrong type)
// and small builders for the objects operators derive.
import type { Manifest } from '../../manifest/types.js';
import type { DerivedContainer, DerivedContainerPort, DerivedService, DerivedServicePort, Labels } from './types.js';

export type Json = Record<string, unknown>;

const EMPTY: Json = Object.freeze({}) as Json;

/** `v` when it is a mapping, else an empty one. */
export function rec(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : EMPTY;
}

/** The value at `path` under `v`, or undefined when any step is not a mapping. */
export function at(v: unknown, ...path: string[]): unknown {
  let cur: unknown = v;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Json)[k];
  }
  return cur;
}

/** A non-empty string (numbers and booleans read as their text). */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

/** A port-like integer in 1..65535 (quoted numbers accepted, as Helm values often are). */
export function port(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}

/** A non-negative integer (replica and shard counts). */
export function count(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** true/false, also from the strings Helm templates tend to render. */
export function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'True') return true;
  if (v === 'false' || v === 'False') return false;
  return undefined;
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A label or annotation map: string values only, others stringified, nulls dropped. */
export function labels(v: unknown): Labels {
  const out: Labels = {};
  for (const [k, x] of Object.entries(rec(v))) {
    const s = typeof x === 'string' ? x : str(x);
    if (s !== undefined) out[k] = s;
  }
  return out;
}

export function spec(cr: Manifest): Json {
  return rec(cr.obj.spec);
}

/** Labels on the CR itself (some operators copy them onto the pods they make). */
export function crLabels(cr: Manifest): Labels {
  return labels(cr.obj.metadata?.labels);
}

/** A DNS-1123 label cut to 63 characters, as controllers truncate generated names. */
export function dnsName(name: string): string {
  return name.slice(0, 63).replace(/-+$/, '');
}

export function servicePort(
  name: string | undefined,
  port: number,
  targetPort: number | string = port,
  protocol = 'TCP',
  appProtocol?: string,
): DerivedServicePort {
  const p: DerivedServicePort = { port, targetPort, protocol };
  if (name !== undefined) p.name = name;
  if (appProtocol !== undefined) p.appProtocol = appProtocol;
  return p;
}

/** Ports a user wrote in a Service-shaped override (`spec.http.service.spec.ports`, IstioOperator k8s.service.ports). */
export function userServicePorts(v: unknown): DerivedServicePort[] {
  const out: DerivedServicePort[] = [];
  for (const item of list(v)) {
    const p = rec(item);
    const n = port(p.port);
    if (n === undefined) continue;
    const target = port(p.targetPort) ?? str(p.targetPort) ?? n;
    out.push(servicePort(str(p.name), n, target, str(p.protocol) ?? 'TCP', str(p.appProtocol)));
  }
  return out;
}

export function containerPort(name: string | undefined, containerPort: number, protocol = 'TCP'): DerivedContainerPort {
  return name === undefined ? { containerPort, protocol } : { name, containerPort, protocol };
}

export function container(name: string, ports: DerivedContainerPort[]): DerivedContainer {
  return { name, ports };
}

export function service(s: Omit<DerivedService, 'kind' | 'type'> & { type?: string }): DerivedService {
  return { kind: 'Service', ...s, type: s.type ?? 'ClusterIP' };
}

/** `${ns}/${name}` of the CR, for notes. */
export function ref(cr: Manifest): string {
  return `${cr.namespace}/${cr.name}`;
}
