// Prints a check result in the chosen format. Paths in CI formats (SARIF, Code Quality, JUnit,
// markdown) are relative to the repository root, which CI tools resolve them against.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { CheckResult } from '../analysis/check.js';
import type { Rule } from '../analysis/rules/types.js';
import type { FailingHost } from '../report/markdown.js';
import type { UmbrellaRead } from '../sources/umbrella/types.js';

export interface ReportOptions {
  rules: Rule[];
  color: boolean;
  /** What was read from the umbrella, for inputs whose result does not carry it (manifest files). */
  umbrella?: UmbrellaRead;
  /** `-n`: the namespace manifest files were read with (markdown re-reads them for host traces). */
  namespace?: string;
}

/** The nearest directory at or above `start` holding `.git` (a directory, or a worktree's file); else `start`. */
export function repositoryRoot(start = process.cwd()): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve(start);
    dir = up;
  }
}

function rel(root: string, path: string): string {
  const r = relative(root, resolve(path));
  return (r.startsWith('..') || r === '' ? resolve(path) : r).split(sep).join('/') || '.';
}

/** The file blamed for findings without one: the package's values, else the first input file. */
function fallbackPath(r: CheckResult, root: string): string {
  if (r.render?.umbrella && r.input.kind === 'manifests') return rel(root, join(r.render.umbrella.chartDir, 'values.yaml'));
  if (r.input.kind === 'package') {
    for (const f of ['bigbang/values.yaml', 'chart/values.yaml'])
      if (existsSync(join(r.input.dir, f))) return rel(root, join(r.input.dir, f));
    return rel(root, r.input.dir);
  }
  const file = r.input.files.find((f) => f !== '-');
  return file ? rel(root, file) : 'stdin';
}

/** The traces of every exposed host that fails, for the markdown report. */
async function failingHosts(r: CheckResult, namespace?: string): Promise<{ hosts?: FailingHost[]; hostsNote?: string }> {
  const { meshFromManifests, loadFiles } = await import('../sources/index.js');
  let model;
  // A package or a whole deployment comes with its render; files are read again (with the platform the check used).
  if (r.render) {
    model = (
      await meshFromManifests(r.render.manifests, { layout: r.layout, platform: r.platform ?? false, values: r.render.bigbangValues })
    ).model;
  } else if (r.input.kind === 'manifests' && !r.input.files.includes('-')) {
    model = (await meshFromManifests(await loadFiles(r.input.files, namespace), { layout: r.layout, platform: r.platform ?? false })).model;
  } else {
    return { hostsNote: 'Host traces are not drawn for stdin input: pass the package directory or the files.' };
  }
  const { buildDiagram } = await import('../analysis/trace/diagram.js');
  const { traceRequest } = await import('../analysis/trace/index.js');
  const { traceToMermaid } = await import('../report/trace-mermaid.js');
  const hosts = buildDiagram(model)
    .hosts.filter((h) => !h.ok)
    .map((h) => ({ url: h.url, status: h.status, reason: h.reason, mermaid: traceToMermaid(traceRequest(model, { url: h.url })) }));
  return { hosts };
}

/**
 * The report as chunks of text, written as they are made: text, JSON and SARIF never exist whole, which
 * matters for a platform snapshot with thousands of findings.
 */
export async function checkReportChunks(r: CheckResult, format: string, opts: ReportOptions): Promise<Iterable<string>> {
  if (format === 'text') return (await import('../report/text.js')).textChunks(r, { color: opts.color, umbrella: opts.umbrella });
  if (format === 'json') return withNewline((await import('../report/check-json.js')).checkJsonChunks(r, { umbrella: opts.umbrella }));
  if (format === 'sarif') {
    const { toolVersion } = await import('../core/paths.js');
    return withNewline((await import('../report/sarif.js')).checkSarifChunks(r, opts.rules, toolVersion(), { root: repositoryRoot() }));
  }
  const text = await formatCheck(r, format, opts);
  return [text.endsWith('\n') ? text : `${text}\n`];
}

function* withNewline(chunks: Iterable<string>): Generator<string> {
  yield* chunks;
  yield '\n';
}

export async function formatCheck(r: CheckResult, format: string, opts: ReportOptions): Promise<string> {
  const root = repositoryRoot();
  if (format === 'text') return (await import('../report/text.js')).formatText(r, { color: opts.color, umbrella: opts.umbrella });
  if (format === 'json')
    return JSON.stringify((await import('../report/check-json.js')).checkToJson(r, { umbrella: opts.umbrella }), null, 2);
  if (format === 'sarif') {
    const { toolVersion } = await import('../core/paths.js');
    return JSON.stringify((await import('../report/sarif.js')).checkToSarif(r, opts.rules, toolVersion(), { root }), null, 2);
  }
  if (format === 'codequality')
    return JSON.stringify(
      (await import('../report/codequality.js')).checkToCodeQuality(r, { root, fallbackPath: fallbackPath(r, root) }),
      null,
      2,
    );
  if (format === 'junit') {
    const inputPath =
      r.input.kind === 'package' ? rel(root, r.input.dir) : r.input.files.filter((f) => f !== '-').map((f) => rel(root, f))[0];
    return (await import('../report/junit.js')).checkToJunit(r, opts.rules, { root, inputPath });
  }
  return (await import('../report/markdown.js')).checkToMarkdown(r, { root, ...(await failingHosts(r, opts.namespace)) });
}
