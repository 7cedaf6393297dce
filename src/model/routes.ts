// The routes of one virtual host as Envoy gets them: the http rules of every VirtualService bound
// to it, in Istio's merge order (private, exported, public; by creationTimestamp within a group),
// delegates merged one level deep, each VirtualService cut after its first catch-all rule, and
// catch-all routes moved last across VirtualServices (SortVHostRoutes). First match wins.
import { visibleTo } from './export.js';
import type { Binding, VHost } from './gateway.js';
import { httpMatchBlock, matchesEverything, type MatchRequest } from './match.js';
import { memo } from './memo.js';
import type { HttpMatch, HttpRoute, MeshModel, StringMatch, VirtualServiceInfo, Workload } from './types.js';

export interface RouteEntry {
  /** The VirtualService that holds the rule (the delegate for delegated rules). */
  vs: VirtualServiceInfo;
  /** The rule, with fault and rewrite inherited from the root rule for delegated rules. */
  rule: HttpRoute;
  /** The effective match block (root and delegate merged); undefined = every request. */
  match?: HttpMatch;
  /** Index of the block in `rule.match`, -1 when the rule has none. */
  matchIndex: number;
  root?: { vs: VirtualServiceInfo; rule: HttpRoute; matchIndex: number };
  binding: Binding;
  catchAll: boolean;
}

export interface MergedRoutes {
  entries: RouteEntry[];
  /** What was dropped and why (missing delegate, conflicting delegate match, rules after a catch-all). */
  notes: string[];
}

/** Match blocks restricted to other gateways, ports or source workloads are not generated for this proxy. */
function inScope(m: HttpMatch, b: Binding, w: Workload): boolean {
  if (m.gateways && m.gateways.length && !m.gateways.includes(b.server.gw.key)) return false;
  if (m.port !== undefined && m.port !== b.server.server.port.number) return false;
  if (m.sourceLabels) for (const [k, v] of Object.entries(m.sourceLabels)) if (w.labels[k] !== v) return false;
  if (m.sourceNamespace !== undefined && m.sourceNamespace !== w.namespace) return false;
  return true;
}

function sameString(a: StringMatch, b: StringMatch): boolean {
  return a.exact === b.exact && a.prefix === b.prefix && a.regex === b.regex;
}

/** Root uri ⊇ delegate uri, else conflict (mergeHTTPMatchRequest). */
function mergeUri(root: StringMatch | undefined, del: StringMatch | undefined): StringMatch | undefined | null {
  if (!root) return del;
  if (!del) return root;
  if (root.regex !== undefined || del.regex !== undefined) return sameString(root, del) ? del : null;
  if (root.prefix !== undefined) {
    const d = del.prefix ?? del.exact ?? '';
    return d.startsWith(root.prefix) ? del : null;
  }
  return root.exact !== undefined && del.exact === root.exact ? del : null;
}

/** A delegate match merged into the root match; null when they conflict (the delegate route is dropped). */
export function mergeMatch(root: HttpMatch | undefined, del: HttpMatch | undefined): HttpMatch | undefined | null {
  if (!root) return del;
  if (!del) return root;
  const uri = mergeUri(root.uri, del.uri);
  if (uri === null) return null;
  const out: HttpMatch = { ...root, ...stripUndefined(del), uri };
  for (const key of ['method', 'scheme', 'authority'] as const) {
    if (root[key] && del[key] && !sameString(root[key]!, del[key]!)) return null;
    out[key] = del[key] ?? root[key];
  }
  for (const key of ['headers', 'withoutHeaders', 'queryParams'] as const) {
    const r = root[key] ?? {};
    const d = del[key] ?? {};
    for (const k of Object.keys(d)) if (r[k] && !sameString(r[k], d[k])) return null;
    if (root[key] || del[key]) out[key] = { ...r, ...d };
  }
  out.ignoreUriCase = del.uri ? del.ignoreUriCase : root.ignoreUriCase;
  return out;
}

