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

// A plain key may hold a colon not followed by a space (bb-common's `portal-docs:8080:`, `backend/api:8080:`).
const KEY_LINE = /^( *)((?:- +)*)(?:"([^"\n]*)"|'([^'\n]*)'|((?:[A-Za-z0-9_./-]|:(?=[^\s:]))+))[ \t]*:(?:[ \t]+(.*))?$/;
const ITEM_LINE = /^( *)- +(.*)$/;
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
  for (let i = from; i < to; i++) {
    let raw = lines[i];
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    const trimmed = raw.trimStart();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('---') || trimmed.startsWith('...')) continue;
    const indent = raw.length - trimmed.length;
    if (blockIndent >= 0) {
      if (indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (opts.template && trimmed.startsWith('{{')) continue;
    if (raw.slice(0, indent).includes('\t')) {
      if (opts.strict) return false;
      continue;
    }
    if (opts.strict && /^- +- /.test(trimmed)) return false;
    const km = KEY_LINE.exec(raw);
    if (km) {
      const dashIndent = km[1].length;
      const keyIndent = dashIndent + km[2].length;
      if (km[2]) {
        item(dashIndent);
        if (visit(i + 1, keyIndent + 1, dashIndent, 'item', '', stack)) return true;
      }
      while (stack.length && stack[stack.length - 1].indent >= keyIndent) stack.pop();
      stack.push({ indent: keyIndent, key: km[3] ?? km[4] ?? km[5] });
      if (visit(i + 1, keyIndent + 1, keyIndent, 'key', km[6] ?? '', stack)) return true;
      if (BLOCK_SCALAR.test(km[6] ?? '')) blockIndent = keyIndent;
      continue;
    }
    const im = ITEM_LINE.exec(raw);
    if (im) {
      item(im[1].length);
      if (visit(i + 1, raw.length - im[2].length + 1, im[1].length, 'item', im[2], stack)) return true;
      if (BLOCK_SCALAR.test(im[2])) blockIndent = im[1].length;
    }
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
