// From the validators' raw errors to violations: one per field, worded for people. Errors
// that only restate another (the oneOf/not that fail because the value has the wrong type,
// the branches of an int-or-string) are folded into the one that says what is wrong.
import type { Manifest, Path } from '../../manifest/types.js';
import { describeValue, invalidSymptom, jsonType, quote, type SchemaViolation, type ViolationKind } from './messages.js';
import type { RawError } from './registry.js';

type Segment = string | number;

/** `/spec/ports/0/port` -> ['spec', 'ports', 0, 'port'] (indices only where the data has an array). */
export function toPath(instancePath: string, data: unknown): Segment[] {
  if (!instancePath) return [];
  const out: Segment[] = [];
  let cur: unknown = data;
  for (const raw of instancePath.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const seg: Segment = Array.isArray(cur) && /^\d+$/.test(key) ? Number(key) : key;
    out.push(seg);
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[String(seg)] : undefined;
  }
  return out;
}

export function valueAt(data: unknown, path: Path): unknown {
  let cur = data;
  for (const k of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[String(k)] : undefined;
  return cur;
}

const listOf = (vs: unknown[], max = 8): string =>
  vs
    .slice(0, max)
    .map((v) => quote(v) ?? JSON.stringify(v))
    .join(', ') + (vs.length > max ? `, … (${vs.length} values)` : '');

const FORMATS: Record<string, string> = {
  byte: 'base64-encoded data',
  quantity: 'a quantity (e.g. 500m, 1Gi, 0.5)',
  int32: 'a 32-bit integer',
  int64: 'a 64-bit integer',
  double: 'a number',
  'date-time': 'an RFC 3339 date-time',
};

const COMPARISON: Record<string, string> = { '<=': 'at most', '>=': 'at least', '<': 'less than', '>': 'more than' };

export interface ConvertContext {
  m: Manifest;
  redact: boolean;
  /** Keys of the object at `path` that are alternatives of each other (for a failed oneOf). */
  exclusiveKeys(path: Path): string[];
}

interface Draft {
  kind: ViolationKind;
  message: string;
  detail: string;
  path?: Path;
}

function draft(e: RawError, v: unknown, path: Path, cx: ConvertContext, types: string[]): Draft | undefined {
  const got = describeValue(v, cx.redact);
  const shown = cx.redact ? 'a value' : (quote(v) ?? `"${jsonType(v)}"`);
  const p = e.params;
  switch (e.keyword) {
    case 'type':
      return {
        kind: 'type',
        message: `must be ${types.join(' or ')}, got ${got}`,
        detail: `Invalid value: "${jsonType(v)}": must be of type ${types.join(' or ')}`,
      };
    case 'required': {
      const field = String(p.missingProperty);
      return { kind: 'required', path: [...path, field], message: `missing required field "${field}"`, detail: 'Required value' };
    }
    case 'enum':
    case 'const': {
      const allowed = e.keyword === 'enum' ? (Array.isArray(p.allowedValues) ? p.allowedValues : []) : [p.allowedValue];
      return {
        kind: 'enum',
        message: `must be one of ${listOf(allowed)}, got ${got}`,
        detail: `Unsupported value: ${shown}: supported values: ${listOf(allowed)}`,
      };
    }
    case 'format': {
      const what = FORMATS[String(p.format)] ?? `of format ${p.format}`;
      return { kind: 'format', message: `must be ${what}, got ${got}`, detail: `Invalid value: ${shown}: must be ${what}` };
    }
    case 'pattern':
      return {
        kind: 'format',
        message: `must match ${String(p.pattern)}, got ${got}`,
        detail: `Invalid value: ${shown}: must match '${p.pattern}'`,
      };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const bound = `${COMPARISON[String(p.comparison)] ?? p.comparison} ${p.limit}`;
      return { kind: 'format', message: `must be ${bound}, got ${got}`, detail: `Invalid value: ${shown}: must be ${bound}` };
    }
    case 'minLength':
    case 'maxLength': {
      const n = typeof v === 'string' ? v.length : 0;
      const bound = `${e.keyword === 'minLength' ? 'at least' : 'at most'} ${p.limit} characters`;
      return { kind: 'format', message: `must be ${bound} long, got ${n}`, detail: `Invalid value: ${shown}: must have ${bound}` };
    }
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties': {
      const n = Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).length : 0;
      const what = e.keyword.endsWith('Items') ? 'items' : 'entries';
      const bound = `${e.keyword.startsWith('min') ? 'at least' : 'at most'} ${p.limit} ${what}`;
      return { kind: 'format', message: `must have ${bound}, got ${n}`, detail: `Invalid value: ${n}: must have ${bound}` };
    }
    case 'oneOf': {
      const passing = Array.isArray(p.passingSchemas) ? p.passingSchemas.length : 0;
      if (passing >= 2) {
        const keys = cx.exclusiveKeys(path);
        const which =
          keys.length >= 2 ? `${keys.map((k) => `"${k}"`).join(' and ')} exclude each other` : 'it sets fields that exclude each other';
        return {
          kind: 'type',
          message: `${which}: set only one`,
          detail: `Invalid value: "object": must validate one and only one schema (oneOf). Found ${passing} valid alternatives`,
        };
      }
      return {
        kind: 'type',
        message: 'matches none of its allowed forms',
        detail: 'Invalid value: "object": must validate one and only one schema (oneOf)',
      };
    }
    case 'anyOf':
      return {
        kind: 'type',
        message: 'matches none of its allowed forms',
        detail: 'Invalid value: must validate at least one schema (anyOf)',
      };
    case 'not':
      return {
        kind: 'type',
        message: 'sets a combination of fields that is not allowed',
        detail: 'Invalid value: must not validate the schema (not)',
      };
    default:
      return { kind: 'format', message: `is invalid (${e.keyword})`, detail: `Invalid value: ${shown}` };
  }
}

