// Wording of schema violations: a one-line message about the field, and the symptom as the
// API server (or Helm's client-side validation) prints it when the HelmRelease installs.
// Values are quoted short and never for a Secret, whose every value is "a value".
import type { Manifest, Path } from '../../manifest/types.js';
import { splitApiVersion } from './registry.js';

export type ViolationKind = 'type' | 'required' | 'unknown-field' | 'enum' | 'format';

export interface SchemaViolation {
  /** Where in the object, e.g. ['spec', 'ports', 0, 'port']; for 'required', the missing field. */
  path: Path;
  /** One line, e.g. `must be integer, got string "80"`. */
  message: string;
  /** What the user sees when the object is applied. */
  symptom: string;
  kind: ViolationKind;
}

/** Objects whose values must never appear in a message. */
export const isSecret = (m: Manifest): boolean => m.kind === 'Secret' && (m.apiVersion === 'v1' || m.apiVersion === '');

export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const MAX_QUOTE = 40;

/** `"80"`, `7`, `true`; objects and arrays are not quoted. */
export function quote(v: unknown): string | undefined {
  if (typeof v === 'string') {
    const s = v.length > MAX_QUOTE ? `${v.slice(0, MAX_QUOTE)}…` : v;
    return JSON.stringify(s);
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** `string "80"`, `number 7`, `object`, or `a value` when redacted. */
export function describeValue(v: unknown, redact: boolean): string {
  if (redact) return 'a value';
  const q = quote(v);
  const t = jsonType(v) === 'integer' ? 'number' : jsonType(v);
  return q === undefined ? t : `${t} ${q}`;
}

/** Kubernetes field path: `spec.ports[0].port`, `metadata.labels[app.kubernetes.io/name]`. */
export function fieldPath(path: Path): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(k)) out += out ? `.${k}` : k;
    else out += `[${k}]`;
  }
  return out;
}

/** `Service`, `Deployment.apps`, `VirtualService.networking.istio.io` (how the API server names a kind). */
export function qualifiedKind(m: Manifest): string {
  const { group } = splitApiVersion(m.apiVersion);
  return group ? `${m.kind}.${group}` : m.kind;
}

function prefix(m: Manifest): string {
  return m.origin.stage === 'cluster' ? 'apply fails: ' : 'HelmRelease install fails: ';
}

/** `HelmRelease install fails: Service "x" is invalid: spec.ports[0].port: <detail>` */
export function invalidSymptom(m: Manifest, path: Path, detail: string): string {
  return `${prefix(m)}${qualifiedKind(m)} "${m.name}" is invalid: ${fieldPath(path)}: ${detail}`;
}

/** Client-side validation (Helm, kubectl) of an unknown field. */
export function unknownFieldSymptom(m: Manifest, parent: Path, key: string): string {
  const where = parent.length ? `${m.kind}.${fieldPath(parent)}` : m.kind;
  return `${prefix(m)}error validating data: ValidationError(${where}): unknown field "${key}"`;
}

/** The manifest cannot even be decoded into an object (apiVersion or kind not strings). */
export function decodeSymptom(m: Manifest, field: 'apiVersion' | 'kind', v: unknown): string {
  if (v === undefined || v === '') return `${prefix(m)}error validating data: ${field} not set`;
  return (
    `${prefix(m)}unable to build kubernetes objects from release manifest: unable to decode "": ` +
    `json: cannot unmarshal ${jsonType(v) === 'integer' ? 'number' : jsonType(v)} into Go struct field TypeMeta.${field} of type string`
  );
}

export function nameSymptom(m: Manifest): string {
  return `${prefix(m)}${qualifiedKind(m)} "" is invalid: metadata.name: Required value: name or generateName is required`;
}
