// Line-level editing of Helm templates shaped like YAML (the bigbang/ templates, which no YAML parser
// reads before Helm runs them) that keeps every byte outside the inserted lines: each line keeps its
// own end of line, new lines take the file's dominant one (LF, CRLF or CR).
import { scanLines } from '../manifest/keys.js';

export interface Line {
  text: string;
  eol: string;
}

/** The dominant line ending of a text (LF when it has none). */
export function eolOf(text: string): string {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const cr = (text.match(/\r(?!\n)/g) ?? []).length;
  const lf = (text.match(/(?<!\r)\n/g) ?? []).length;
  if (crlf > lf && crlf >= cr) return '\r\n';
  if (cr > lf && cr > crlf) return '\r';
  return '\n';
}

/** Smallest positive indentation of a content line (the file's indentation step), 2 when unknown. */
export function indentUnit(lines: string[]): number {
  let unit = 0;
  for (const l of lines) {
    const t = l.trim();
    if (!t || t.startsWith('#')) continue;
    const i = /^ */.exec(l)![0].length;
    if (i > 0 && (unit === 0 || i < unit)) unit = i;
  }
  return unit > 0 && unit <= 8 ? unit : 2;
}

export class TextDoc {
  lines: Line[];
  readonly eol: string;
  /** Indentation step of the file (smallest positive indentation), default 2. */
  readonly unit: number;

  constructor(text: string) {
    this.lines = [];
    const re = /([^\r\n]*)(\r\n|\n|\r)?/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      if (m[0] === '') break;
      this.lines.push({ text: m[1], eol: m[2] ?? '' });
    }
    this.eol = eolOf(text);
    this.unit = indentUnit(this.lines.map((l) => l.text));
  }

  toString(): string {
    return this.lines.map((l) => l.text + l.eol).join('');
  }

  /** Inserts lines before index `at`; returns the number inserted. */
  insert(at: number, texts: string[]): number {
    if (!texts.length) return 0;
    if (at > 0 && at === this.lines.length && this.lines[at - 1].eol === '') this.lines[at - 1].eol = this.eol;
    this.lines.splice(at, 0, ...texts.map((t) => ({ text: t, eol: this.eol })));
    return texts.length;
  }
}

export function indentOf(s: string): number {
  return /^ */.exec(s)![0].length;
}

