import { UserError } from '../core/errors.js';
import { limitAmount, overLimit } from '../core/limits.js';
import { loadYaml11, measureAliases, YamlBoundError } from './yaml11.js';
import type { DocSpan, K8sObject, Manifest, Origin, Stage } from './types.js';

/** Kinds that have no namespace. Everything else gets the release (or default) namespace. */
export const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'APIService',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'VolumeAttachment',
  'ClusterIssuer',
  'GatewayClass',
  'ConstraintTemplate',
  'ClusterPolicy',
]);

export interface LoadOptions {
  file: string;
  stage: Stage;
  /** Namespace given to namespaced objects that have none (Helm's release namespace). */
  defaultNamespace?: string;
  chartDir?: string;
  release?: string;
  /** Parse only documents of these kinds (a cheap pre-filter on the `kind:` line). */
  kinds?: Set<string>;
}

const KIND_RE = /^kind:[ \t]*["']?([A-Za-z0-9]+)/m;
/** The template named by Helm's `# Source: <chart>/templates/x.yaml` comment, or null (no regex: hot path). */
function sourceOf(body: string): string | null {
  const i = body.indexOf('# Source: ');
  if (i < 0 || (i > 0 && body.charCodeAt(i - 1) !== 10)) return null;
  let eol = body.indexOf('\n', i);
  if (eol < 0) eol = body.length;
  const value = body.slice(i + 10, eol).trim();
  return value || null;
}

/** Splits a YAML stream into documents by `---`/`...` marker lines, keeping offsets and lines. */
export function splitDocuments(text: string, file: string): DocSpan[] {
  const docs: DocSpan[] = [];
  let start = 0;
  let startLine = 1;
  let line = 1;
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = n;
    // A line that starts with '---' or '...' followed by space/EOL is a document marker
    // (first character tested by code first: most lines start with neither).
    const c0 = text.charCodeAt(pos);
    if (
      (c0 === 45 || c0 === 46) &&
      (text.startsWith('---', pos) || text.startsWith('...', pos)) &&
      (pos + 3 === eol || pos + 3 >= n || text[pos + 3] === ' ' || text[pos + 3] === '\t' || text[pos + 3] === '\r')
    ) {
      if (pos > start) docs.push({ file, text, start, end: pos, line: startLine });
      if (text[pos] === '-') {
        // `--- value` may carry content on the marker line itself.
        start = pos;
        startLine = line;
      } else {
        start = eol + 1;
        startLine = line + 1;
      }
    }
    pos = eol + 1;
    line++;
  }
  if (start < n) docs.push({ file, text, start, end: n, line: startLine });
  return docs;
}

/** The text of a document without its leading `---` marker. */
export function docBody(d: DocSpan): string {
  return d.text.slice(d.start, d.end);
}

