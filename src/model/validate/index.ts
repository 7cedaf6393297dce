// Validates objects as the API server would on apply: the schema of the kind (from the kept
// model packages, loaded only for kinds present), unknown fields (as Helm's and kubectl's
// validation and the API server's strict field validation report them), and the identity
// every object needs. Kinds without a kept schema (other CRDs) get the identity checks only.
import type { Manifest, Path } from '../../manifest/types.js';
import { toViolations, valueAt } from './errors.js';
import { identityViolations, nameFormatViolations } from './identity.js';
import { isSecret, unknownFieldSymptom, type SchemaViolation } from './messages.js';
import { schemaFor, type KindSchema } from './registry.js';
import { learn, unknownFields } from './shape.js';

export type { SchemaViolation, ViolationKind } from './messages.js';
export { schemaFor, loadedSchemaCount, type KindSchema } from './registry.js';

/**
 * Groups whose compiled schema is not a faithful list of fields: the generator strips the
 * properties named `description` and `x-kubernetes-*` from JSONSchemaProps, so a CRD's own
 * schema would look full of unknown fields. Their types are still checked.
 */
const NO_UNKNOWN_FIELD_CHECK = new Set(['apiextensions.k8s.io']);

/** `bbmesh render` replaces credentials in Secrets with a marker (sources/render/redact.ts): not the user's value. */
const isRedacted = (v: unknown): boolean => typeof v === 'string' && v.startsWith('<redacted by bbmesh');

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Edit distance with transpositions (optimal string alignment), for "did you mean". */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[x.length][y.length];
}

function suggestion(key: string, known: Iterable<string>): string {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = distance(key, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

function shapeAt(schema: KindSchema, parent: Path) {
  let s = schema.shape;
  for (const k of parent) s = s.child.get(typeof k === 'number' ? '*' : k) ?? s.child.get('*') ?? s;
  return s;
}

function unknownFieldViolations(m: Manifest, schema: KindSchema): SchemaViolation[] {
  if (NO_UNKNOWN_FIELD_CHECK.has(schema.group)) return [];
  const obj = m.obj as Record<string, unknown>;
  let r = unknownFields(schema.shape, obj);
  if (r.unlearned || r.found.length) {
    // Learn from this very object: the cache only ever says "known"; a report needs the validator's word.
    learn(schema.validate, obj, schema.shape);
    r = unknownFields(schema.shape, obj);
  }
  return r.found.map(({ path, key }) => {
    const parent = path.slice(0, -1);
    return {
      path,
      kind: 'unknown-field' as const,
      message: `unknown field "${key}"${suggestion(key, shapeAt(schema, parent).keys)}`,
      symptom: unknownFieldSymptom(m, parent, key),
    };
  });
}

const pointer = (path: Path): string => path.map((k) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** Keys of the object at `path` whose removal satisfies the failed oneOf there: the alternatives set together. */
function exclusiveKeys(m: Manifest, schema: KindSchema, path: Path): string[] {
  const node = valueAt(m.obj, path);
  if (!isRecord(node)) return [];
  const at = pointer(path);
  return Object.keys(node).filter((key) => {
    const { [key]: _dropped, ...rest } = node;
    return !schema.validate(withValueAt(m.obj, path, rest)).some((e) => e.keyword === 'oneOf' && e.instancePath === at);
  });
}

/** A copy of `root` with `value` at `path`, sharing everything off the path. */
function withValueAt(root: unknown, path: Path, value: unknown): unknown {
  if (!path.length) return value;
  const [k, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[Number(k)] = withValueAt(root[Number(k)], rest, value);
    return copy;
  }
  const rec = isRecord(root) ? root : {};
  return { ...rec, [k]: withValueAt(rec[String(k)], rest, value) };
}

/** Every schema violation of one object; [] for a valid object. */
export function validateManifest(m: Manifest): SchemaViolation[] {
  const redact = isSecret(m);
  const out = identityViolations(m, redact);
  const obj = m.obj as Record<string, unknown>;
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return out;
  const schema = schemaFor(obj.apiVersion, obj.kind);
  if (!schema) return out;
  out.push(...nameFormatViolations(m));
  const raw = schema.validate(obj);
  if (raw.length) out.push(...toViolations(raw, { m, redact, exclusiveKeys: (p) => exclusiveKeys(m, schema, p) }));
  out.push(...unknownFieldViolations(m, schema));
  const seen = new Set<string>();
  return out.filter((v) => {
    if (redact && isRedacted(valueAt(obj, v.path))) return false;
    const key = `${JSON.stringify(v.path)}|${v.kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