/** Not blank and not a YAML comment. Template lines (`{{ ... }}`) count as content. */
export function isContent(s: string): boolean {
  const t = s.trim();
  return t !== '' && !t.startsWith('#');
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Index of the line `key:` at exactly `indent` in [from, to), found by the one key finder (manifest/keys.ts). */
export function findKey(doc: TextDoc, from: number, to: number, indent: number, key: string): number {
  const found = scanLines(
    doc.lines.map((l) => l.text),
    { template: true },
    from,
    to,
  )?.find((k) => k.kind === 'key' && k.indent === indent && k.key === key);
  return found ? found.line - 1 : -1;
}

/**
 * End of the block of the key at line `k`: the index just after its last content line (trailing
 * comments and blank lines belong to what follows). A `- item` at the key's own indentation is part
 * of the block (YAML's indentless sequence).
 */
export function blockEnd(doc: TextDoc, k: number, limit = doc.lines.length): number {
  const ind = indentOf(doc.lines[k].text);
  let last = k;
  for (let i = k + 1; i < limit; i++) {
    const t = doc.lines[i].text;
    if (!isContent(t)) continue;
    const ii = indentOf(t);
    if (ii > ind || (ii === ind && /^ *- /.test(t) && !/^ *- /.test(doc.lines[k].text))) {
      last = i;
      continue;
    }
    break;
  }
  return last + 1;
}

/** Indentation of the children of the key at line `k` (first content line of its block). */
export function childIndent(doc: TextDoc, k: number, end: number): number | undefined {
  for (let i = k + 1; i < end; i++) {
    const t = doc.lines[i].text;
    if (isContent(t) && !t.trim().startsWith('{{')) return indentOf(t);
  }
  return undefined;
}

/** The scalar text after `key:` (without a trailing comment), or '' for a block. */
export function inlineValue(line: string): string {
  const m = /^ *[^:]+:\s*(.*)$/.exec(line);
  if (!m) return '';
  return m[1].replace(/\s+#.*$/, '').trim();
}

/** A desired mapping entry. Leaves keep a user's existing value unless `set` is true. */
export interface Spec {
  key: string;
  /** Scalar (raw YAML text). */
  value?: string;
  /** Replace an existing different scalar value. */
  set?: boolean;
  children?: Spec[];
  /** Sequence items (raw YAML text), written as `- item` at the key's indentation. */
  list?: string[];
  /** Comment lines written above the key when it is added. */
  comment?: string[];
}

export function renderSpec(spec: Spec, indent: number, unit: number): string[] {
  const pad = ' '.repeat(indent);
  const out = (spec.comment ?? []).map((c) => (c ? `${pad}${c}` : ''));
  if (spec.children) {
    out.push(`${pad}${spec.key}:`);
    for (const c of spec.children) out.push(...renderSpec(c, indent + unit, unit));
  } else if (spec.list) {
    out.push(`${pad}${spec.key}:`);
    for (const item of spec.list) out.push(`${pad}- ${item}`);
  } else {
    out.push(`${pad}${spec.key}: ${spec.value ?? '""'}`);
  }
  return out;
}

/**
 * Merges `specs` into the mapping at `indent` in lines [from, to). Missing keys are added at the end
 * of the mapping; existing ones are descended into. Returns the number of lines added (the caller's
 * range grows by it) and the number of edits made through `edits`.
 */
export interface Edits {
  count: number;
  conflicts: string[];
  /** Comment lines put above the first line inserted (then cleared). */
  lead?: string[];
}

export function ensure(doc: TextDoc, from: number, to: number, indent: number, specs: Spec[], edits: Edits, path = ''): number {
  let added = 0;
  for (const spec of specs) {
    const end = to + added;
    const k = findKey(doc, from, end, indent, spec.key);
    const here = path ? `${path}.${spec.key}` : spec.key;
    if (k < 0) {
      // Insert after the last content line of the range (before trailing comments/blank lines).
      let at = from;
      for (let i = from; i < end; i++) if (isContent(doc.lines[i].text)) at = i + 1;
      const lead = (edits.lead ?? []).map((c) => (c ? `${' '.repeat(indent)}${c}` : ''));
      edits.lead = undefined;
      added += doc.insert(at, [...lead, ...renderSpec(spec, indent, doc.unit)]);
      edits.count++;
      continue;
    }
    const line = doc.lines[k].text;
    const value = inlineValue(line);
    if (spec.children) {
      if (value === '{}' || value === '' || value === '~' || value === 'null') {
        if (value !== '') {
          doc.lines[k].text = line.replace(/:\s*(\{\}|~|null)/, ':');
          edits.count++;
        }
        const bEnd = blockEnd(doc, k, end);
        const ci = childIndent(doc, k, bEnd) ?? indent + doc.unit;
        if (ci <= indent) {
          edits.conflicts.push(here);
          continue;
        }
        added += ensure(doc, k + 1, bEnd, ci, spec.children, edits, here);
      } else {
        edits.conflicts.push(here);
      }
      continue;
    }
    if (spec.list) continue; // an existing list is the user's
    if (spec.set && spec.value !== undefined && value !== spec.value && unquote(value) !== unquote(spec.value)) {
      const m = /^( *[^:]+:\s*)(.*?)(\s+#.*)?$/.exec(line)!;
      doc.lines[k].text = `${m[1]}${spec.value}${m[3] ?? ''}`;
      edits.count++;
    }
  }
  return added;
}

function unquote(s: string): string {
  return s.replace(/^(["'])(.*)\1$/, '$2');
}
