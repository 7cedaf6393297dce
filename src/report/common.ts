// What every report shares: colours (only on a terminal), XML escaping, object labels, and the lines
// that show one finding (check's and verify's text outputs, and both JUnit reports), the umbrella's JSON fields.
import { relative } from 'node:path';
import pc from 'picocolors';
import type { Finding, Severity } from '../analysis/rules/types.js';
import type { NotRendered, UmbrellaRead } from '../sources/umbrella/types.js';
import { escapeFinding } from './escape.js';
import { placeText } from './position.js';

export type Style = ReturnType<typeof pc.createColors>;

/** Colours when `color`, plain text otherwise (see cli/common.ts useColor: TTY only, NO_COLOR honoured). */
export function style(color: boolean): Style {
  return pc.createColors(color);
}

export function paintSeverity(c: Style, sev: Severity, s: string): string {
  return sev === 'error' ? c.red(s) : sev === 'warning' ? c.yellow(s) : c.blue(s);
}

/** XML 1.0 text and attribute escaping; characters XML cannot carry are dropped. */
export function xmlEscape(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/** `Kind ns/name` (cluster-scoped objects: `Kind name`). */
export function objectLabel(o: { kind: string; namespace: string; name: string }): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** ` (1 error, 2 warnings)` */
export function severityCounts(findings: Finding[]): string {
  const parts: string[] = [];
  for (const sev of ['error', 'warning', 'info'] as const) {
    const k = findings.filter((f) => f.severity === sev).length;
    if (k) parts.push(plural(k, sev));
  }
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/**
 * One finding as text: `<place>  <severity>  <CODE>  <message>` (the object when `withObject`), then its
 * runtime symptom and fix, indented. What comes from the input is escaped here (callers pass findings raw).
 */
export function findingLines(raw: Finding, c: Style, opts: { indent?: string; withObject?: boolean } = {}): string[] {
  const f = escapeFinding(raw);
  const ind = opts.indent ?? '  ';
  const place = placeText(f.source);
  const what = opts.withObject ? `${objectLabel(f.object)}: ${f.message}` : f.message;
  return [
    `${ind}${place ? `${place}  ` : ''}${paintSeverity(c, f.severity, f.severity.padEnd(7))}  ${c.bold(f.code)}  ${what}`,
    c.dim(`${ind}    symptom: ${f.symptom}`),
    c.dim(`${ind}    fix: ${f.hint}`),
  ];
}

/** The same as plain text for a JUnit body. */
export function findingText(f: Finding): string {
  const place = placeText(f.source);
  return `${f.severity} ${f.code} ${objectLabel(f.object)}${place ? ` ${place}` : ''}${f.render === 'istio-disabled' ? ' [Istio disabled]' : ''}: ${f.message}\n  symptom: ${f.symptom}\n  fix: ${f.hint}`;
}

/** What was read from the umbrella, as every JSON output carries it (paths relative to the working directory). */
export function umbrellaToJson(u: UmbrellaRead) {
  return {
    description: u.description,
    notes: u.notes,
    chart: relative(process.cwd(), u.chartDir) || '.',
    version: u.version,
    layout: u.layout,
    domain: u.domain,
    gateways: u.gateways,
    kubeVersion: u.kubeVersion,
    ...(u.package ? { package: u.package } : {}),
  };
}

/** `umbrella` and (whole deployment) `notRendered`, for spreading into a JSON output; nothing without an umbrella. */
export function umbrellaFields(u: UmbrellaRead | undefined, notRendered?: NotRendered[]) {
  return {
    ...(u ? { umbrella: umbrellaToJson(u) } : {}),
    ...(notRendered ? { notRendered: notRendered.map((n) => ({ helmRelease: n.helmRelease, message: n.message })) } : {}),
  };
}
