// Edits of plain YAML values files (chart/values.yaml, bigbang/values.yaml) through the `yaml`
// library's document API: the parse tells where each mapping, key and value is (block or flow, a `...`
// end marker, comments), and the edit splices text at those offsets, so every byte outside the edited
// blocks stays as it was and the new lines take the file's own line ending (LF, CRLF or CR).
import { isMap, isScalar, isSeq, parseAllDocuments, type Node, type Pair, type YAMLMap } from 'yaml';
import { eolOf, indentUnit, renderSpec, type Edits, type Spec } from './yaml-text.js';

interface Splice {
  at: number;
  del: number;
  text: string;
  /** Block lines: at one offset the deeper mapping's come first; they start on a new line. */
  depth?: number;
}

/** A scalar as it may stand in a flow collection. */
function flowScalar(raw: string): string {
  if (/^["']/.test(raw)) return raw;
  return /[{}[\],]|: | #/.test(raw) ? JSON.stringify(raw) : raw;
}

function flowOf(spec: Spec): string {
  if (spec.children) return `{${spec.children.map((c) => `${c.key}: ${flowOf(c)}`).join(', ')}}`;
  if (spec.list) return `[${spec.list.map(flowScalar).join(', ')}]`;
  return flowScalar(spec.value ?? '""');
}

function unquote(s: string): string {
  return s.replace(/^(["'])(.*)\1$/, '$2');
}

function keyOf(p: Pair): string | undefined {
  return isScalar(p.key) ? String(p.key.value) : undefined;
}

class ValuesEditor {
  readonly splices: Splice[] = [];
  readonly src: string;
  readonly eol: string;
  readonly unit: number;

  constructor(
    readonly text: string,
    readonly edits: Edits,
  ) {
    this.src = text.replace(/\r(?!\n)/g, '\n'); // same length: offsets stay those of `text`
    this.eol = eolOf(text);
    this.unit = indentUnit(this.src.split('\n'));
  }

  column(pos: number): number {
    return pos - (this.src.lastIndexOf('\n', pos - 1) + 1);
  }

  /** The start of the line after the one holding `pos` (the end of the text if none). */
  lineEnd(pos: number): number {
    if (pos > 0 && this.src[pos - 1] === '\n') return pos;
    const i = this.src.indexOf('\n', pos);
    return i < 0 ? this.src.length : i + 1;
  }

  contentEnd(node: Node): number {
    if (isMap(node) && !node.flow && node.items.length) {
      const last = node.items[node.items.length - 1] as Pair<Node, Node | null>;
      return last.value && last.value.range && last.value.range[1] > last.value.range[0]
        ? this.contentEnd(last.value)
        : (last.key as Node).range![1];
    }
    if (isSeq(node) && !node.flow && node.items.length) return this.contentEnd(node.items[node.items.length - 1] as Node);
    return node.range![1];
  }

  /** Block lines at `at` (a line start, or the end of the text). */
  insertLines(at: number, lines: string[], depth: number): void {
    this.splices.push({ at, del: 0, text: lines.map((l) => l + this.eol).join(''), depth });
  }

  blockSpec(spec: Spec, indent: number): string[] {
    const pad = ' '.repeat(indent);
    const lead = (this.edits.lead ?? []).map((c) => (c ? `${pad}${c}` : ''));
    this.edits.lead = undefined;
    return [...lead, ...renderSpec(spec, indent, this.unit)];
  }

  /** Merges specs into a block mapping whose keys are at `indent`, inserting at `at` what is missing. */
  ensureBlock(map: YAMLMap | undefined, indent: number, at: number, specs: Spec[], path: string): void {
    for (const spec of specs) {
      const pair = map?.items.filter((p) => keyOf(p as Pair) === spec.key).pop() as Pair<Node, Node | null> | undefined;
      const here = path ? `${path}.${spec.key}` : spec.key;
      if (!pair) {
        this.insertLines(at, this.blockSpec(spec, indent), indent);
        this.edits.count++;
        continue;
      }
      this.ensureValue(pair, spec, here, false);
    }
  }

  ensureFlow(map: YAMLMap, specs: Spec[], path: string): void {
    const close = this.src.lastIndexOf('}', map.range![1] - 1);
    for (const spec of specs) {
      const pair = map.items.filter((p) => keyOf(p as Pair) === spec.key).pop() as Pair<Node, Node | null> | undefined;
      const here = path ? `${path}.${spec.key}` : spec.key;
      if (pair) {
        this.ensureValue(pair, spec, here, true);
        continue;
      }
      const last = map.items[map.items.length - 1] as Pair<Node, Node | null> | undefined;
      const lastEnd = last ? (last.value?.range?.[1] ?? (last.key as Node).range![1]) : close;
      const trailingComma = last !== undefined && /,\s*$/.test(this.src.slice(lastEnd, close));
      const at = last ? (trailingComma ? close : lastEnd) : close;
      const sep = !last ? '' : trailingComma ? ' ' : ', ';
      this.splices.push({ at, del: 0, text: `${sep}${spec.key}: ${flowOf(spec)}` });
      this.edits.count++;
    }
  }

  ensureValue(pair: Pair<Node, Node | null>, spec: Spec, here: string, inFlow: boolean): void {
    const v = pair.value;
    const keyPos = (pair.key as Node).range![0];
    if (spec.children) {
      if (isMap(v) && !v.flow && v.items.length) {
        const first = v.items[0] as Pair<Node, Node | null>;
        this.ensureBlock(v, this.column((first.key as Node).range![0]), this.lineEnd(this.contentEnd(v)), spec.children, here);
      } else if (isMap(v) && (v.items.length || inFlow)) {
        this.ensureFlow(v, spec.children, here);
      } else if (!inFlow && (v === null || (isScalar(v) && v.value === null) || (isMap(v) && v.flow && !v.items.length))) {
        // `key:`, `key: ~`, `key: null`, `key: {}`: the children become a block under the key.
        if (v?.range && v.range[1] > v.range[0]) {
          this.splices.push({ at: v.range[0], del: v.range[1] - v.range[0], text: '' });
          this.edits.count++;
        }
        const at = this.lineEnd(v?.range ? v.range[1] : (pair.key as Node).range![1]);
        this.ensureBlock(undefined, this.column(keyPos) + this.unit, at, spec.children, here);
      } else {
        this.edits.conflicts.push(here);
      }
      return;
    }
    if (spec.list) return; // an existing list is the user's
    if (spec.set && spec.value !== undefined && isScalar(v) && v.range) {
      const now = this.src.slice(v.range[0], v.range[1]);
      if (unquote(now) !== unquote(spec.value)) {
        this.splices.push({ at: v.range[0], del: v.range[1] - v.range[0], text: inFlow ? flowScalar(spec.value) : spec.value });
        this.edits.count++;
      }
    }
  }

  result(): string {
    const depth = (s: Splice) => s.depth ?? Infinity;
    const sorted = this.splices.map((s, i) => ({ ...s, i })).sort((a, b) => a.at - b.at || depth(b) - depth(a) || a.i - b.i);
    let out = '';
    let pos = 0;
    for (const s of sorted) {
      out += this.text.slice(pos, s.at);
      if (s.depth !== undefined && out && !/[\r\n]$/.test(out)) out += this.eol; // a last line without its line break
      out += s.text;
      pos = Math.max(pos, s.at + s.del);
    }
    return out + this.text.slice(pos);
  }
}

export type ValuesResult = { text: string } | { error: string };

function parseFirst(src: string): { doc?: ReturnType<typeof parseAllDocuments>[number]; error?: string } {
  const docs = parseAllDocuments(src, { uniqueKeys: false });
  if (!Array.isArray(docs)) return {};
  const doc = docs[0];
  if (!doc) return {};
  if (doc.errors.length) return { error: doc.errors[0].message.split('\n')[0] };
  return { doc };
}

/** The top-level keys of a YAML values text, or undefined when it does not parse to a mapping. */
export function topLevelKeys(text: string): Set<string> | undefined {
  const { doc, error } = parseFirst(text.replace(/\r(?!\n)/g, '\n'));
  if (error) return undefined;
  const c = doc?.contents;
  if (!c || (isScalar(c) && c.value === null)) return new Set();
  if (!isMap(c)) return undefined;
  return new Set(c.items.map((p) => keyOf(p as Pair)).filter((k): k is string => k !== undefined));
}

/**
 * Merges `specs` into the top-level mapping of a YAML text (the first document). Missing keys are
 * added at the end of their mapping, before trailing comments and any `...`; existing ones are
 * descended into; `edits` counts the edits and collects the paths that are not mappings.
 */
export function ensureValues(text: string, specs: Spec[], edits: Edits): ValuesResult {
  const ed = new ValuesEditor(text, edits);
  const { doc, error } = parseFirst(ed.src);
  if (error) return { error: `does not parse as YAML (${error})` };
  const root = doc?.contents ?? null;
  if (!root || (isScalar(root) && root.value === null)) {
    // Empty (or comments only): at the end, before a `...` end marker if there is one.
    const end = /^\.\.\.[ \t]*(#.*)?$/m.exec(ed.src);
    ed.ensureBlock(undefined, 0, end ? end.index : ed.src.length, specs, '');
  } else if (isMap(root) && root.flow && !root.items.length) {
    // `{}`: the whole mapping becomes a block.
    ed.splices.push({ at: root.range![0], del: root.range![1] - root.range![0], text: '' });
    ed.ensureBlock(undefined, 0, root.range![0], specs, '');
    edits.count++;
  } else if (isMap(root) && root.flow) {
    ed.ensureFlow(root, specs, '');
  } else if (isMap(root)) {
    const first = root.items[0] as Pair<Node, Node | null>;
    ed.ensureBlock(root, ed.column((first.key as Node).range![0]), ed.lineEnd(ed.contentEnd(root)), specs, '');
  } else {
    return { error: 'is not a YAML mapping' };
  }
  const out = ed.result();
  const check = parseFirst(out.replace(/\r(?!\n)/g, '\n'));
  if (check.error) return { error: `could not be edited safely (${check.error})` };
  return { text: out };
}
