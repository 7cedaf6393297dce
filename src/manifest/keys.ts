// The one YAML key finder: a single pass over block-style YAML lines (what Helm and kubectl print, and
// what Helm templates look like between their actions) that records each key and list item with its
// chain of keys and list ordinals. Exact positions in rendered documents (locate.ts), template lines
// (template-line.ts), SARIF regions, package-source rules and integrate all ask it.

export type Chain = Array<string | number>;

export interface KeyLine {
  /** 1-based line within the scanned text. */
  line: number;
  /** 1-based column of the key (or of an item's value). */
  column: number;
  /** Indentation of the key (the dash's column for an item). */
  indent: number;
  /** The key, or the item's ordinal. */
  key: string | number;
  /** Keys and ordinals from the document root down to this entry. */
  chain: Chain;
  kind: 'key' | 'item';
  /** The text after `key:` (comment stripped), '' for a block. */
  value: string;
}

export interface ScanOptions {
  /** Helm templates: skip lines that start with an action (`{{`). */
  template?: boolean;
  /**
   * Rendered YAML must be exactly block style: give up (return undefined) on tabs in indentation or
   * nested dashes on one line, so the caller uses the full parser instead.
   */
  strict?: boolean;
}

// Line shapes (read by hand in readLine; test/manifest/keys.property.test.ts holds them as regexes):
//   key line  ^( *)((?:- +)*)(?:"([^"\n]*)"|'([^'\n]*)'|((?:[A-Za-z0-9_./-]|:(?=[^\s:]))+))[ \t]*:(?:[ \t]+(.*))?$
//   item line ^( *)- +(.*)$
// A plain key may hold a colon not followed by a space (bb-common's `portal-docs:8080:`, `backend/api:8080:`).
const BLOCK_SCALAR = /^[|>][-+0-9]*[ \t]*(#.*)?$/;

function stripComment(v: string): string {
  const i = v.search(/\s#/);
  return (i >= 0 ? v.slice(0, i) : v).trim();
}

/** What the walk passes for each key or item; `stack` is the live chain (copy it to keep it). */
type Visit = (
  line: number,
  column: number,
  indent: number,
  kind: KeyLine['kind'],
  value: string,
  stack: readonly Entry[],
) => boolean | void;
interface Entry {
  indent: number;
  key: string | number;
}

const isKeyChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 47 || c === 45;
const isBlank = (c: number) => c === 32 || c === 9;
/** `\\s` of a regex, for the characters a rendered line can hold. */
const isSpace = (c: number) => c === 32 || c === 9 || c === 13 || c === 10 || c === 11 || c === 12 || c === 160;

/**
 * One line read as KEY_LINE and ITEM_LINE read it (the regexes stay as the reference in
 * test/manifest/keys.property.test.ts), by hand: this runs for every line of every document a finding is on.
 * Returns undefined for a line that is neither a key nor an item.
 */
function readLine(raw: string, n: number, at: number): { dash: number; keyAt: number; key?: string; valueAt: number } | undefined {
  // `- ` list dashes before a key; as the regex backtracks, fewer dashes are tried when no key follows them all
  const starts = [at];
  for (let p = at; raw.charCodeAt(p) === 45 && raw.charCodeAt(p + 1) === 32;) {
    p += 2;
    while (raw.charCodeAt(p) === 32) p++;
    starts.push(p);
  }
  for (let k = starts.length - 1; k >= 0; k--) {
    const found = keyAt(raw, n, starts[k]);
    if (found) return { dash: at, keyAt: starts[k], key: found.key, valueAt: found.valueAt };
  }
  // an item without a key: `- value`
  if (raw.charCodeAt(at) === 45 && raw.charCodeAt(at + 1) === 32) {
    let v = at + 2;
    while (raw.charCodeAt(v) === 32) v++;
    return { dash: at, keyAt: -1, valueAt: v };
  }
  return undefined;
}

/** A key at `p` followed by `:` and a blank or the end of the line, with where its value starts. */
function keyAt(raw: string, n: number, p: number): { key: string; valueAt: number } | undefined {
  let key: string | undefined;
  let q = p;
  const c0 = raw.charCodeAt(p);
  if (c0 === 34 || c0 === 39) {
    const close = raw.indexOf(c0 === 34 ? '"' : "'", p + 1);
    if (close > 0 && close < n) {
      key = raw.slice(p + 1, close);
      q = close + 1;
    }
  } else {
    while (q < n) {
      const c = raw.charCodeAt(q);
      if (isKeyChar(c)) q++;
      else if (c === 58 && q + 1 < n && !isSpace(raw.charCodeAt(q + 1)) && raw.charCodeAt(q + 1) !== 58) q++;
      else break;
    }
    if (q > p) key = raw.slice(p, q);
  }
  if (key === undefined) return undefined;
  let r = q;
  while (r < n && isBlank(raw.charCodeAt(r))) r++;
  if (raw.charCodeAt(r) !== 58 || (r + 1 < n && !isBlank(raw.charCodeAt(r + 1)))) return undefined;
  let v = r + 1;
  while (v < n && isBlank(raw.charCodeAt(v))) v++;
  return { key, valueAt: v };
}

/** The one pass: calls `visit` per key and item until it returns true; false when strict mode gives up. */
function walk(lines: readonly string[], opts: ScanOptions, from: number, to: number, visit: Visit): boolean {
  const stack: Entry[] = [];
  let blockIndent = -1;
  const item = (dash: number) => {
    while (stack.length && stack[stack.length - 1].indent > dash) stack.pop();
    const top = stack[stack.length - 1];
    let ordinal = 0;
    if (top && typeof top.key === 'number' && top.indent === dash) {
      stack.pop();
      ordinal = top.key + 1;
    }
    stack.push({ indent: dash, key: ordinal });
  };
  const blockScalar = (raw: string, n: number, v: number) => {
    const c = raw.charCodeAt(v);
    return (c === 124 || c === 62) && BLOCK_SCALAR.test(raw.slice(v, n));
  };
  for (let i = from; i < to; i++) {
    const raw = lines[i];
    const n = raw.charCodeAt(raw.length - 1) === 13 ? raw.length - 1 : raw.length;
    let spaces = 0;
    while (spaces < n && raw.charCodeAt(spaces) === 32) spaces++;
    let indent = spaces;
    while (indent < n && isBlank(raw.charCodeAt(indent))) indent++;
    if (indent === n) continue;
    const c = raw.charCodeAt(indent);
    if (c === 35) continue; // # comment
    if ((c === 45 && raw.startsWith('---', indent)) || (c === 46 && raw.startsWith('...', indent))) continue;
    if (blockIndent >= 0) {
      if (indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (opts.template && c === 123 && raw.charCodeAt(indent + 1) === 123) continue;
    if (indent > spaces) {
      // a tab in the indentation
      if (opts.strict) return false;
      continue;
    }
    if (opts.strict && c === 45 && /^- +- /.test(raw.slice(indent, n))) return false;
    const line = readLine(raw, n, indent);
    if (!line) continue;
    const value = line.valueAt < n ? raw.slice(line.valueAt, n) : '';
    if (line.key !== undefined) {
      if (line.keyAt > line.dash) {
        item(line.dash);
        if (visit(i + 1, line.keyAt + 1, line.dash, 'item', '', stack)) return true;
      }
      while (stack.length && stack[stack.length - 1].indent >= line.keyAt) stack.pop();
      stack.push({ indent: line.keyAt, key: line.key });
      if (visit(i + 1, line.keyAt + 1, line.keyAt, 'key', value, stack)) return true;
      if (blockScalar(raw, n, line.valueAt)) blockIndent = line.keyAt;
      continue;
    }
    item(line.dash);
    if (visit(i + 1, line.valueAt + 1, line.dash, 'item', value, stack)) return true;
    if (blockScalar(raw, n, line.valueAt)) blockIndent = line.dash;
  }
  return true;
}

/** Scans lines [from, to) of a text split into lines. */
export function scanLines(lines: readonly string[], opts: ScanOptions = {}, from = 0, to = lines.length): KeyLine[] | undefined {
  const out: KeyLine[] = [];
  const ok = walk(lines, opts, from, to, (line, column, indent, kind, value, stack) => {
    out.push({ line, column, indent, key: stack[stack.length - 1].key, chain: stack.map((e) => e.key), kind, value: stripComment(value) });
  });
  return ok ? out : undefined;
}

/**
 * Where the entry with exactly this chain of keys and ordinals first starts, without keeping the rest:
 * null when strict block style does not hold (the caller parses fully), undefined when absent.
 */
export function findChain(
  lines: readonly string[],
  chain: readonly (string | number)[],
  opts: ScanOptions = {},
): { line: number; column: number } | null | undefined {
  let found: { line: number; column: number } | undefined;
  const ok = walk(lines, opts, 0, lines.length, (line, column, _indent, _kind, _value, stack) => {
    if (stack.length !== chain.length) return false;
    for (let i = 0; i < chain.length; i++) if (stack[i].key !== chain[i]) return false;
    found = { line, column };
    return true;
  });
  return ok ? found : null;
}

const cache = new Map<string, KeyLine[]>();

/** The key lines of a text (cached per text; templates are scanned leniently). */
export function scanKeys(text: string, opts: ScanOptions = { template: true }): KeyLine[] {
  const k = `${opts.template ? 't' : ''}${opts.strict ? 's' : ''}:${text}`;
  let hit = cache.get(k);
  if (!hit) {
    hit = scanLines(text.split('\n'), opts) ?? [];
    if (cache.size > 500) cache.clear();
    cache.set(k, hit);
  }
  return hit;
}

const keysOnly = (c: Chain) => c.filter((x): x is string => typeof x === 'string');

/**
 * The line of a nested key path (keys only, list ordinals ignored): the deepest prefix of `keys` that
 * the text has, with how many keys matched, so callers can fall back to the parent.
 */
export function findKeyPath(text: string, keys: string[], fromLine = 1): { pos?: { line: number; column: number }; depth: number } {
  let best: KeyLine | undefined;
  let depth = 0;
  for (const kl of scanKeys(text)) {
    if (kl.kind !== 'key' || kl.line < fromLine) continue;
    const ks = keysOnly(kl.chain);
    let d = 0;
    while (d < ks.length && d < keys.length && ks[d] === keys[d]) d++;
    if (d === ks.length && d > depth) {
      best = kl;
      depth = d;
      if (d === keys.length) break;
    }
  }
  return { pos: best ? { line: best.line, column: best.column } : undefined, depth };
}

/** The line of a top-level `key: value` (e.g. `kind: VirtualService`), undefined when absent. */
export function topLevelValueLine(text: string, key: string, value: string): number | undefined {
  for (const kl of scanKeys(text)) {
    if (kl.kind === 'key' && kl.chain.length === 1 && kl.key === key && kl.value.replace(/^["']|["']$/g, '') === value) return kl.line;
  }
  return undefined;
}
