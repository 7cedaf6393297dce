// `bbmesh check -o sarif`: SARIF 2.1.0 for code-scanning tools. A finding on a rendered object
// points at its template on disk (the region is the template line of the object's `kind:`, since
// rendered lines do not exist in the repository); a finding on a source or input file points at that
// file and line. Paths are relative to the repository root, named by `originalUriBaseIds`; stdin has
// no file, so its findings carry a logical location only.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { CheckResult } from '../analysis/check.js';
import type { Finding, Rule, Severity } from '../analysis/rules/types.js';
import { jsonChunks, lazy, type Lazy } from './json-stream.js';

const LEVEL: Record<Severity, Sarif.Result.level> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** The base every relative URI is resolved against (GitHub and most viewers know this name). */
export const ROOT_ID = '%SRCROOT%';

export interface FileOptions {
  /** The repository root (default: the working directory). */
  root?: string;
  /** What relative paths in findings are relative to (default: the working directory). */
  cwd?: string;
}

/** The file a user edits for a finding: relative to the root (posix) when inside it, else absolute. */
export interface FindingFile {
  path: string;
  inRoot: boolean;
  line: number;
  column?: number;
}

/** Where a finding is on disk; undefined for stdin, and for rendered objects whose template is unknown. */
export function findingFile(f: Finding, opts: FileOptions = {}): FindingFile | undefined {
  const s = f.source;
  if (!s || s.file === '<stdin>' || s.file === '-') return undefined;
  const rendered = s.file === 'rendered';
  if (rendered && !s.templatePath) return undefined;
  const { path, inRoot } = placeOf(rendered ? s.templatePath! : s.file, opts);
  return { path, inRoot, line: rendered ? (s.templateLine ?? 1) : s.line, column: rendered ? undefined : s.column };
}

// A report's findings share a few files: each path and URL is worked out once (bounded, for long-lived callers).
const places = new Map<string, { path: string; inRoot: boolean }>();
const uris = new Map<string, string>();

function remembered<V>(map: Map<string, V>, key: string, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    if (map.size >= 10_000) map.clear();
    map.set(key, v);
  }
  return v;
}

function placeOf(file: string, opts: FileOptions): { path: string; inRoot: boolean } {
  const cwd = opts.cwd ?? process.cwd();
  return remembered(places, `${cwd}\0${opts.root ?? ''}\0${file}`, () => {
    const abs = resolve(cwd, file);
    const rel = relative(resolve(opts.root ?? cwd), abs);
    const inRoot = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
    return { path: inRoot ? rel.split(sep).join('/') : abs, inRoot };
  });
}

/** The file URL of an absolute path. */
const fileUri = (path: string): string => remembered(uris, path, () => pathToFileURL(path).href);

/** A relative URI reference for a posix path: every segment percent-encoded. */
export function relativeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function ruleDescriptor(r: Rule): Sarif.ReportingDescriptor {
  const m = r.meta;
  return {
    id: m.code,
    name: m.title
      .replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))
      .replace(/^./, (ch) => ch.toUpperCase()),
    shortDescription: { text: m.title },
    fullDescription: { text: m.explanation },
    help: {
      text: `${m.explanation}\nSymptom: ${m.symptom}\nFix: ${m.hint}`,
      markdown: `${m.explanation}\n\n**Symptom:** ${m.symptom}\n\n**Fix:** ${m.hint}\n\nReads: ${m.reads.join(', ')}`,
    },
    helpUri: `https://bbmesh.dev/rules#${m.code.toLowerCase()}`,
    defaultConfiguration: { level: LEVEL[m.severity] },
    properties: {
      tags: [m.code.startsWith('BB') ? 'big-bang' : m.code.startsWith('K8S') ? 'kubernetes' : 'istio'],
      reads: m.reads,
      needsPackage: Boolean(m.needsPackage),
    },
  };
}

function location(f: Finding, opts: FileOptions): Sarif.Location {
  const s = f.source;
  const logical: Sarif.LogicalLocation[] = [
    {
      name: f.object.name,
      kind: f.object.kind,
      fullyQualifiedName: `${f.object.kind}/${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`,
    },
  ];
  if (!s) return { logicalLocations: logical };
  const renderText = () =>
    `${f.render === 'istio-disabled' ? 'render with Istio disabled' : 'render with Istio enabled'}, line ${s.line}:${s.column} of \`bbmesh render\``;
  const file = findingFile(f, opts);
  if (!file) {
    const text = s.file === 'rendered' ? renderText() : `standard input, line ${s.line}:${s.column}`;
    return { logicalLocations: logical, message: { text } };
  }
  const artifactLocation: Sarif.ArtifactLocation = file.inRoot
    ? { uri: relativeUri(file.path), uriBaseId: ROOT_ID }
    : { uri: fileUri(file.path) };
  const region: Sarif.Region = file.column ? { startLine: file.line, startColumn: file.column } : { startLine: file.line };
  return {
    physicalLocation: { artifactLocation, region },
    logicalLocations: logical,
    ...(s.file === 'rendered' ? { message: { text: renderText() } } : {}),
  };
}

export function checkToSarif(r: CheckResult, rules: Rule[], version: string, opts: FileOptions = {}): Sarif.Log {
  return sarifLog(r, rules, version, opts, r.findings.map(resultOf(rules, opts)));
}

/** The SARIF log's text as it is made: results are converted one at a time while written. */
export function checkSarifChunks(r: CheckResult, rules: Rule[], version: string, opts: FileOptions = {}): Iterable<string> {
  return jsonChunks(sarifLog(r, rules, version, opts, lazy(r.findings, resultOf(rules, opts))));
}

function resultOf(rules: Rule[], opts: FileOptions): (f: Finding) => Sarif.Result {
  const index = new Map(rules.map((x, i) => [x.meta.code, i]));
  return (f) => ({
    ruleId: f.code,
    ruleIndex: index.get(f.code),
    level: LEVEL[f.severity],
    message: { text: `${f.message}. Symptom: ${f.symptom}. Fix: ${f.hint}` },
    locations: [location(f, opts)],
    partialFingerprints: { bbmeshObject: `${f.code}/${f.object.kind}/${f.object.namespace}/${f.object.name}/${f.message}` },
    properties: {
      object: f.object,
      render: f.render ?? 'input',
      assumed: f.assumed,
      renderedLine: f.source?.file === 'rendered' ? f.source.line : undefined,
    },
  });
}

function sarifLog<R extends Sarif.Result[] | Lazy<Sarif.Result>>(
  r: CheckResult,
  rules: Rule[],
  version: string,
  opts: FileOptions,
  results: R,
): Omit<Sarif.Log, 'runs'> & { runs: Array<Omit<Sarif.Run, 'results'> & { results: R }> } {
  const root = resolve(opts.root ?? opts.cwd ?? process.cwd());
  const rootUri = pathToFileURL(root.endsWith(sep) ? root : root + sep).href;
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'bbmesh',
            version,
            semanticVersion: version,
            informationUri: 'https://bbmesh.dev',
            rules: rules.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { [ROOT_ID]: { uri: rootUri, description: { text: 'the repository root' } } },
        results,
        columnKind: 'utf16CodeUnits',
        properties: { summary: r.summary, layout: r.layout },
      },
    ],
  };
}
