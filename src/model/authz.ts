// AuthorizationPolicy evaluation for one request at one workload (istio security/v1beta1):
// CUSTOM is outside the model, then any matching DENY denies, then if ALLOW policies exist one
// must match. Policies in the root namespace apply mesh-wide; others to their namespace
// (narrowed by `selector.matchLabels`). Facts the model cannot know (client IPs, JWTs) are
// reported as assumptions, never guessed silently.
import { asObject, at, isObject } from '../manifest/json.js';
import { memo } from './memo.js';
import { byAge, policyApplies } from './selectors.js';
import type { AuthorizationPolicyInfo, MeshModel, Workload } from './types.js';

export interface AuthzRequest {
  host: string;
  method: string;
  /** Path without query. */
  path: string;
  headers: Record<string, string>;
  /** The workload port the request arrives on. */
  port: number;
  /** Peer identity when the hop is mTLS; undefined for plaintext or outside clients. */
  source: { namespace?: string; principal?: string };
}

export interface AuthzDecision {
  allowed: boolean;
  policy?: AuthorizationPolicyInfo;
  rule?: number;
  reason: string;
  /** Some condition depended on facts outside the configuration (IP, JWT, CUSTOM provider). */
  assumptions: string[];
}

/** Istio's string match for policy values: exact, `prefix*`, `*suffix`, or `*` (any non-empty). */
export function policyValueMatches(pattern: string, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined || value === '') return false;
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (p === '*') return true;
  if (p.endsWith('*')) return v.startsWith(p.slice(0, -1));
  if (p.startsWith('*')) return v.endsWith(p.slice(1));
  return p === v;
}

type Tri = boolean | 'unknown';

function field(values: unknown, notValues: unknown, value: string | undefined, ignoreCase = false): Tri {
  const vs = Array.isArray(values) ? values.map(String) : undefined;
  const ns = Array.isArray(notValues) ? notValues.map(String) : undefined;
  if (vs && !vs.some((p) => policyValueMatches(p, value, ignoreCase))) return false;
  if (ns && ns.some((p) => policyValueMatches(p, value, ignoreCase))) return false;
  return true;
}

function unknownField(values: unknown, notValues: unknown): Tri {
  return (Array.isArray(values) && values.length) || (Array.isArray(notValues) && notValues.length) ? 'unknown' : true;
}

function and(...xs: Tri[]): Tri {
  if (xs.includes(false)) return false;
  return xs.includes('unknown') ? 'unknown' : true;
}

function or(xs: Tri[]): Tri {
  if (xs.includes(true)) return true;
  return xs.includes('unknown') ? 'unknown' : false;
}

function sourceMatches(raw: unknown, r: AuthzRequest): Tri {
  if (!isObject(raw)) return true;
  const s = raw;
  return and(
    field(s.principals, s.notPrincipals, r.source.principal),
    field(s.namespaces, s.notNamespaces, r.source.namespace),
    // No JWT on a traced request: requestPrincipals never match.
    field(s.requestPrincipals, s.notRequestPrincipals, undefined),
    unknownField(s.ipBlocks, s.notIpBlocks),
    unknownField(s.remoteIpBlocks, s.notRemoteIpBlocks),
  );
}

function operationMatches(raw: unknown, r: AuthzRequest): Tri {
  if (!isObject(raw)) return true;
  const o = raw;
  return and(
    field(o.hosts, o.notHosts, r.host, true),
    field(o.ports, o.notPorts, String(r.port)),
    field(o.methods, o.notMethods, r.method),
    field(o.paths, o.notPaths, r.path),
  );
}

function conditionValue(key: string, r: AuthzRequest): string | undefined | null {
  const h = /^request\.headers\[(.+)\]$/.exec(key);
  if (h) return r.headers[h[1].toLowerCase()];
  switch (key) {
    case 'source.namespace':
      return r.source.namespace;
    case 'source.principal':
      return r.source.principal;
    case 'destination.port':
      return String(r.port);
    case 'connection.sni':
      return r.host;
    case 'request.auth.principal':
    case 'request.auth.audiences':
    case 'request.auth.presenter':
      return undefined;
    default:
      return key.startsWith('request.auth.claims') ? undefined : null;
  }
}

