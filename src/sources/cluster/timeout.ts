// `--request-timeout` as kubectl reads it (client-go's clientcmd): a bare integer is seconds,
// otherwise a Go duration (300ms, 1.5s, 2m, 1h30m; units ns us µs ms s m h); 0 means no bound.
import { UserError } from '../../core/errors.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Milliseconds (rounded up, so 1ns is 1 ms); 0 = no timeout. */
export function parseRequestTimeout(text: string, flag = '--request-timeout'): number {
  const s = String(text).trim();
  const bad = () =>
    new UserError(`invalid ${flag} "${text}"`, {
      hint: 'a single integer in seconds, or an integer followed by a unit, as kubectl takes it (e.g. 1s | 2m | 3h; 0: no timeout)',
    });
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const rest = s.replace(/^\+/, '');
  if (rest.startsWith('-')) throw bad();
  if (rest === '0') return 0;
  let ns = 0;
  PART.lastIndex = 0;
  let consumed = 0;
  for (let m = PART.exec(rest); m; m = PART.exec(rest)) {
    ns += parseFloat(m[1]) * UNIT_NS[m[2]];
    consumed = PART.lastIndex;
  }
  if (!rest || consumed !== rest.length) throw bad();
  return ns === 0 ? 0 : Math.ceil(ns / 1e6);
}
