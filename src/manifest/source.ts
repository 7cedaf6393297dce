// Where an object (or a field of it) is written, as every output reports it: the exact line and column
// in the stream it was read from, and for rendered objects the template file on disk and the line
// there that most likely wrote it (template text comes from the package's files, read once).
import { join, relative } from 'node:path';
import { locate } from './locate.js';
import { templateLine } from './template-line.js';
import { findKeyPath } from './keys.js';
import type { GeneratedOrigin, Manifest, Path } from './types.js';

export interface SourcePlace {
  /** The stream or file the line refers to (`rendered` for a package render, else the input file). */
  file: string;
  /** Helm template that produced the object, e.g. `podinfo/templates/bigbang/virtualservice.yaml`. */
  template?: string;
  /** That template's path on disk, relative to the working directory, when known. */
  templatePath?: string;
  /** Best-effort line in that template (the rendered line/column below are exact). */
  templateLine?: number;
  line: number;
  column: number;
  /** A library-generated object: the values key that produced it (`routes.inbound.portal.gateways`); file/line/column are in the values file. */
  values?: string;
  /** The library chart that wrote the object. */
  library?: string;
}

/** Reads a template's text by absolute path (a package's files); undefined when not known. */
export type TemplateText = (absolutePath: string) => string | undefined;

/** The template file on disk that produced a rendered object. */
export function templateFileOf(m: Manifest): string | undefined {
  if (!m.origin.template || !m.origin.chartDir) return undefined;
  return join(m.origin.chartDir, m.origin.template.split('/').slice(1).join('/'));
}

/** Where the values that made a library-generated object are written: the sub-key for `path`, else the object's key. */
export function valuesPlace(
  g: GeneratedOrigin,
  path: Path = [],
): { file: string; line: number; column: number; key: string[] } | undefined {
  if (!g.key.length) return undefined;
  const field = g.fields.find((f) => f.path.length <= path.length && f.path.every((k, i) => path[i] === k));
  const wanted = field ? [...g.key, ...field.key] : g.key;
  let best: { file: string; line: number; column: number; key: string[] } | undefined;
  for (const v of g.values) {
    const found = findKeyPath(v.text, wanted, v.fromLine);
    // The deepest key written wins; among equals, the most specific file (first).
    if (found.pos && found.depth > 0 && (!best || found.depth > best.key.length))
      best = { file: v.file, ...found.pos, key: wanted.slice(0, found.depth) };
  }
  return best;
}

export function sourceOf(m: Manifest, path: Path | undefined, text?: TemplateText, cwd = process.cwd()): SourcePlace | undefined {
  const g = m.origin.generated;
  const v = g ? valuesPlace(g, path) : undefined;
  if (g && v)
    return { file: v.file, template: m.origin.template, line: v.line, column: v.column, values: v.key.join('.'), library: g.library };
  const loc = locate(m, path ?? []);
  if (!loc) return undefined;
  const abs = templateFileOf(m);
  let templatePath: string | undefined;
  let line: number | undefined;
  if (abs) {
    templatePath = relative(cwd, abs);
    line = templateLine(text?.(abs), path ?? [])?.line;
  }
  return { file: loc.file, template: m.origin.template, templatePath, templateLine: line, line: loc.line, column: loc.column };
}