function whenMatches(conds: unknown, r: AuthzRequest): Tri {
  if (!Array.isArray(conds)) return true;
  return and(
    ...conds.map((raw): Tri => {
      const c = asObject(raw);
      const v = conditionValue(String(c.key ?? ''), r);
      if (v === null) return 'unknown';
      return field(c.values, c.notValues, v);
    }),
  );
}

function ruleMatches(raw: unknown, r: AuthzRequest): Tri {
  if (!isObject(raw)) return true;
  const rule = raw;
  const from = Array.isArray(rule.from) && rule.from.length ? or(rule.from.map((f) => sourceMatches(at(f, 'source'), r))) : true;
  const to = Array.isArray(rule.to) && rule.to.length ? or(rule.to.map((t) => operationMatches(at(t, 'operation'), r))) : true;
  return and(from, to, whenMatches(rule.when, r));
}

/** Policies that apply to a workload: mesh-wide (root namespace, no selector) and its own namespace's. */
export function policiesFor(model: MeshModel, w: Workload): AuthorizationPolicyInfo[] {
  return memo(w, 'authz', () =>
    model.authorizationPolicies.filter((p) => policyApplies(model, p.namespace, p.selector, w, 'mesh-wide')).sort(byAge),
  );
}

export function authorize(model: MeshModel, w: Workload, r: AuthzRequest): AuthzDecision | undefined {
  const policies = policiesFor(model, w);
  if (!policies.length) return undefined;
  const assumptions: string[] = [];
  const name = (p: AuthorizationPolicyInfo) => `${p.namespace}/${p.name}`;
  for (const p of policies)
    if (p.action === 'CUSTOM') assumptions.push(`CUSTOM policy ${name(p)} asks an external authorizer (assumed to allow)`);
  const firstMatch = (p: AuthorizationPolicyInfo): { rule: number; m: Tri } => {
    let unknown = -1;
    for (let i = 0; i < p.rules.length; i++) {
      const m = ruleMatches(p.rules[i], r);
      if (m === true) return { rule: i, m };
      if (m === 'unknown' && unknown < 0) unknown = i;
    }
    return unknown >= 0 ? { rule: unknown, m: 'unknown' } : { rule: -1, m: false };
  };
  for (const p of policies) {
    if (p.action !== 'DENY') continue;
    const f = firstMatch(p);
    if (f.m === true)
      return { allowed: false, policy: p, rule: f.rule, reason: `DENY policy ${name(p)} rules[${f.rule}] matches`, assumptions };
    if (f.m === 'unknown')
      assumptions.push(`DENY policy ${name(p)} rules[${f.rule}] depends on the client IP or token; assumed not to match`);
  }
  const allows = policies.filter((p) => p.action === 'ALLOW');
  if (!allows.length)
    return {
      allowed: true,
      reason: `no ALLOW policy applies; ${policies.length} polic${policies.length === 1 ? 'y' : 'ies'} checked`,
      assumptions,
    };
  for (const p of allows) {
    const f = firstMatch(p);
    if (f.m === true)
      return { allowed: true, policy: p, rule: f.rule, reason: `ALLOW policy ${name(p)} rules[${f.rule}] matches`, assumptions };
    if (f.m === 'unknown') {
      assumptions.push(`ALLOW policy ${name(p)} rules[${f.rule}] depends on the client IP or token; assumed to match`);
      return { allowed: true, policy: p, rule: f.rule, reason: `ALLOW policy ${name(p)} rules[${f.rule}] may match`, assumptions };
    }
  }
  return {
    allowed: false,
    policy: allows[0],
    reason: `ALLOW policies exist (${allows.map(name).join(', ')}) and none matches this request`,
    assumptions,
  };
}

/** The SPIFFE principal a workload's proxy presents (its service account). */
export function workloadPrincipal(w: Workload): string {
  const spec = w.m.obj.spec as { template?: { spec?: { serviceAccountName?: unknown } }; serviceAccountName?: unknown } | undefined;
  const sa = spec?.template?.spec?.serviceAccountName ?? spec?.serviceAccountName ?? 'default';
  return `cluster.local/ns/${w.namespace}/sa/${String(sa)}`;
}
