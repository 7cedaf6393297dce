// Go-style durations for --wait: 90s, 10m, 1h30m, 500ms. Bounded to 24 h.
import { UserError } from './errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
export const MAX_WAIT_MS = 24 * 3_600_000;

export function parseDuration(text: string, flag = '--wait'): number {
  const s = String(text).trim();
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    if (m.index !== consumed) break;
    total += parseFloat(m[1]) * UNIT_MS[m[2]];
    consumed = m.index + m[0].length;
  }
  if (!s || consumed !== s.length) {
    throw new UserError(`bad duration for ${flag}: "${text}"`, { hint: 'use a number with a unit, e.g. 90s, 10m, 1h30m' });
  }
  if (total > MAX_WAIT_MS) throw new UserError(`${flag} ${text} is longer than 24h`);
  return Math.round(total);
}

export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h
    ? `${h}h${String(m).padStart(2, '0')}m${String(sec).padStart(2, '0')}s`
    : m
      ? `${m}m${String(sec).padStart(2, '0')}s`
      : `${sec}s`;
}
