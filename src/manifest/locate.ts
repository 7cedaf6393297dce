// Exact line and column for a path inside an object, computed lazily: the fast loader
// keeps no positions; when a finding needs one, we re-parse only that document with
// the positional `yaml` parser and cache it.
import type { Document, LineCounter } from 'yaml';
import { lazyRequire } from '../core/lazy-require.js';
import { findChain, scanLines } from './keys.js';
import type { DocSpan, Location, Manifest, Path } from './types.js';

const yamlLib = lazyRequire<typeof import('yaml')>('yaml');

const cache = new WeakMap<DocSpan, { doc: Document; lc: LineCounter }>();

function parsed(span: DocSpan) {
  let hit = cache.get(span);
  if (!hit) {
    const { LineCounter, parseDocument } = yamlLib();
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

/**
 * The fast path for block-style YAML (what Helm and kubectl print): the key finder's pass over a
 * document's lines. Most documents with findings are asked a few times, so each question scans only up
 * to its answer; a document asked more often gets an index of every chain. A document with anything
 * unusual (nested dashes on one line, tab indentation) gets neither and the caller uses the full parser.
 */
type PosIndex = Map<string, { line: number; column: number }>;
/** Questions answered by scanning before a document is indexed (an index costs about four scans). */
const SCANS_BEFORE_INDEX = 4;
const fastIndexes = new WeakMap<DocSpan, PosIndex | null | number>();

const chainKey = (p: Path): string => p.map((k) => (typeof k === 'number' ? `#${k}` : k)).join('\u0000');

const linesOf = (span: DocSpan) => span.text.slice(span.start, span.end).split('\n');

function indexDoc(span: DocSpan): PosIndex | null {
  const found = scanLines(linesOf(span), { strict: true });
  if (!found) return null;
  const out: PosIndex = new Map();
  for (const kl of found) {
    const k = chainKey(kl.chain);
    if (!out.has(k)) out.set(k, { line: kl.line, column: kl.column });
  }
  return out;
}

/** Position of `path` in a block-style document (undefined: not found or unsupported). */
export function fastLocate(span: DocSpan, path: Path): { line: number; column: number } | undefined {
  const ix = fastIndexes.get(span) ?? 0;
  if (typeof ix === 'number' && ix < SCANS_BEFORE_INDEX) {
    const hit = findChain(linesOf(span), path, { strict: true });
    fastIndexes.set(span, hit === null ? null : ix + 1);
    return hit ?? undefined;
  }
  if (ix === null) return undefined;
  if (typeof ix === 'number') {
    const built = indexDoc(span);
    fastIndexes.set(span, built);
    return built?.get(chainKey(path));
  }
  return ix.get(chainKey(path));
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
      offset = (doc.contents as { range?: number[] } | null)?.range?.[0];
      break;
    }
    // Prefer the key's position for mapping entries: it is where a user looks.
    const parent = sub.length > 1 ? doc.getIn(sub.slice(0, -1), true) : doc.contents;
    const last = sub[sub.length - 1];
    if (parent && yamlLib().isCollection(parent)) {
      const items = (parent as { items: Array<{ key?: { value?: unknown; range?: number[] }; range?: number[] }> }).items;
      if (typeof last === 'number' && Array.isArray(items) && !(items[0] && 'key' in items[0])) {
        const node = items[last];
        if (node?.range) offset = node.range[0];
      } else {
        const pair = items?.find((p) => p?.key !== undefined && String(p.key?.value ?? p.key) === String(last));
        if (pair?.key?.range) offset = pair.key.range[0];
      }
    }
  }
  const pos = lc.linePos(offset ?? 0);
  return { file: span.file, template: m.origin.template, line: span.line + pos.line - 1, column: pos.col };
}