/** Anything but blank lines, comments and document markers? */
const CONTENT_RE = /^(?!---|\.\.\.)[ \t]*[^\s#]/m;
function hasContent(s: string): boolean {
  return CONTENT_RE.test(s);
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Could this document be a Secret? `kind: Secret` needs the word, unless a double-quoted escape
 * spells it; a parse error in such a document must not quote its text (it may be key material).
 */
export function maybeSecret(body: string): boolean {
  return body.includes('Secret') || body.includes('\\');
}

/** A parser's reason without what it quotes from the input (tag and alias names, malformed parts). */
export function withheldReason(reason: string): string {
  return reason
    .replace(/"[^"]*"/g, '"…"')
    .replace(/!<[^>]*>/g, '!<…>')
    .replace(/: .*$/, '');
}

interface ParseFailure {
  reason?: unknown;
  message?: unknown;
  mark?: { line: number; column: number };
}

/** The exit-2 error for a document the parser rejects, at the stream line and column. */
function parseError(err: unknown, doc: DocSpan, body: string, opts: LoadOptions, src: string | null): UserError {
  const e = (err ?? {}) as ParseFailure;
  const line = e.mark ? doc.line + e.mark.line : doc.line;
  const column = e.mark ? e.mark.column + 1 : 1;
  let reason = String(e.reason ?? e.message ?? err).split('\n')[0];
  if (maybeSecret(body)) reason = withheldReason(reason);
  const bound = err instanceof YamlBoundError;
  return new UserError(bound ? reason : `malformed YAML: ${reason}`, {
    file: opts.file,
    line,
    column,
    hint: bound
      ? 'a Kubernetes manifest needs neither deep nesting nor many aliases; is this input generated or hostile?'
      : src
        ? `rendered from ${src}`
        : 'fix the YAML syntax',
  });
}

/** Size and NUL checks before parsing: a document over the limit is refused without being read. */
function checkDocument(doc: DocSpan, body: string, opts: LoadOptions, maxDoc: number): void {
  if (body.length > maxDoc && !/List$/.test(KIND_RE.exec(body)?.[1] ?? '')) {
    throw overLimit(
      'document',
      { file: opts.file, line: doc.line, column: 1 },
      `a YAML document of ${body.length.toLocaleString('en-US')} characters`,
    );
  }
  const nul = body.indexOf('\0');
  if (nul >= 0) {
    let line = doc.line;
    let start = 0;
    for (let i = body.indexOf('\n'); i !== -1 && i < nul; i = body.indexOf('\n', i + 1)) {
      line++;
      start = i + 1;
    }
    throw new UserError('a NUL byte: YAML does not allow one', {
      file: opts.file,
      line,
      column: nul - start + 1,
      hint: 'binary data belongs base64-encoded in a Secret or ConfigMap `binaryData`',
    });
  }
}

/** Parses a multi-document stream into Kubernetes objects with their origin. */
export function loadManifests(text: string, opts: LoadOptions): Manifest[] {
  const out: Manifest[] = [];
  if (text.length > limitAmount('input'))
    throw overLimit('input', { file: opts.file }, `${text.length.toLocaleString('en-US')} characters`);
  const maxDoc = limitAmount('document');
  const bounds = { aliases: { left: limitAmount('aliases') }, maxDepth: limitAmount('depth') };
  for (const doc of splitDocuments(text, opts.file)) {
    const body = docBody(doc);
    if (!hasContent(body)) continue;
    if (opts.kinds) {
      const k = KIND_RE.exec(body)?.[1];
      if (!k || !(opts.kinds.has(k) || k.endsWith('List'))) continue;
    }
    checkDocument(doc, body, opts, maxDoc);
    const src = sourceOf(body);
    let value: unknown;
    try {
      value = loadYaml11(body, undefined, bounds);
    } catch (err) {
      throw parseError(err, doc, body, opts, src);
    }
    if (value === null || value === undefined) continue;
    const origin: Origin = { stage: opts.stage, template: src ?? undefined, chartDir: opts.chartDir, release: opts.release, doc };
    if (!isRecord(value)) {
      throw new UserError('a YAML document is not a Kubernetes object (expected a mapping with apiVersion and kind)', {
        file: opts.file,
        line: doc.line,
        column: 1,
      });
    }
    const obj = value as K8sObject;
    if (!obj.kind || !obj.apiVersion) {
      throw new UserError(`a YAML document is not a Kubernetes object (no ${obj.kind ? 'apiVersion' : 'kind'})`, {
        file: opts.file,
        line: doc.line,
        column: 1,
        hint: src ? `rendered from ${src}` : 'give rendered manifests (e.g. the output of `bbmesh render`), not values files',
      });
    }
    const items = obj.items;
    if (typeof obj.kind === 'string' && /List$/.test(obj.kind) && Array.isArray(items)) {
      items.forEach((item: unknown, i: number) => {
        if (isRecord(item)) out.push(toManifest(item as K8sObject, { ...origin, listIndex: i }, opts.defaultNamespace));
      });
      continue;
    }
    out.push(toManifest(obj, origin, opts.defaultNamespace));
  }
  return out;
}

/** A name, namespace or kind as text: strings as they are, numbers and booleans printed, anything else empty. */
function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/**
 * The manifest of one parsed object. A wrong-typed `metadata` (a string, a list) is left as it is
 * for the schema check to report: nothing is written into it, and no value of it is quoted.
 */
export function toManifest(obj: K8sObject, origin: Origin, defaultNamespace?: string): Manifest {
  const kind = scalarText(obj.kind);
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  const meta = isRecord(obj.metadata) ? obj.metadata : undefined;
  let namespace = scalarText(meta?.namespace);
  if (!namespace && kind && !CLUSTER_SCOPED.has(kind)) {
    namespace = defaultNamespace ?? 'default';
    if (meta && (meta.namespace === undefined || meta.namespace === null || meta.namespace === '')) meta.namespace = namespace;
  }
  return {
    apiVersion: scalarText(obj.apiVersion),
    kind,
    name: scalarText(meta?.name),
    namespace,
    obj,
    origin,
  };
}

/**
 * Checks a stream that is printed without being parsed (`bbmesh render`) against the alias and
 * depth bounds: only documents with an alias are parsed. Other parse errors are left to the
 * commands that read the objects.
 */
export function assertWithinBounds(text: string, file: string): void {
  const bounds = { aliases: { left: limitAmount('aliases') }, maxDepth: limitAmount('depth') };
  for (const doc of splitDocuments(text, file)) {
    const body = docBody(doc);
    if (!body.includes('*')) continue;
    try {
      loadYaml11(body, undefined, bounds);
    } catch (err) {
      if (err instanceof YamlBoundError) throw parseError(err, doc, body, { file, stage: 'input' }, sourceOf(body));
    }
  }
}

/** A value parsed as JSON (a snapshot) within the depth bound: JSON.parse itself has none, the code after it does. */
export function assertJsonBounds(value: unknown, file: string): void {
  try {
    measureAliases(value, '', { left: limitAmount('aliases') }, limitAmount('depth'));
  } catch (err) {
    if (err instanceof YamlBoundError) throw new UserError(err.reason.replace(/^aliases nest the document/, 'the JSON nests'), { file });
    throw err;
  }
}
