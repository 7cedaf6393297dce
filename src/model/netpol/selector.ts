// metav1.LabelSelector as Kubernetes evaluates it (LabelSelectorAsSelector): matchLabels and matchExpressions
// are ANDed, `{}` selects everything, a null selector or one the API server would reject selects nothing.

export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  key: string;
  operator: LabelSelectorOperator;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** A three-valued answer: 'unknown' when offline input cannot decide. */
export type Tri = boolean | 'unknown';

const OPERATORS = new Set<string>(['In', 'NotIn', 'Exists', 'DoesNotExist']);
const NAME_RE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A raw value for a message (String() throws on null-prototype objects). */
export function show(x: unknown): string {
  return typeof x === 'string' ? x : (JSON.stringify(x) ?? String(x));
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Why a label key is not a qualified name (`[prefix/]name`), or undefined when it is one. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (!prefix || prefix.length > 253 || !DNS_SUBDOMAIN_RE.test(prefix)) return `label key "${key}" has an invalid prefix`;
  }
  if (!name || name.length > 63 || !NAME_RE.test(name)) return `"${key}" is not a valid label key`;
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !NAME_RE.test(value)) return `"${value}" is not a valid label value`;
  return undefined;
}

/**
 * Why the API server would reject this selector (each problem with the key path below the selector), or []
 * when it is valid. Accepts raw JSON: wrong types are problems too.
 */
export function labelSelectorProblems(raw: unknown): Array<{ path: Array<string | number>; message: string }> {
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  if (!isRecord(raw)) return [{ path: [], message: 'a label selector must be an object' }];
  const { matchLabels, matchExpressions } = raw;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isRecord(matchLabels)) out.push({ path: ['matchLabels'], message: 'matchLabels must be a map of strings' });
    else
      for (const [k, v] of Object.entries(matchLabels)) {
        const problem = labelKeyProblem(k) ?? (typeof v === 'string' ? labelValueProblem(v) : `the value of "${k}" must be a string`);
        if (problem) out.push({ path: ['matchLabels', k], message: problem });
      }
  }
  if (matchExpressions !== undefined && matchExpressions !== null) {
    if (!Array.isArray(matchExpressions)) return [...out, { path: ['matchExpressions'], message: 'matchExpressions must be a list' }];
    matchExpressions.forEach((e: unknown, i) => {
      const problem = requirementProblem(e);
      if (problem) out.push({ path: ['matchExpressions', i], message: problem });
    });
  }
  return out;
}

function requirementProblem(e: unknown): string | undefined {
  if (!isRecord(e)) return 'a match expression must be an object';
  const { key, operator, values } = e;
  if (typeof key !== 'string') return 'a match expression needs a string key';
  const keyProblem = labelKeyProblem(key);
  if (keyProblem) return keyProblem;
  if (typeof operator !== 'string' || !OPERATORS.has(operator)) return `"${show(operator)}" is not a valid label selector operator`;
  const vals = values ?? [];
  if (!Array.isArray(vals)) return 'values must be a list of strings';
  if ((operator === 'In' || operator === 'NotIn') && vals.length === 0) return `values must be non-empty for ${operator}`;
  if ((operator === 'Exists' || operator === 'DoesNotExist') && vals.length > 0) return `values must be empty for ${operator}`;
  for (const v of vals) {
    if (typeof v !== 'string') return 'values must be strings';
    const problem = labelValueProblem(v);
    if (problem) return problem;
  }
  return undefined;
}

// Selectors are evaluated many times per model: validate each (immutable) selector object once.
const validity = new WeakMap<object, boolean>();
function isValid(sel: LabelSelector): boolean {
  if (!isRecord(sel)) return false;
  let ok = validity.get(sel);
  if (ok === undefined) validity.set(sel, (ok = labelSelectorProblems(sel).length === 0));
  return ok;
}

/**
 * Does a selector select an object with these labels? `undefined` (a null selector) selects nothing, `{}` selects
 * everything, and so does Kubernetes: a selector the API server would reject selects nothing.
 */
export function labelSelectorMatches(sel: LabelSelector | undefined, labels: Record<string, string>): boolean {
  return labelSelectorMatchesKnown(sel, labels, true) === true;
}

/**
 * Like labelSelectorMatches when only some labels are known: with `complete` false, a key absent from `known`
 * may or may not be set, and a requirement on it is 'unknown' (Kleene AND over the requirements).
 */
export function labelSelectorMatchesKnown(sel: LabelSelector | undefined, known: Record<string, string>, complete: boolean): Tri {
  if (sel === undefined || !isValid(sel)) return false;
  let result: Tri = true;
  const has = (k: string) => Object.hasOwn(known, k);
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    if (!has(k)) {
      if (complete) return false;
      result = 'unknown';
    } else if (known[k] !== v) return false;
  }
  for (const req of sel.matchExpressions ?? []) {
    if (!has(req.key) && !complete) {
      result = 'unknown';
      continue;
    }
    const present = has(req.key);
    const inValues = present && (req.values ?? []).includes(known[req.key]!);
    const ok = req.operator === 'In' ? inValues : req.operator === 'NotIn' ? !inValues : req.operator === 'Exists' ? present : !present;
    if (!ok) return false;
  }
  return result;
}
