// YAML 1.1 scalars as Kubernetes reads them (sigs.k8s.io/yaml -> go-yaml v2):
// yes/no/on/off/y/n are booleans, 0755 is octal, 1_000 is an integer, and there is
// no timestamp type (dates stay strings). js-yaml 4 reads YAML 1.2, so we give it
// our own implicit types on top of the failsafe schema.
import jsyaml from 'js-yaml';
import { describeLimit, limitAmount, type LimitName } from '../core/limits.js';

const BOOL_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const BOOL_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

const nullType = new jsyaml.Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (s: string) => s === '' || s === '~' || (s.length === 4 && (s === 'null' || s === 'Null' || s === 'NULL')),
  construct: () => null,
  predicate: (o: unknown) => o === null,
  represent: { lowercase: () => 'null' },
  defaultStyle: 'lowercase',
});

const boolType = new jsyaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (s: string) => s.length <= 5 && (BOOL_TRUE.has(s) || BOOL_FALSE.has(s)),
  construct: (s: string) => BOOL_TRUE.has(s),
  predicate: (o: unknown) => typeof o === 'boolean',
  represent: { lowercase: (o: object) => (o ? 'true' : 'false') },
  defaultStyle: 'lowercase',
});

/** Cheap pre-check before the number regexes: most scalars in manifests are words. */
function maybeNumber(s: string): boolean {
  const c = s.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46; // 0-9 + - .
}

const INT_RE = /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|0|[1-9][0-9_]*|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;

export function parseInt11(s: string): number {
  let t = s.replace(/_/g, '');
  let sign = 1;
  if (t[0] === '-' || t[0] === '+') {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  if (t === '0') return 0;
  if (t.startsWith('0b')) return sign * parseInt(t.slice(2), 2);
  if (t.startsWith('0x')) return sign * parseInt(t.slice(2), 16);
  if (t.startsWith('0')) return sign * parseInt(t.slice(1), 8);
  if (t.includes(':')) return sign * t.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
  return sign * Number(t);
}

const intType = new jsyaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (s: string) => maybeNumber(s) && INT_RE.test(s) && !/^[-+]?_/.test(s),
  construct: parseInt11,
  predicate: (o: unknown) => typeof o === 'number' && Number.isInteger(o),
  represent: { decimal: (o: object) => String(o) },
  defaultStyle: 'decimal',
});

const FLOAT_RE =
  /^(?:[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?:[eE][-+]?[0-9]+)|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

const floatType = new jsyaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (s: string) => maybeNumber(s) && FLOAT_RE.test(s) && s !== '.' && s !== '+.' && s !== '-.',
  construct: (s: string) => {
    const t = s.replace(/_/g, '').toLowerCase();
    if (t.endsWith('.inf')) return t.startsWith('-') ? -Infinity : Infinity;
    if (t === '.nan') return NaN;
    return Number(t);
  },
  predicate: (o: unknown) => typeof o === 'number' && !Number.isInteger(o),
  represent: { decimal: (o: object) => String(o) },
  defaultStyle: 'decimal',
});

/** The schema Kubernetes effectively uses: YAML 1.1 null, bool, int, float and merge keys. */
export const K8S_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [nullType, boolType, intType, floatType, (jsyaml as unknown as { types: { merge: jsyaml.Type } }).types.merge],
});

/**
 * An input over one of the YAML bounds, shaped like js-yaml's own errors (`reason`, 0-based `mark`)
 * so that every caller that reports those reports this one the same way, with its position.
 */
export class YamlBoundError extends Error {
  readonly reason: string;
  readonly mark: { line: number; column: number };
  readonly limit: LimitName;
  constructor(limit: LimitName, reason: string, mark: { line: number; column: number }) {
    super(reason);
    this.name = 'YamlBoundError';
    this.limit = limit;
    this.reason = reason;
    this.mark = mark;
  }
}

/** The budget of values reached through aliases, shared by the documents of one input. */
export interface AliasBudget {
  left: number;
}

/** 0-based line and column of offset `i` in `text`. */
function markAt(text: string, i: number): { line: number; column: number } {
  let line = 0;
  let start = 0;
  for (let j = text.indexOf('\n'); j !== -1 && j < i; j = text.indexOf('\n', j + 1)) {
    line++;
    start = j + 1;
  }
  return { line, column: i - start };
}

/** Where the first alias (`*name` after a space, `[`, `{`, `,` or `:`) is, for messages. */
function firstAlias(text: string): { line: number; column: number } {
  const m = /(?:^|[\s[{,:])\*[^\s,\]}]/m.exec(text);
  return markAt(text, m ? m.index + m[0].length - 2 : 0);
}