function stripUndefined(m: HttpMatch): Partial<HttpMatch> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) if (v !== undefined) o[k] = v;
  return o as Partial<HttpMatch>;
}

function rulesOf(model: MeshModel, vs: VirtualServiceInfo, b: Binding, w: Workload, notes: string[]): RouteEntry[] {
  const out: RouteEntry[] = [];
  for (const rule of vs.http) {
    const rootBlocks: Array<{ m?: HttpMatch; i: number }> = rule.match?.length
      ? rule.match.map((m, i) => ({ m, i })).filter((x) => inScope(x.m, b, w))
      : [{ i: -1 }];
    if (!rootBlocks.length) continue;
    let catchAll = false;
    if (rule.delegate) {
      const d = model.virtualServicesByName.get(`${rule.delegate.namespace}/${rule.delegate.name}`);
      if (!d) {
        notes.push(
          `VirtualService ${vs.namespace}/${vs.name} http[${rule.index}] delegates to ${rule.delegate.namespace}/${rule.delegate.name}, which does not exist: the rule is dropped`,
        );
        continue;
      }
      if (!visibleTo(d.exportTo, d.namespace, vs.namespace)) {
        notes.push(
          `delegate VirtualService ${d.namespace}/${d.name} is not exported to ${vs.namespace}: http[${rule.index}] of ${vs.namespace}/${vs.name} is dropped`,
        );
        continue;
      }
      for (const dr of d.http) {
        const effective: HttpRoute = { ...dr, fault: dr.fault ?? rule.fault, rewrite: dr.rewrite ?? rule.rewrite };
        const dBlocks: Array<{ m?: HttpMatch; i: number }> = dr.match?.length ? dr.match.map((m, i) => ({ m, i })) : [{ i: -1 }];
        for (const rb of rootBlocks) {
          for (const db of dBlocks) {
            const merged = mergeMatch(rb.m, db.m);
            if (merged === null) {
              notes.push(
                `delegate ${d.namespace}/${d.name} http[${dr.index}] match conflicts with the root match of ${vs.namespace}/${vs.name} http[${rule.index}]: dropped`,
              );
              continue;
            }
            const ca = matchesEverything(merged);
            catchAll ||= ca;
            out.push({
              vs: d,
              rule: effective,
              match: merged,
              matchIndex: db.i,
              root: { vs, rule, matchIndex: rb.i },
              binding: b,
              catchAll: ca,
            });
          }
        }
      }
    } else {
      for (const rb of rootBlocks) {
        const ca = matchesEverything(rb.m);
        catchAll ||= ca;
        out.push({ vs, rule, match: rb.m, matchIndex: rb.i, binding: b, catchAll: ca });
      }
    }
    if (catchAll) {
      const rest = vs.http.length - rule.index - 1;
      if (rest > 0)
        notes.push(
          `VirtualService ${vs.namespace}/${vs.name}: http[${rule.index}] catches every request, so the ${rest} rule(s) after it are never used`,
        );
      break;
    }
  }
  return out;
}

/** The merged route list of a vhost for a gateway workload (computed once per vhost). */
export function mergedRoutes(model: MeshModel, vhost: VHost, w: Workload): MergedRoutes {
  return memo(vhost, 'routes', () => {
    const notes: string[] = [];
    const all: RouteEntry[] = [];
    for (const b of vhost.bindings) all.push(...rulesOf(model, b.vs, b, w, notes));
    return { entries: [...all.filter((e) => !e.catchAll), ...all.filter((e) => e.catchAll)], notes };
  });
}

/** First matching route, or undefined (404 NR). */
export function selectRoute(merged: MergedRoutes, req: MatchRequest, w: Workload): RouteEntry | undefined {
  for (const e of merged.entries) {
    if (!e.match) return e;
    if (
      httpMatchBlock(e.match, req, {
        gateway: e.binding.server.gw.key,
        port: e.binding.server.server.port.number,
        sourceLabels: w.labels,
        sourceNamespace: w.namespace,
      })
    )
      return e;
  }
  return undefined;
}
