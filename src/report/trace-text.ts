// Human output of `bbmesh trace`: numbered hops with ✓/✗, the object, ports and where it is
// written; the verdict last (status in Envoy's words, failing hop, check code, fix).
import pc from 'picocolors';
import type { Hop, HopSource, TraceResult, TraceStatus } from '../analysis/trace/types.js';
import { escapeLine, escapeText } from './escape.js';
import { placeText } from './position.js';

export interface TraceTextOptions {
  color?: boolean;
}

export function statusText(status: TraceStatus, flag?: string): string {
  if (typeof status === 'number') return `${status}${flag && flag !== 'loop' && flag !== 'FI' ? ` ${flag}` : ''}`;
  return status === 'tls-handshake-failure'
    ? 'TLS handshake failure'
    : status === 'connection-refused'
      ? 'connection refused'
      : 'connection reset';
}

/** Where a hop's object is written (see report/position.ts). */
export const sourceText = (s: HopSource | undefined): string | undefined => {
  const t = placeText(s);
  return t === undefined ? t : escapeLine(t);
};

function where(h: Hop): string | undefined {
  const s = sourceText(h.source);
  if (s) return s;
  if (h.assumed) return 'assumed Big Bang platform';
  return undefined;
}

export function traceToText(r: TraceResult, opts: TraceTextOptions = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const out: string[] = [];
  out.push(c.bold(escapeLine(`trace ${r.method} ${r.url}`)));
  if (r.layout) out.push(c.dim(escapeLine(`layout ${r.layout.name} (${r.layout.reason})`)));
  out.push('');
  const width = String(r.hops.length).length;
  r.hops.forEach((h, i) => {
    const mark = h.ok ? c.green('✓') : c.red('✗');
    const num = String(i + 1).padStart(width);
    const kind = c.dim(h.kind.padEnd(16));
    const ports = h.ports ? `  ${c.cyan(escapeLine(h.ports).replace(/->/g, '→'))}` : '';
    const title = escapeLine(h.title);
    out.push(`${num} ${mark} ${kind} ${h.ok ? title : c.red(title)}${ports}`);
    const pad = ' '.repeat(width + 3);
    const w = where(h);
    if (w) out.push(`${pad}${c.dim(w)}${h.assumed && h.source ? c.dim('  [assumed]') : ''}`);
    if (h.detail) out.push(`${pad}${escapeText(h.detail)}`);
    if (h.code && h.ok) out.push(`${pad}${c.yellow(`see bbmesh check ${h.code}`)}`);
  });
  out.push('');
  const v = r.verdict;
  const st = statusText(v.status, v.flag);
  const reason = escapeText(v.reason.startsWith(`${st}: `) ? v.reason.slice(st.length + 2) : v.reason);
  if (v.ok) {
    out.push(`${c.green(c.bold(`✓ ${st}`))}  ${reason}`);
  } else {
    out.push(`${c.red(c.bold(`✗ ${st}`))}  ${reason}`);
    if (v.hop !== undefined && r.hops[v.hop]) {
      const h = r.hops[v.hop];
      const parts = [`hop ${v.hop + 1} (${h.kind})`];
      if (h.object) parts.push(escapeLine(`${h.object.kind} ${h.object.namespace ? `${h.object.namespace}/` : ''}${h.object.name}`));
      const w = where(h);
      if (w) parts.push(w);
      out.push(`  at ${parts.join(' · ')}`);
    }
    if (v.code) out.push(`  caught by: bbmesh check ${c.yellow(v.code)}`);
    if (v.fix) out.push(`  fix: ${escapeText(v.fix)}`);
  }
  return out.join('\n') + '\n';
}
