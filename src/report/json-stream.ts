// JSON written as it is produced: a document whose big arrays (findings, SARIF results) are made one
// element at a time, so a report of ten thousand findings never exists as one string or one tree.
// The text is exactly `JSON.stringify(value, null, 2)` of the same document.

// Thrown by JSON.stringify when it meets a Lazy: the value is then written piece by piece. A plain value
// (every finding, every SARIF result) is written by one stringify, never walked first.
const NESTED = Symbol('a Lazy inside');

/** An array whose elements are made when written, not before. */
export class Lazy<T = unknown> {
  constructor(readonly items: Iterable<T>) {}
  toJSON(): never {
    throw NESTED;
  }
}

/** A lazily made array for `jsonChunks`: `lazy(findings, toJson)` maps one element at a time. */
export function lazy<T, U>(items: Iterable<T>, map: (item: T) => U): Lazy<U> {
  return new Lazy(
    (function* () {
      for (const x of items) yield map(x);
    })(),
  );
}

const INDENT = '  ';

/** Chunks of the pretty-printed JSON text of `value` (2-space indentation), with `Lazy` arrays streamed. */
export function* jsonChunks(value: unknown, depth = 0): Generator<string> {
  if (value instanceof Lazy) {
    yield* arrayChunks(value.items, depth);
    return;
  }
  const whole = plain(value, depth);
  if (whole !== NESTED) {
    yield whole;
    return;
  }
  if (Array.isArray(value)) {
    yield* arrayChunks(value, depth);
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (!entries.length) {
    yield '{}';
    return;
  }
  const pad = INDENT.repeat(depth + 1);
  yield '{';
  let first = true;
  for (const [k, v] of entries) {
    yield `${first ? '' : ','}\n${pad}${JSON.stringify(k)}: `;
    first = false;
    yield* jsonChunks(v, depth + 1);
  }
  yield `\n${INDENT.repeat(depth)}}`;
}

function* arrayChunks(items: Iterable<unknown>, depth: number): Generator<string> {
  const pad = INDENT.repeat(depth + 1);
  let first = true;
  for (const item of items) {
    yield `${first ? '[' : ','}\n${pad}`;
    first = false;
    // JSON.stringify writes undefined and functions inside arrays as null.
    yield* jsonChunks(item === undefined || typeof item === 'function' ? null : item, depth + 1);
  }
  yield first ? '[]' : `\n${INDENT.repeat(depth)}]`;
}

/** The text of `value` at `depth`, or NESTED when it holds a Lazy. */
function plain(value: unknown, depth: number): string | typeof NESTED {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2);
  } catch (err) {
    if (err === NESTED) return NESTED;
    throw err;
  }
  return depth ? text.replaceAll('\n', `\n${INDENT.repeat(depth)}`) : text;
}
