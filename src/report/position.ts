// How every output names a place: a source file as `file:line:col`; a rendered object as the
// template a user edits (with its best-effort line) and the exact position in `bbmesh render`.
import type { FindingSource } from '../analysis/rules/types.js';

/** A finding's or a hop's source (trace's HopSource has the same shape). */
export type Place = FindingSource;

export function placeText(s: Place | undefined): string | undefined {
  if (!s) return undefined;
  if (s.values) return `${s.file}:${s.line}:${s.column} \`${s.values}\` (${s.library ?? 'a library chart'} generates it)`;
  if (s.file === 'rendered') {
    const tpl = s.templatePath ?? s.template;
    if (tpl && s.templateLine) return `${tpl}:${s.templateLine} (render ${s.line}:${s.column})`;
    return `${tpl ? `${tpl} ` : ''}(render ${s.line}:${s.column})`;
  }
  return `${s.file}:${s.line}:${s.column}${s.template ? ` (${s.template})` : ''}`;
}
