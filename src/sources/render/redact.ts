// Credentials never reach the terminal. What to hide is decided on the parsed document (the `yaml`
// library's syntax tree, so every spelling counts: JSON, flow maps, quoted keys, `key : value`,
// comments after `kind: Secret`, merge keys and aliases); the printed text is then blanked at the
// exact source ranges of the hidden values, keeping every line break, so the stream stays valid
// YAML with the same lines and every position in it stays the same.
//
// Hidden: in a Secret (a mapping with `kind: Secret`, at the top, in a List or nested in another
// object), every value of `data` and `stringData`, except the Flux values passdowns Big Bang builds
// (keys common, defaults, overlays, values.yaml in a Secret of no credential type), and a `data`,
// `stringData` or `metadata` that is not a mapping. Anywhere: the body of a PEM private key.
import type { Alias, Document, Node, Pair, Scalar, YAMLMap, YAMLSeq, visitor } from 'yaml';
import { lazyRequire } from '../../core/lazy-require.js';
import { loadYaml11 } from '../../manifest/yaml11.js';

type YamlLib = typeof import('yaml');
// Loaded only for documents the fast path (nothingToHide) cannot clear.
const yamlLib = lazyRequire<YamlLib>('yaml');
const isAlias = (n: unknown): n is Alias => yamlLib().isAlias(n);
const isMap = (n: unknown): n is YAMLMap => yamlLib().isMap(n);
const isScalar = (n: unknown): n is Scalar => yamlLib().isScalar(n);
const isSeq = (n: unknown): n is YAMLSeq => yamlLib().isSeq(n);
const visit = (node: Document, visitor: visitor): void => yamlLib().visit(node, visitor);

export const REDACTED = '<redacted by bbmesh; --show-secrets prints it>';

/** Secret types that hold nothing but credentials: every value is hidden. */
const CREDENTIAL_TYPES = new Set([
  'kubernetes.io/dockerconfigjson',
  'kubernetes.io/dockercfg',
  'kubernetes.io/tls',
  'kubernetes.io/basic-auth',
  'kubernetes.io/ssh-auth',
  'kubernetes.io/service-account-token',
  'bootstrap.kubernetes.io/token',
]);

/** Keys of the values Secrets Big Bang passes to Flux (valuesFrom): printed, they are what a maintainer renders to read. */
const PASSDOWN_KEYS = new Set(['common', 'defaults', 'overlays', 'values.yaml', 'values.yml', 'values']);

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const PEM_END = /-----END [A-Z0-9 ]*PRIVATE KEY-----/;

/** A range of the text to blank; `pem`: only the lines inside PEM private-key blocks of a block scalar. */
interface Blank {
  start: number;
  end: number;
  block: boolean;
  pem: boolean;
}

/** Each alias with the node it names: the last node before it with that anchor (one pass, not one per alias). */
function aliasTargets(doc: Document): Map<Node, Node> {
  const anchors = new Map<string, Node>();
  const out = new Map<Node, Node>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (target) out.set(node, target);
      } else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  return out;
}

class DocumentRedactor {
  readonly blanks: Blank[] = [];
  private readonly targets: Map<Node, Node>;

  constructor(private readonly doc: Document) {
    this.targets = aliasTargets(doc);
  }

  /** The node an alias (chain) names, or the node itself. */
  private resolve(node: unknown): Node | undefined {
    let n = node as Node | undefined;
    for (let i = 0; i < 100 && n && isAlias(n); i++) n = this.targets.get(n);
    return n && isAlias(n) ? undefined : n;
  }

  private text(node: unknown): string | undefined {
    const n = this.resolve(node);
    if (!isScalar(n)) return undefined;
    return typeof n.value === 'symbol' ? n.value.description : String(n.value);
  }

