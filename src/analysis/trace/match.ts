// HTTP route match semantics as Istio translates them for Envoy (pilot route.go TranslateRouteMatch):
// uri.exact = Envoy `path` (query string removed), uri.prefix = a plain string prefix of `:path`
// (`/api` matches `/apiv2`), uri.regex = RE2 `safe_regex` that must match the WHOLE path (query removed);
// ignoreUriCase makes uri matching case-insensitive. Headers: exact/prefix/regex on the value, an empty
// match only checks presence; method/authority/scheme are pseudo-headers. Blocks are ORed, fields ANDed.
import type { HttpMatch, Labels, StringMatch } from '../../model/types.js';
import { selectorMatches } from '../../model/hosts.js';

const regexCache = new Map<string, RegExp | null>();

/** RE2 full-match as a JS RegExp (cached); null when the pattern is not valid here. */
export function fullRegex(pattern: string, ignoreCase = false): RegExp | null {
  const key = (ignoreCase ? 'i:' : 's:') + pattern;
  let re = regexCache.get(key);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`, ignoreCase ? 'is' : 's');
    } catch {
      re = null;
    }
    if (regexCache.size > 10000) regexCache.clear();
    regexCache.set(key, re);
  }
  return re;
}

/** A string match on a header-like value. `{}` (no operator) means "present". */
export function stringMatches(m: StringMatch, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined) return false;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (m.exact !== undefined) return v === (ignoreCase ? m.exact.toLowerCase() : m.exact);
  if (m.prefix !== undefined) return v.startsWith(ignoreCase ? m.prefix.toLowerCase() : m.prefix);
  if (m.regex !== undefined) return fullRegex(m.regex, ignoreCase)?.test(value) ?? false;
  return true;
}

/** `uri` semantics: prefix against the full `:path` (with query), exact and regex against the path without query. */
export function uriMatches(m: StringMatch, path: string, ignoreCase = false): boolean {
  const q = path.indexOf('?');
  const bare = q < 0 ? path : path.slice(0, q);
  if (m.exact !== undefined) return stringMatches({ exact: m.exact }, bare, ignoreCase);
  if (m.prefix !== undefined) return stringMatches({ prefix: m.prefix }, path, ignoreCase);
  if (m.regex !== undefined) return stringMatches({ regex: m.regex }, bare, ignoreCase);
  return true;
}

/** The request as a gateway sees it after TLS termination. */
export interface MatchRequest {
  method: string;
  scheme: string;
  /** `:authority` as sent (host, plus `:port` when not the default). */
  authority: string;
  /** `:path` including the query string. */
  path: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  query: Record<string, string>;
}

/** Where the match is evaluated: the gateway (its key, server port and workload). */
export interface MatchContext {
  gateway: string;
  port: number;
  sourceLabels: Labels;
  sourceNamespace: string;
}

export function parseQuery(path: string): Record<string, string> {
  const q = path.indexOf('?');
  const out: Record<string, string> = {};
  if (q < 0) return out;
  for (const part of path.slice(q + 1).split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = decodeURIComponentSafe(eq < 0 ? part : part.slice(0, eq));
    if (!(k in out)) out[k] = eq < 0 ? '' : decodeURIComponentSafe(part.slice(eq + 1));
  }
  return out;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** One `match` block: every condition must hold. */
export function httpMatchBlock(m: HttpMatch, req: MatchRequest, ctx: MatchContext): boolean {
  if (m.gateways && m.gateways.length && !m.gateways.includes(ctx.gateway)) return false;
  if (m.port !== undefined && m.port !== ctx.port) return false;
  if (m.sourceLabels && !selectorMatches(m.sourceLabels, ctx.sourceLabels)) return false;
  if (m.sourceNamespace !== undefined && m.sourceNamespace !== ctx.sourceNamespace) return false;
  if (m.uri && !uriMatches(m.uri, req.path, m.ignoreUriCase === true)) return false;
  if (m.method && !stringMatches(m.method, req.method)) return false;
  if (m.scheme && !stringMatches(m.scheme, req.scheme)) return false;
  if (m.authority && !stringMatches(m.authority, req.authority)) return false;
  if (m.headers) for (const [k, sm] of Object.entries(m.headers)) if (!stringMatches(sm, req.headers[k.toLowerCase()])) return false;
  // withoutHeaders is Envoy's invert_match: an absent header satisfies it.
  if (m.withoutHeaders)
    for (const [k, sm] of Object.entries(m.withoutHeaders)) if (stringMatches(sm, req.headers[k.toLowerCase()])) return false;
  if (m.queryParams) for (const [k, sm] of Object.entries(m.queryParams)) if (!stringMatches(sm, req.query[k])) return false;
  return true;
}

/** Index of the first matching block, -1 for none; a rule without `match` matches everything (index 0). */
export function firstMatchingBlock(blocks: HttpMatch[] | undefined, req: MatchRequest, ctx: MatchContext): number {
  if (!blocks || blocks.length === 0) return 0;
  for (let i = 0; i < blocks.length; i++) if (httpMatchBlock(blocks[i], req, ctx)) return i;
  return -1;
}

/** Istio's isCatchAllMatch: prefix `/` or regex `*`/`.*` on the uri, nothing else that restricts. */
export function isCatchAll(m: HttpMatch | undefined): boolean {
  if (!m) return true;
  const u = m.uri;
  const uriAll =
    !u ||
    u.prefix === '/' ||
    u.regex === '*' ||
    u.regex === '.*' ||
    (u.exact === undefined && u.prefix === undefined && u.regex === undefined);
  if (!uriAll) return false;
  const empty = (x?: Record<string, unknown>) => !x || Object.keys(x).length === 0;
  return (
    !m.method &&
    !m.scheme &&
    !m.authority &&
    empty(m.headers) &&
    empty(m.withoutHeaders) &&
    empty(m.queryParams) &&
    m.port === undefined &&
    !(m.gateways && m.gateways.length) &&
    !m.sourceLabels &&
    m.sourceNamespace === undefined
  );
}

/** A short human form of a match block, e.g. `uri prefix /api, header x-env=exact:dev`. */
export function describeMatch(m: HttpMatch | undefined): string {
  if (!m) return 'no match: every request';
  const sm = (x: StringMatch) =>
    x.exact !== undefined
      ? `exact ${x.exact}`
      : x.prefix !== undefined
        ? `prefix ${x.prefix}`
        : x.regex !== undefined
          ? `regex ${x.regex}`
          : 'present';
  const parts: string[] = [];
  if (m.uri) parts.push(`uri ${sm(m.uri)}${m.ignoreUriCase ? ' (ignoreUriCase)' : ''}`);
  if (m.method) parts.push(`method ${sm(m.method)}`);
  if (m.scheme) parts.push(`scheme ${sm(m.scheme)}`);
  if (m.authority) parts.push(`authority ${sm(m.authority)}`);
  for (const [k, v] of Object.entries(m.headers ?? {})) parts.push(`header ${k} ${sm(v)}`);
  for (const [k, v] of Object.entries(m.withoutHeaders ?? {})) parts.push(`without header ${k} ${sm(v)}`);
  for (const [k, v] of Object.entries(m.queryParams ?? {})) parts.push(`query ${k} ${sm(v)}`);
  if (m.port !== undefined) parts.push(`port ${m.port}`);
  if (m.gateways?.length) parts.push(`gateways ${m.gateways.join(',')}`);
  if (m.sourceNamespace) parts.push(`sourceNamespace ${m.sourceNamespace}`);
  if (m.sourceLabels)
    parts.push(
      `sourceLabels ${Object.entries(m.sourceLabels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')}`,
    );
  return parts.length ? parts.join(', ') : 'empty match: every request';
}
