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
    const doc = parseDocument(span.text.slice(span.start, span.end), { version: '1.1', lineCounter: lc, keepSourceTokens: false, uniqueKeys: false });
    hit = { doc, lc };
    cache.set(span, hit);
  }
  return hit;
}

const KEY_LINE = /^( *)((?:- +)?)(?:(["'])([^"'\n]*)\3|([A-Za-z0-9_./-]+))[ \t]*:(?:[ \t]+(.*))?$/;
const ITEM_LINE = /^( *)- +(.*)$/;
const BLOCK_SCALAR = /^[|>][-+0-9]*[ \t]*(#.*)?$/;

/**
 * The fast path for block-style YAML (what Helm prints): one pass over the document's lines
 * keeping the chain of keys and list ordinals, returning the position where the chain equals
 * `path` exactly. Anything unusual (nested dashes on one line, tabs, no match) returns
 * undefined and the caller falls back to the full positional parser.
 */
export function fastLocate(text: string, start: number, end: number, path: Path): { line: number; column: number } | undefined {
  const stack: Array<{ indent: number; key: string | number }> = [];
  let blockIndent = -1;
  let lineNo = 0;
  let pos = start;
  const equal = (extra?: string | number) => {
    const n = stack.length + (extra === undefined ? 0 : 1);
    if (n !== path.length) return false;
    for (let i = 0; i < stack.length; i++) if (stack[i].key !== path[i]) return false;
    return extra === undefined || path[n - 1] === extra;
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
    const raw = text.slice(pos, eol).replace(/\r$/, '');
    const here = pos;
    pos = eol + 1;
    lineNo++;
    const trimmed = raw.trimStart();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('---')) continue;
    const indent = raw.length - trimmed.length;
    if (blockIndent >= 0) {
      if (indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (raw.includes('\t') && raw.indexOf('\t') < indent) return undefined;
    const km = KEY_LINE.exec(raw);
    if (km) {
      const dashIndent = km[1].length;
      const keyIndent = dashIndent + km[2].length;
      if (km[2]) {
        if (/^- +- /.test(trimmed)) return undefined;
        item(dashIndent);
        if (equal()) return { line: lineNo, column: keyIndent + 1 };
      }
      while (stack.length && stack[stack.length - 1].indent >= keyIndent) stack.pop();
      const key = km[4] ?? km[5];
      if (equal(key)) return { line: lineNo, column: keyIndent + 1 };
      stack.push({ indent: keyIndent, key });
      const value = km[6] ?? '';
      if (BLOCK_SCALAR.test(value)) blockIndent = keyIndent;
      void here;
      continue;
    }
    const im = ITEM_LINE.exec(raw);
    if (im) {
      if (/^- +- /.test(trimmed)) return undefined;
      item(im[1].length);
      if (equal()) return { line: lineNo, column: im[1].length + (raw.length - im[1].length - im[2].length) + 1 };
      if (BLOCK_SCALAR.test(im[2])) blockIndent = im[1].length;
    }
  }
  return undefined;
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
    const fast = fastLocate(span.text, span.start, span.end, full);
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
