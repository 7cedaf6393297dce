// Exact line and column for a path inside an object, computed lazily: the fast loader
// keeps no positions; when a finding needs one, we re-parse only that document with
// the positional `yaml` parser and cache it.
import { LineCounter, parseDocument, isCollection, type Document } from 'yaml';
import type { DocSpan, Location, Manifest, Path } from './types.js';

const cache = new WeakMap<DocSpan, { doc: Document; lc: LineCounter }>();

function parsed(span: DocSpan) {
  let hit = cache.get(span);
  if (!hit) {
    const lc = new LineCounter();
    const doc = parseDocument(span.text.slice(span.start, span.end), {
      version: '1.1',
      lineCounter: lc,
      keepSourceTokens: false,
      uniqueKeys: false,
    });
    hit = { doc, lc };
    cache.set(span, hit);
  }
  return hit;
}

const KEY_LINE = /^( *)((?:- +)?)(?:(["'])([^"'\n]*)\3|([A-Za-z0-9_./-]+))[ \t]*:(?:[ \t]+(.*))?$/;
const ITEM_LINE = /^( *)- +(.*)$/;
const BLOCK_SCALAR = /^[|>][-+0-9]*[ \t]*(#.*)?$/;

/**
 * The fast path for block-style YAML (what Helm and kubectl print): one pass over a document's
 * lines keeping the chain of keys and list ordinals, recording where each chain starts. Built
 * once per document; a document with anything unusual (nested dashes on one line, tab
 * indentation) gets no index and the caller falls back to the full positional parser.
 */
type PosIndex = Map<string, { line: number; column: number }>;
const fastIndexes = new WeakMap<DocSpan, PosIndex | null>();

const chainKey = (p: Path): string => p.map((k) => (typeof k === 'number' ? `#${k}` : k)).join('\u0000');

function indexDoc(text: string, start: number, end: number): PosIndex | null {
  const out: PosIndex = new Map();
  const stack: Array<{ indent: number; key: string | number }> = [];
  let blockIndent = -1;
  let lineNo = 0;
  let pos = start;
  const record = (column: number) => {
    const k = chainKey(stack.map((e) => e.key));
    if (!out.has(k)) out.set(k, { line: lineNo, column });
  };
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
  while (pos < end) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0 || eol > end) eol = end;
    let raw = text.slice(pos, eol);
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    pos = eol + 1;
    lineNo++;
    const trimmed = raw.trimStart();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('---')) continue;
    const indent = raw.length - trimmed.length;
    if (blockIndent >= 0) {
      if (indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (raw.charCodeAt(indent - 1) === 9 || (indent > 0 && raw.slice(0, indent).includes('\t'))) return null;
    if (trimmed.startsWith('- ') && /^- +- /.test(trimmed)) return null;
    const km = KEY_LINE.exec(raw);
    if (km) {
      const dashIndent = km[1].length;
      const keyIndent = dashIndent + km[2].length;
      if (km[2]) {
        item(dashIndent);
        record(keyIndent + 1);
      }
      while (stack.length && stack[stack.length - 1].indent >= keyIndent) stack.pop();
      stack.push({ indent: keyIndent, key: km[4] ?? km[5] });
      record(keyIndent + 1);
      if (BLOCK_SCALAR.test(km[6] ?? '')) blockIndent = keyIndent;
      continue;
    }
    const im = ITEM_LINE.exec(raw);
    if (im) {
      item(im[1].length);
      record(raw.length - im[2].length + 1);
      if (BLOCK_SCALAR.test(im[2])) blockIndent = im[1].length;
    }
  }
  return out;
}

/** Position of `path` in a block-style document, from its one-pass index (undefined: not found or unsupported). */
export function fastLocate(span: DocSpan, path: Path): { line: number; column: number } | undefined {
  let ix = fastIndexes.get(span);
  if (ix === undefined) {
    ix = indexDoc(span.text, span.start, span.end);
    fastIndexes.set(span, ix);
  }
  return ix?.get(chainKey(path));
}

/**
 * Line and column (1-based) of the value at `path` in the manifest's source document.
 * Falls back to the deepest existing ancestor, then to the document start.
 */
export function locate(m: Manifest, path: Path = []): Location | undefined {
  const span = m.origin.doc;
  if (!span) return undefined;
  const full: (string | number)[] = m.origin.listIndex !== undefined ? ['items', m.origin.listIndex, ...path] : [...path];
  if (full.length) {
    const fast = fastLocate(span, full);
    if (fast) return { file: span.file, template: m.origin.template, line: span.line + fast.line - 1, column: fast.column };
  }
  return locateSlow(m, path);
}

/** The same answer from the full positional parser (the reference for `fastLocate`). */
export function locateSlow(m: Manifest, path: Path = []): Location | undefined {
  const span = m.origin.doc;
  if (!span) return undefined;
  const full: (string | number)[] = m.origin.listIndex !== undefined ? ['items', m.origin.listIndex, ...path] : [...path];
  const { doc, lc } = parsed(span);
  let offset: number | undefined;
  for (let len = full.length; len >= 0 && offset === undefined; len--) {
    const sub = full.slice(0, len);
    if (len === 0) {
      offset = (doc.contents as any)?.range?.[0];
      break;
    }
    // Prefer the key's position for mapping entries: it is where a user looks.
    const parent = sub.length > 1 ? doc.getIn(sub.slice(0, -1), true) : doc.contents;
    const last = sub[sub.length - 1];
    if (parent && isCollection(parent)) {
      const items = (parent as any).items as any[];
      if (typeof last === 'number' && Array.isArray(items) && !(items[0] && 'key' in items[0])) {
        const node = items[last];
        if (node?.range) offset = node.range[0];
      } else {
        const pair = items?.find((p: any) => p?.key !== undefined && String(p.key?.value ?? p.key) === String(last));
        if (pair?.key?.range) offset = pair.key.range[0];
      }
    }
  }
  const pos = lc.linePos(offset ?? 0);
  return { file: span.file, template: m.origin.template, line: span.line + pos.line - 1, column: pos.col };
}