  private isMergeKey(key: unknown): boolean {
    return isScalar(key) && (key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<'));
  }

  /** A mapping's pairs, with those it merges (`<<: *base`, `<<: [*a, *b]`), each mapping once. */
  private pairs(map: unknown, seen = new Set<Node>()): Pair[] {
    const m = this.resolve(map);
    if (!isMap(m) || seen.has(m)) return [];
    seen.add(m);
    const out: Pair[] = [];
    for (const p of m.items) {
      if (!this.isMergeKey(p.key)) {
        out.push(p);
        continue;
      }
      const v = this.resolve(p.value);
      for (const src of isSeq(v) ? v.items : [v]) out.push(...this.pairs(src, seen));
    }
    return out;
  }

  /** Blanks the value a node stands for (through an alias: the anchored node, where the text is). */
  hide(node: unknown): void {
    const n = this.resolve(node);
    if (!n?.range) return;
    if (isScalar(n) && n.value === null && n.range[0] === n.range[1]) return; // `key:` with nothing: nothing to hide
    const block = isScalar(n) && (n.type === 'BLOCK_LITERAL' || n.type === 'BLOCK_FOLDED');
    this.blanks.push({ start: n.range[0], end: n.range[1], block, pem: false });
  }

  private secret(pairs: Pair[]): void {
    const types = pairs.filter((p) => this.text(p.key) === 'type').map((p) => this.text(p.value));
    // An odd `type` (not a string, or two of them) counts as a credential type: hide more, not less.
    const credential = types.some((t) => t === undefined || CREDENTIAL_TYPES.has(t)) || new Set(types).size > 1;
    for (const p of pairs) {
      const key = this.text(p.key);
      if (key === 'metadata') {
        if (p.value !== null && !isMap(this.resolve(p.value))) this.hide(p.value);
        continue;
      }
      if (key !== 'data' && key !== 'stringData') continue;
      const value = this.resolve(p.value);
      if (!isMap(value)) {
        if (value) this.hide(value);
        continue;
      }
      for (const entry of this.pairs(value)) {
        const name = this.text(entry.key);
        if (credential || name === undefined || !PASSDOWN_KEYS.has(name)) this.hide(entry.value);
      }
    }
  }

  /** Every mapping in the document that is a Secret (the object itself, List items, objects nested in values). */
  findSecrets(): void {
    visit(this.doc, {
      Map: (_key, map) => {
        const pairs = this.pairs(map);
        if (pairs.some((p) => this.text(p.key) === 'kind' && this.text(p.value) === 'Secret')) this.secret(pairs);
      },
    });
  }

  /** Scalars that hold a PEM private key: block scalars lose the key's lines, others the whole value. */
  findPrivateKeys(): void {
    visit(this.doc, {
      Scalar: (_key, s) => {
        if (typeof s.value !== 'string' || !PEM_BEGIN.test(s.value) || !s.range) return;
        const block = s.type === 'BLOCK_LITERAL' || s.type === 'BLOCK_FOLDED';
        this.blanks.push({ start: s.range[0], end: s.range[1], block, pem: block });
      },
    });
  }
}

const leading = (line: string): string => /^[ \t]*/.exec(line)![0];

/** A block scalar with its content lines (or only those inside PEM private-key blocks) replaced, indentation kept. */
function blankBlock(text: string, pemOnly: boolean): string {
  const lines = text.split('\n');
  let inKey = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const cr = line.endsWith('\r') ? '\r' : '';
    if (pemOnly) {
      if (PEM_BEGIN.test(line)) inKey = true;
      else if (PEM_END.test(line)) inKey = false;
      else if (inKey && line.trim()) lines[i] = `${leading(line)}${REDACTED}${cr}`;
      continue;
    }
    if (line.trim()) lines[i] = `${leading(line)}${REDACTED}${cr}`;
  }
  return lines.join('\n');
}

/**
 * Any other value (plain, quoted, a flow or block collection) as one double-quoted scalar: the
 * first line holds the marker and every line that follows keeps its indentation; each line but
 * the last and the empty ones ends in an escaped line break, so the value spans as many lines as before.
 */
