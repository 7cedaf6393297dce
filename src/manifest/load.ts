import { UserError } from '../core/errors.js';
import { loadYaml11 } from './yaml11.js';
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

/** Parses a multi-document stream into Kubernetes objects with their origin. */
export function loadManifests(text: string, opts: LoadOptions): Manifest[] {
  const out: Manifest[] = [];
  for (const doc of splitDocuments(text, opts.file)) {
    const body = docBody(doc);
    if (!hasContent(body)) continue;
    if (opts.kinds) {
      const k = KIND_RE.exec(body)?.[1];
      if (!k || !(opts.kinds.has(k) || k.endsWith('List'))) continue;
    }
    const src = sourceOf(body);
    let value: unknown;
    try {
      // Pad with newlines so js-yaml's own line numbers are stream lines.
      value = loadYaml11(body);
    } catch (err: any) {
      const mark = err?.mark;
      const line = mark ? doc.line + mark.line : doc.line;
      const column = mark ? mark.column + 1 : 1;
      const reason = String(err?.reason ?? err?.message ?? err).split('\n')[0];
      throw new UserError(`malformed YAML: ${reason}`, {
        file: opts.file,
        line,
        column,
        hint: src ? `rendered from ${src}` : 'fix the YAML syntax',
      });
    }
    if (value === null || value === undefined) continue;
    const origin: Origin = { stage: opts.stage, template: src ?? undefined, chartDir: opts.chartDir, release: opts.release, doc };
    if (typeof value !== 'object' || Array.isArray(value)) {
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
    if (/List$/.test(obj.kind) && Array.isArray((obj as any).items)) {
      (obj as any).items.forEach((item: K8sObject, i: number) => {
        if (item && typeof item === 'object') out.push(toManifest(item, { ...origin, listIndex: i }, opts.defaultNamespace));
      });
      continue;
    }
    out.push(toManifest(obj, origin, opts.defaultNamespace));
  }
  return out;
}

export function toManifest(obj: K8sObject, origin: Origin, defaultNamespace?: string): Manifest {
  const kind = String(obj.kind ?? '');
  const meta = (obj.metadata ??= {});
  let namespace = meta.namespace ? String(meta.namespace) : '';
  if (!namespace && kind && !CLUSTER_SCOPED.has(kind)) {
    namespace = defaultNamespace ?? 'default';
    meta.namespace = namespace;
  }
  return {
    apiVersion: String(obj.apiVersion ?? ''),
    kind,
    name: String(meta.name ?? ''),
    namespace,
    obj,
    origin,
  };
}