const COMBINATORS = new Set(['oneOf', 'anyOf', 'not']);

/** Violations for the raw errors of one object, in the validator's order, one per path and kind of problem. */
export function toViolations(raw: RawError[], cx: ConvertContext): SchemaViolation[] {
  const data = cx.m.obj;
  const byPath = new Map<string, { path: Segment[]; errors: RawError[] }>();
  for (const e of raw) {
    let g = byPath.get(e.instancePath);
    if (!g) byPath.set(e.instancePath, (g = { path: toPath(e.instancePath, data), errors: [] }));
    g.errors.push(e);
  }
  const out: SchemaViolation[] = [];
  const seen = new Set<string>();
  for (const { path, errors } of byPath.values()) {
    if (path[0] === 'status') continue; // dropped by the API server on create
    let types = [...new Set(errors.filter((e) => e.keyword === 'type').flatMap((e) => [e.params.type].flat().map(String)))];
    // int-or-string, quantity: when the value has the type of one alternative, what that alternative
    // says (format, pattern, enum) is the problem, not the other alternatives' types.
    const alternatives = errors.some((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
    const constraints = errors.some((e) => e.keyword !== 'type' && !COMBINATORS.has(e.keyword) && e.keyword !== 'required');
    if (alternatives && constraints) types = [];
    const others = errors.filter((e) => {
      if (e.keyword === 'not') return errors.length === 1;
      if (e.keyword === 'type') return types.length > 0;
      if (COMBINATORS.has(e.keyword)) return !types.length && !constraints; // restated by what failed inside
      return true;
    });
    for (const e of others) {
      const d = draft(e, valueAt(data, path), path, cx, types);
      if (!d) continue;
      const at = d.path ?? path;
      const key = `${JSON.stringify(at)}|${d.kind}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ path: at, kind: d.kind, message: d.message, symptom: invalidSymptom(cx.m, at, d.detail) });
    }
  }
  return out;
}