function blankFlow(text: string): string {
  const lines = text.split('\n');
  const last = lines.length - 1;
  const out = lines.map((line, i) => (i === 0 ? `"${REDACTED}` : i === last || line.trim() ? leading(line) : ''));
  out[last] += '"';
  for (let i = 0; i < last; i++) {
    const cr = lines[i].endsWith('\r') ? '\r' : '';
    // An empty line stays empty: YAML allows those after an escaped line break, but no backslash at column 0.
    out[i] = out[i] === '' ? cr : `${out[i]}\\${cr}`;
  }
  return out.join('\n');
}

/** The text with the blanks applied (outermost wins where they nest). */
function apply(text: string, blanks: Blank[]): string {
  if (!blanks.length) return text;
  blanks.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let pos = 0;
  for (const b of blanks) {
    if (b.start < pos) continue; // inside a range already blanked
    let end = b.end;
    while (end > b.start && /\s/.test(text[end - 1])) end--; // trailing line breaks stay
    if (end <= b.start) continue;
    const piece = text.slice(b.start, end);
    out += text.slice(pos, b.start) + (b.block ? blankBlock(piece, b.pem) : blankFlow(piece));
    pos = end;
  }
  return out + text.slice(pos);
}

/** A document the `yaml` parser rejects but that may be a Secret: every line becomes a comment (same lines). */
function withheldDocument(text: string): string {
  let first = true;
  return text
    .split('\n')
    .map((line) => {
      if (!line.trim() || /^(---|\.\.\.)(\s|$)/.test(line) || /^\s*#/.test(line)) return line;
      const out = first ? '# bbmesh: withheld, a document that may be a Secret and is not valid YAML (--show-secrets prints it)' : '#';
      first = false;
      return out;
    })
    .join('\n');
}

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A Secret whose every value redaction would keep: a values passdown (see `secret` above); false when unsure. */
function passdownOnly(secret: Record<string, unknown>): boolean {
  if ('type' in secret && (typeof secret.type !== 'string' || CREDENTIAL_TYPES.has(secret.type))) return false;
  if ('metadata' in secret && secret.metadata !== null && !isMapping(secret.metadata)) return false;
  for (const key of ['data', 'stringData']) {
    if (!(key in secret)) continue;
    const v = secret[key];
    if (!isMapping(v) || Object.keys(v).some((k) => !PASSDOWN_KEYS.has(k))) return false;
  }
  return true;
}

/**
 * The fast path: the document as Kubernetes reads it (js-yaml, one document) holds no credential to
 * hide, so neither the `yaml` syntax tree nor its module is needed. Big Bang's stage 1 is mostly
 * values Secrets. Anything unsure (a parse error, several documents) takes the full path.
 */
function nothingToHide(text: string): boolean {
  let root: unknown;
  try {
    root = loadYaml11(text);
  } catch {
    return false;
  }
  const seen = new Set<object>();
  const clean = (v: unknown): boolean => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return true;
    seen.add(v);
    if (Array.isArray(v)) return v.every(clean);
    const m = v as Record<string, unknown>;
    if (m.kind === 'Secret' && !passdownOnly(m)) return false;
    return Object.values(m).every(clean);
  };
  return clean(root);
}

/**
 * Redacts one rendered document (or a few): credentials of Secrets and PEM private keys anywhere.
 * A document that cannot hold either comes back as it is, without being parsed.
 */
export function redactSecret(text: string): string {
  const secretish = text.includes('Secret') || text.includes('\\');
  const keyish = text.includes('PRIVATE KEY') || text.includes('\\');
  if (!secretish && !keyish) return text;
  if (!keyish && nothingToHide(text)) return text;
  const docs = yamlLib().parseAllDocuments(text, { version: '1.1', merge: true, uniqueKeys: false, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  if (list.some((d) => d.errors.length)) return secretish ? withheldDocument(text) : text;
  const blanks: Blank[] = [];
  for (const doc of list) {
    const r = new DocumentRedactor(doc);
    if (secretish) r.findSecrets();
    if (keyish) r.findPrivateKeys();
    blanks.push(...r.blanks);
  }
  return apply(text, blanks);
}
