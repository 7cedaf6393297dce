// What every step of a trace shares: the model, the hop list, the request, and the ways a step ends.
import type { ServerRef } from '../../model/gateway.js';
import type { MeshModel } from '../../model/types.js';
import { HopList, type Failure } from './hops.js';
import type { Verdict } from './types.js';

export interface ParsedUrl {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** host[:port] as sent (port only when not the scheme default). */
  authority: string;
  /** path + query */
  path: string;
  href: string;
}

export interface Ctx {
  model: MeshModel;
  t: HopList;
  url: ParsedUrl;
  method: string;
  /** Lower-cased names; `host` is the Host header. */
  headers: Record<string, string>;
  /** Host header (defaults to the URL authority); SNI is always the URL host. */
  hostHeader: string;
}

export type Step = { fail: Failure & { hop: number } } | { redirect: string; code: number; hop: number } | { done: Verdict };

export function fail(t: HopList, f: Failure): Step {
  return { fail: t.fail(f) };
}

export function succeed(t: HopList, reason: string): Step {
  return { done: { ok: true, status: 200, reason, hop: t.hops.length - 1 } };
}

/** The Host header without a port. */
export function hostOnly(authority: string): string {
  const i = authority.lastIndexOf(':');
  return i > 0 && /^\d+$/.test(authority.slice(i + 1)) ? authority.slice(0, i) : authority;
}

/** The request path without its query string. */
export function pathOnly(path: string): string {
  const q = path.indexOf('?');
  return q < 0 ? path : path.slice(0, q);
}

export function serverTitle(ref: ServerRef): string {
  const s = ref.server;
  return `Gateway ${ref.gw.key} server[${s.index}] ${s.port.protocol} ${s.port.number}${s.port.name ? ` (${s.port.name})` : ''}`;
}
