// Values merging exactly as Flux's helm-controller does it (transform.MergeMaps):
// maps merge deeply, later wins, anything else is replaced.
import { UserError } from '../../core/errors.js';

export type Values = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function mergeValues(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? mergeValues(b, v) : v;
  }
  return out;
}

/** Splits `a.b\.c[0].d` into path segments, as Helm's strvals does. */
export function parseKeyPath(key: string): (string | number)[] {
  const parts: (string | number)[] = [];
  let cur = '';
  for (let i = 0; i < key.length; i++) {
    const c = key[i];
    if (c === '\\' && i + 1 < key.length) {
      cur += key[++i];
      continue;
    }
    if (c === '.') {
      if (cur) parts.push(cur);
      cur = '';
      continue;
    }
    if (c === '[') {
      const close = key.indexOf(']', i);
      const idx = Number(key.slice(i + 1, close));
      if (close < 0 || !Number.isInteger(idx) || idx < 0) throw new UserError(`bad list index in "${key}"`);
      if (cur) parts.push(cur);
      cur = '';
      parts.push(idx);
      i = close;
      continue;
    }
    cur += c;
  }
  if (cur) parts.push(cur);
  return parts;
}

/** Like `--set`: `true`/`false`/`null`, integers as numbers, everything else a string. */
export function typedScalar(s: string): unknown {
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'null') return null;
  if (/^-?(0|[1-9][0-9]{0,15})$/.test(s)) return Number(s);
  return s;
}

export function setPath(target: Values, path: (string | number)[], value: unknown): void {
  let cur = target as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i];
    const nextIsIndex = typeof path[i + 1] === 'number';
    if (cur[k] === undefined || cur[k] === null || typeof cur[k] !== 'object') cur[k] = nextIsIndex ? [] : {};
    cur = cur[k] as Record<string | number, unknown>;
  }
  cur[path[path.length - 1]] = value;
}

/** Parses `a.b=1,c=x` (one or more assignments) as `helm --set` does, into a values tree. */
export function parseSet(expr: string): Values {
  const out: Values = {};
  // split on commas not escaped and not inside {...}
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === '\\' && i + 1 < expr.length) {
      cur += c + expr[++i];
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  parts.push(cur);
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new UserError(`--set ${expr}: expected KEY=VALUE`, { hint: 'e.g. --set istio.enabled=true' });
    const key = p.slice(0, eq);
    const raw = p.slice(eq + 1);
    let value: unknown;
    if (raw.startsWith('{') && raw.endsWith('}'))
      value = raw
        .slice(1, -1)
        .split(',')
        .filter((x) => x !== '')
        .map(typedScalar);
    else value = typedScalar(raw.replace(/\\(.)/g, '$1'));
    setPath(out, parseKeyPath(key), value);
  }
  return out;
}