/**
 * js-yaml shares an anchored node between its aliases rather than copying it, so an alias bomb
 * parses quickly into a small graph; the cost comes later, in whatever walks the tree. This
 * measures the tree the graph stands for: its size beyond the distinct values (what aliases
 * add), its height, and cycles (an alias inside the node it names). Recursion stops at the depth
 * limit, so the walk itself cannot overflow the stack.
 */
export function measureAliases(value: unknown, text: string, budget: AliasBudget, maxDepth: number): void {
  const size = new Map<object, number>();
  const height = new Map<object, number>();
  const open = new Set<object>();
  let distinct = 0;
  const visit = (v: unknown, depth: number): number => {
    if (v === null || typeof v !== 'object') {
      distinct++;
      return 1;
    }
    const known = size.get(v);
    if (known !== undefined) {
      if (depth + (height.get(v) ?? 0) > maxDepth)
        throw new YamlBoundError('depth', `aliases nest the document deeper than ${describeLimit('depth')}`, firstAlias(text));
      return known;
    }
    if (open.has(v))
      throw new YamlBoundError('aliases', 'an alias names a mapping or sequence that contains it (a cycle)', firstAlias(text));
    if (depth > maxDepth)
      throw new YamlBoundError('depth', `aliases nest the document deeper than ${describeLimit('depth')}`, firstAlias(text));
    open.add(v);
    distinct++;
    let n = 1;
    let h = 0;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const c of children) {
      n += visit(c, depth + 1);
      if (c !== null && typeof c === 'object') h = Math.max(h, (height.get(c) ?? 0) + 1);
    }
    open.delete(v);
    size.set(v, n);
    height.set(v, h);
    return n;
  };
  const total = visit(value, 0);
  budget.left -= total - distinct;
  if (budget.left < 0)
    throw new YamlBoundError('aliases', `aliases expand the input by more than ${describeLimit('aliases')}`, firstAlias(text));
}

export interface LoadBounds {
  /**
   * A duplicated mapping key keeps its last value, as Helm and Flux read values (sigs.k8s.io/yaml),
   * instead of failing (Kubernetes manifests keep failing: the API server refuses them).
   */
  lastKeyWins?: boolean;
  /** Shared by the documents of one input (default: a fresh budget of the alias limit). */
  aliases?: AliasBudget;
  /** Default: the depth limit. */
  maxDepth?: number;
}

/**
 * Parses one YAML document (no `---` splitting) the way Kubernetes would, within the depth and
 * alias bounds (src/core/limits.ts): deeper nesting stops the parser before the stack runs out.
 */
export function loadYaml11(text: string, filename?: string, bounds: LoadBounds = {}): unknown {
  // js-yaml reports a NUL byte at line 1 whatever its place: say where it is.
  const nul = text.indexOf('\0');
  if (nul >= 0)
    throw Object.assign(new Error('a NUL byte: YAML does not allow one'), {
      reason: 'a NUL byte: YAML does not allow one',
      mark: markAt(text, nul),
    });
  const maxDepth = bounds.maxDepth ?? limitAmount('depth');
  let value: unknown;
  try {
    // js-yaml counts nesting itself (maxDepth, as our limit counts it: every node entered) and stops there.
    const options: jsyaml.LoadOptions & { maxDepth: number } = {
      schema: K8S_SCHEMA,
      filename,
      json: bounds.lastKeyWins === true,
      maxDepth,
    };
    value = jsyaml.load(text, options);
  } catch (err) {
    const e = err as { reason?: unknown; mark?: { line?: unknown; column?: unknown } };
    if (typeof e.reason === 'string' && e.reason.startsWith('nesting exceeded maxDepth'))
      throw new YamlBoundError('depth', `mappings and sequences nest deeper than ${describeLimit('depth')}`, {
        line: Number(e.mark?.line ?? 0),
        column: Number(e.mark?.column ?? 0),
      });
    // Only when the depth limit was raised past what the stack holds.
    if (err instanceof RangeError)
      throw new YamlBoundError('depth', `mappings and sequences nest deeper than the parser's stack allows`, { line: 0, column: 0 });
    throw err;
  }
  // An alias needs a `*`: most documents have none and skip the walk.
  if (value !== null && typeof value === 'object' && text.includes('*'))
    measureAliases(value, text, bounds.aliases ?? { left: limitAmount('aliases') }, maxDepth);
  return value;
}
