// Human output of `bbmesh check`: findings grouped by object, worst first inside a group,
// each with its runtime symptom and fix; a summary line at the end.
import type { CheckResult } from '../analysis/check.js';
import type { Finding } from '../analysis/rules/types.js';
import { SEVERITY_RANK } from '../analysis/rules/engine.js';
import type { NotRendered, UmbrellaRead } from '../sources/umbrella/types.js';
import { findingLines, plural, style, type Style } from './common.js';
import { escapeLine } from './escape.js';

export interface TextOptions {
  color?: boolean;
  /** What was read from the umbrella (default: the render's); shown after the layout. */
  umbrella?: UmbrellaRead;
  /** Whole deployment: the HelmReleases not rendered (default: the render's); their messages go to stderr. */
  notRendered?: NotRendered[];
}

/** Header of an object group: `Kind namespace/name  (template path on disk)`. */
function header(group: Finding[]): string {
  const f = group[0];
  const id = f.object.namespace ? `${f.object.namespace}/${f.object.name}` : f.object.name;
  let where: string | undefined;
  if (f.assumed) where = 'assumed Big Bang platform';
  else {
    // The object's own source: a rendered position names its template; a source file
    // reported by a package rule (d.file) is shown on the finding line instead.
    const rendered = group.find((g) => g.source?.file === 'rendered')?.source;
    const input = group.find((g) => g.render === 'input' && g.source)?.source;
    where = rendered ? (rendered.templatePath ?? rendered.template) : input ? (input.template ?? input.file) : undefined;
  }
  const render = f.render === 'istio-disabled' ? '  [rendered with Istio disabled]' : '';
  return escapeLine(`${f.object.kind} ${id}${where ? `  (${where})` : ''}`) + render;
}

export function formatText(result: CheckResult, opts: TextOptions = {}): string {
  return [...textChunks(result, opts)].join('');
}

/** The text report line by line (each chunk ends with a newline), for writing as it is made. */
export function* textChunks(result: CheckResult, opts: TextOptions = {}): Generator<string> {
  const c = style(Boolean(opts.color));
  const groups = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const k = `${f.render}\u0000${f.object.kind}\u0000${f.object.namespace}\u0000${f.object.name}`;
    const g = groups.get(k);
    if (g) g.push(f);
    else groups.set(k, [f]);
  }
  let renderedPositions = false;
  for (const group of groups.values()) {
    group.sort(
      (a, b) =>
        SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
        (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
        (a.source?.line ?? 0) - (b.source?.line ?? 0),
    );
    yield c.bold(header(group)) + '\n';
    for (const f of group) {
      if (f.source?.file === 'rendered') renderedPositions = true;
      yield findingLines(f, c).join('\n') + '\n';
    }
    yield '\n';
  }
  const s = result.summary;
  const extra = [
    s.assumedObjects ? `+${s.assumedObjects} assumed Big Bang platform` : '',
    s.operatorObjects ? `+${s.operatorObjects} made by operators at run time` : '',
    s.contextObjects ? `+${s.contextObjects} of other packages, rendered by the umbrella as context` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const scope = `${plural(s.objects, 'object')}${extra ? ` (${extra})` : ''}`;
  const how = s.renders.includes('istio-disabled') ? ', rendered with Istio enabled and disabled' : '';
  const skipped = result.rulesSkipped.length ? `; skipped ${result.rulesSkipped.join(', ')}` : '';
  // Plain manifests do not say whether Istio is meant to be on: say which way it was read.
  const istioNote =
    result.input.kind === 'manifests' && !result.input.istioEnabled
      ? c.dim(
          'Istio read as disabled (no Istio objects, no namespace labelled for injection): rules about missing Istio wiring did not apply; check the package directory for the full picture.',
        )
      : undefined;
  if (!result.findings.length) {
    yield `${c.green('No findings')} in ${scope}${how}${skipped}.\n`;
  } else {
    const counts = [plural(s.errors, 'error'), plural(s.warnings, 'warning'), plural(s.infos, 'info')].join(', ');
    const color = s.errors ? c.red : s.warnings ? c.yellow : c.blue;
    yield `${color(counts)} in ${scope}${how}${skipped}.\n`;
    if (renderedPositions)
      yield (
        c.dim(
          'render L:C = exact position in the output of `bbmesh render` (with Istio disabled for groups marked so); template lines are best effort.',
        ) + '\n'
      );
  }
  if (istioNote) yield istioNote + '\n';
  const gateways = result.platformGateways ?? [];
  if (result.layoutReason)
    yield (
      c.dim(
        escapeLine(
          [`Layout ${result.layout} (${result.layoutReason})`, gateways.length ? `assumed Big Bang gateways: ${gateways.join(', ')}` : '']
            .filter(Boolean)
            .join('; ') + '.',
        ),
      ) + '\n'
    );
  yield* umbrellaChunks(opts.umbrella ?? result.render?.umbrella, opts.notRendered ?? result.render?.notRendered, c);
}

/** `read: umbrella ...` and its notes; the releases that were not rendered, by name (the reasons are on stderr). */
function* umbrellaChunks(u: UmbrellaRead | undefined, notRendered: NotRendered[] | undefined, c: Style): Generator<string> {
  if (!u) return;
  yield c.dim(escapeLine(u.description)) + '\n';
  for (const n of u.notes) yield c.dim(escapeLine(`note: ${n}`)) + '\n';
  if (notRendered?.length)
    yield (
      c.yellow(
        escapeLine(
          `not rendered, so not checked: ${notRendered.map((n) => n.helmRelease.name).join(', ')} (why: on stderr, or notRendered in -o json)`,
        ),
      ) + '\n'
    );
}
