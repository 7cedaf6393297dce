// Bounds on what bbmesh reads, so that a hostile or broken input (an alias bomb, /dev/zero, a
// generated 200 MB file, 50,000 nested brackets) ends in a clear exit 2 instead of minutes of CPU,
// gigabytes of memory or a stack overflow. Each bound has an environment variable to raise it.
import { UserError } from './errors.js';

export interface Limit {
  /** The environment variable that overrides the default. */
  env: string;
  default: number;
  unit: 'MiB' | 'values' | 'levels';
  /** For messages: `the <what> limit of 64 MiB`. */
  what: string;
}

export const LIMITS = {
  /** One input: a file, stdin, a snapshot, a values file, or Helm's output. */
  input: { env: 'BBMESH_MAX_INPUT_MB', default: 64, unit: 'MiB', what: 'input' },
  /** One YAML document (a `kubectl get -o yaml` List is bounded by the input size instead). */
  document: { env: 'BBMESH_MAX_DOCUMENT_MB', default: 16, unit: 'MiB', what: 'document' },
  /** Values reached through YAML aliases beyond the values written, per input: an alias bomb multiplies them. */
  aliases: { env: 'BBMESH_MAX_ALIAS_VALUES', default: 100_000, unit: 'values', what: 'alias' },
  /** Nesting of mappings and sequences; Kubernetes objects nest a few dozen levels. */
  depth: { env: 'BBMESH_MAX_DEPTH', default: 500, unit: 'levels', what: 'nesting' },
} as const satisfies Record<string, Limit>;

export type LimitName = keyof typeof LIMITS;

/** The limit in force: the environment variable when it is a positive number, else the default. */
export function limitValue(name: LimitName): number {
  const l = LIMITS[name];
  const raw = process.env[l.env];
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0)
      throw new UserError(`${l.env}=${raw} is not a positive number`, { hint: `unset it for the default, ${l.default}` });
    return n;
  }
  return l.default;
}

/** The limit in the unit compared against: bytes for sizes, a count otherwise. */
export function limitAmount(name: LimitName): number {
  const v = limitValue(name);
  return LIMITS[name].unit === 'MiB' ? Math.floor(v * 1024 * 1024) : Math.floor(v);
}

/** `the input limit of 64 MiB (BBMESH_MAX_INPUT_MB raises it)` */
export function describeLimit(name: LimitName): string {
  const l = LIMITS[name];
  return `the ${l.what} limit of ${limitValue(name).toLocaleString('en-US')} ${l.unit} (${l.env} raises it)`;
}

/** The exit-2 error for an input over a size limit; `detail` names the input and says by how much. */
export function overLimit(name: LimitName, where: { file?: string; line?: number; column?: number }, detail: string): UserError {
  return new UserError(`${detail}, over ${describeLimit(name)}`, {
    ...where,
    hint: 'is this the right file? bbmesh reads rendered manifests, not binaries or devices',
  });
}
