// HTTP route match semantics as Istio translates them for Envoy (pilot route.go TranslateRouteMatch):
// uri.exact = Envoy `path` (query string removed), uri.prefix = a plain string prefix of `:path`
// (`/api` matches `/apiv2`), uri.regex = RE2 `safe_regex` that must match the WHOLE path (query removed);
// ignoreUriCase makes uri matching case-insensitive. Headers: exact/prefix/regex on the value, an empty
// match only checks presence; method/authority/scheme are pseudo-headers. Blocks are ORed, fields ANDed.
import { selectorMatches } from './selectors.js';
import type { HttpMatch, HttpRoute, Labels, StringMatch } from './types.js';

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

function hasConditionsBesidesUri(m: HttpMatch): boolean {
  const nonEmpty = (r?: Record<string, unknown>) => !!r && Object.keys(r).length > 0;
  return !!(
    m.scheme ||
    m.method ||
    m.authority ||
    nonEmpty(m.headers) ||
    nonEmpty(m.withoutHeaders) ||
    nonEmpty(m.queryParams) ||
    m.port !== undefined ||
    (m.gateways && m.gateways.length) ||
    nonEmpty(m.sourceLabels) ||
    m.sourceNamespace
  );
}

/**
 * A match block every request satisfies: no condition but a uri of prefix `/` or regex `.*` (`*`,
 * `^.*$`), or none. Rules after one with such a block are never reached, and istiod moves such
 * routes after the others when it merges VirtualServices.
 */
export function matchesEverything(m: HttpMatch | undefined): boolean {
  if (!m) return true;
  if (hasConditionsBesidesUri(m)) return false;
  const u = m.uri;
  if (!u || (u.exact === undefined && u.prefix === undefined && u.regex === undefined)) return true;
  if (u.exact !== undefined) return false;
  if (u.prefix !== undefined) return u.prefix === '/' && u.regex === undefined;
  return u.regex === '.*' || u.regex === '^.*$' || u.regex === '*';
}

/** A route with no match, or one of whose match blocks matches everything. */
export function routeMatchesEverything(r: HttpRoute): boolean {
  if (!r.match || r.match.length === 0) return true;
  return r.match.some(matchesEverything);
}

/** Match blocks of a route that apply on `gateway` (a block with `gateways` applies only to those). */
export function blocksOn(r: HttpRoute, gateway: string): Array<HttpMatch | undefined> {
  if (!r.match || r.match.length === 0) return [undefined];
  return r.match.filter((m) => !m.gateways || m.gateways.length === 0 || m.gateways.includes(gateway));
}

// ---- overlap of two match blocks (for merged routes whose order decides) ----

function fold(s: string, ci: boolean): string {
  return ci ? s.toLowerCase() : s;
}

/**
 * A regex (RE2, whole-value match) as the literal prefix every match must start with, or
 * undefined when that cannot be told simply (alternation, or no literal start).
 */
function regexLiteralPrefix(re: string): string | undefined {
  if (re.includes('|')) return undefined;
  let i = re.startsWith('^') ? 1 : 0;
  let lit = '';
  for (; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      const n = re[i + 1];
      if (n !== undefined && /[./\-_~]/.test(n)) {
        lit += n;
        i++;
        continue;
      }
      break;
    }
    if ('.*+?()[]{}^$'.includes(c)) {
      if ('?*{'.includes(c)) lit = lit.slice(0, -1); // the quantifier makes the last literal optional
      break;
    }
    lit += c;
  }
  return lit || undefined;
}

/** A string match as a prefix-or-exact constraint (regex approximated by its literal prefix). */
function normalize(m: StringMatch): StringMatch | undefined {
  if (m.regex === undefined) return m;
  const p = regexLiteralPrefix(m.regex);
  return p === undefined ? undefined : { prefix: p };
}

/** Can two string matches both be satisfied by one value? Conservative: true when unsure. */
function stringsMayOverlap(x: StringMatch | undefined, y: StringMatch | undefined, ci = false): boolean {
  if (!x || !y) return true;
  const a = normalize(x);
  const b = normalize(y);
  if (!a || !b) return true;
  if (a.exact !== undefined && b.exact !== undefined) return fold(a.exact, ci) === fold(b.exact, ci);
  if (a.exact !== undefined && b.prefix !== undefined) return fold(a.exact, ci).startsWith(fold(b.prefix, ci));
  if (a.prefix !== undefined && b.exact !== undefined) return fold(b.exact, ci).startsWith(fold(a.prefix, ci));
  if (a.prefix !== undefined && b.prefix !== undefined) {
    const x = fold(a.prefix, ci);
    const y = fold(b.prefix, ci);
    return x.startsWith(y) || y.startsWith(x);
  }
  return true;
}

function mapsMayOverlap(a?: Record<string, StringMatch>, b?: Record<string, StringMatch>): boolean {
  if (!a || !b) return true;
  for (const [k, v] of Object.entries(a)) if (k in b && !stringsMayOverlap(v, b[k])) return false;
  return true;
}

/** Could one request satisfy both match blocks? (`undefined` = no match = everything.) */
export function matchesMayOverlap(a: HttpMatch | undefined, b: HttpMatch | undefined): boolean {
  if (!a || !b) return true;
  if (a.port !== undefined && b.port !== undefined && a.port !== b.port) return false;
  if (!stringsMayOverlap(a.uri, b.uri, a.ignoreUriCase || b.ignoreUriCase)) return false;
  if (!stringsMayOverlap(a.method, b.method)) return false;
  if (!stringsMayOverlap(a.scheme, b.scheme)) return false;
  if (!stringsMayOverlap(a.authority, b.authority, true)) return false;
  if (!mapsMayOverlap(a.headers, b.headers)) return false;
  if (!mapsMayOverlap(a.queryParams, b.queryParams)) return false;
  if (a.sourceNamespace && b.sourceNamespace && a.sourceNamespace !== b.sourceNamespace) return false;
  return true;
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

/** A request that satisfies a match block (for checks that follow a route); undefined when a regex or inverted header decides. */
export function exampleRequest(m: HttpMatch | undefined): { path: string; method: string; headers: Record<string, string> } | undefined {
  const out = { path: '/', method: 'GET', headers: {} as Record<string, string> };
  if (!m) return out;
  const lit = (s: StringMatch | undefined): string | undefined | null => {
    if (!s) return undefined;
    if (s.exact !== undefined) return s.exact;
    if (s.prefix !== undefined) return s.prefix;
    return s.regex !== undefined ? null : '';
  };
  const uri = lit(m.uri);
  if (uri === null) return undefined;
  if (uri !== undefined) out.path = uri.startsWith('/') ? uri : `/${uri}`;
  const method = lit(m.method);
  if (method === null) return undefined;
  if (method) out.method = method;
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    const x = lit(v);
    if (x === null) return undefined;
    out.headers[k.toLowerCase()] = x ?? 'x';
  }
  if (m.withoutHeaders && Object.keys(m.withoutHeaders).length) return undefined;
  if (m.queryParams && Object.keys(m.queryParams).length) {
    const q: string[] = [];
    for (const [k, v] of Object.entries(m.queryParams)) {
      const x = lit(v);
      if (x === null) return undefined;
      q.push(`${encodeURIComponent(k)}=${encodeURIComponent(x ?? 'x')}`);
    }
    out.path += `?${q.join('&')}`;
  }
  return out;
}
