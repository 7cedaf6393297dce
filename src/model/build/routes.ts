// VirtualService routes as the model reads them: match blocks, destinations, HTTP and L4 routes.
import type { Manifest } from '../../manifest/types.js';
import { resolveGatewayRef } from '../gateway-ref.js';
import { resolveShortName } from '../hosts.js';
import type { HttpMatch, HttpRoute, L4Match, L4Route, RouteDestination, StringMatch, VirtualServiceInfo } from '../types.js';
import { EMPTY, arr, isObj, num, strMap, strs, text, type Raw } from './read.js';

/** A match block (HTTP or L4) the API server would reject: it applies on no gateway, so it matches no request. */
const NO_GATEWAY = 'none (the match block has a field of the wrong type)';
const invalidMatch = (): HttpMatch & L4Match => ({ gateways: [NO_GATEWAY] });

/** Thrown inside httpMatch when a condition has the wrong type: the block becomes invalidMatch(). */
const WRONG_TYPE = Symbol('wrong type');

function stringMatch(v: unknown): StringMatch | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw WRONG_TYPE;
  const out: StringMatch = {};
  for (const op of ['exact', 'prefix', 'regex'] as const) {
    if (v[op] === undefined) continue;
    const t = text(v[op]);
    if (t === undefined) throw WRONG_TYPE;
    out[op] = t;
  }
  return out;
}

function stringMatchMap(v: unknown): Record<string, StringMatch> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw WRONG_TYPE;
  const out: Record<string, StringMatch> = {};
  for (const [k, x] of Object.entries(v)) out[k] = stringMatch(x) ?? {};
  return out;
}

/** Destinations of `spec.<key>[index].route` (paths built directly, no spreads: this is the hot path). */
function destinations(route: unknown, key: string, index: number, ns: string): RouteDestination[] {
  const list = arr(route);
  const out: RouteDestination[] = [];
  for (let i = 0; i < list.length; i++) {
    const r: Raw = list[i];
    const d = isObj(r?.destination) ? (r.destination as Raw) : EMPTY;
    const host = text(d.host) ?? '';
    if (!host) continue; // no readable host (K8S001): no destination, not one "outside the input"
    out.push({
      host,
      fqdn: resolveShortName(host, ns),
      port: num(d.port?.number),
      subset: text(d.subset),
      weight: num(r?.weight),
      path: ['spec', key, index, 'route', i, 'destination'],
    });
  }
  return out;
}

function httpMatch(m: Raw, ns: string): HttpMatch {
  if (!isObj(m)) return invalidMatch();
  try {
    if (m.port !== undefined && num(m.port) === undefined) throw WRONG_TYPE;
    if (m.gateways !== undefined && !Array.isArray(m.gateways)) throw WRONG_TYPE;
    if (m.sourceLabels !== undefined && !isObj(m.sourceLabels)) throw WRONG_TYPE;
    if (m.sourceNamespace !== undefined && typeof m.sourceNamespace !== 'string') throw WRONG_TYPE;
    return {
      uri: stringMatch(m.uri),
      scheme: stringMatch(m.scheme),
      method: stringMatch(m.method),
      authority: stringMatch(m.authority),
      headers: stringMatchMap(m.headers),
      withoutHeaders: stringMatchMap(m.withoutHeaders),
      queryParams: stringMatchMap(m.queryParams),
      port: num(m.port),
      gateways: m.gateways ? strs(m.gateways).map((g) => resolveGatewayRef(g, ns)) : undefined,
      ignoreUriCase: m.ignoreUriCase === true,
      sourceLabels: m.sourceLabels ? strMap(m.sourceLabels) : undefined,
      sourceNamespace: m.sourceNamespace,
    };
  } catch (e) {
    if (e === WRONG_TYPE) return invalidMatch();
    throw e;
  }
}

/** `match:` of a rule: absent = every request; a list of blocks; anything else = no request. */
function matchBlocks<T>(v: unknown, read: (x: unknown) => T, invalid: T): T[] | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v.map(read) : [invalid];
}

export function virtualService(m: Manifest): VirtualServiceInfo {
  const spec: Raw = m.obj.spec ?? {};
  const ns = m.namespace;
  const http: HttpRoute[] = arr(spec.http).map((h: Raw, i) => ({
    index: i,
    name: text(h?.name),
    match: matchBlocks(h?.match, (x) => httpMatch(x, ns), invalidMatch()),
    route: destinations(h?.route, 'http', i, ns),
    // A redirect, rewrite, response or delegate that is not a mapping is not one (K8S001 reports it).
    redirect: isObj(h?.redirect) ? h.redirect : undefined,
    directResponse: isObj(h?.directResponse) ? { status: num(h.directResponse.status) ?? 0 } : undefined,
    delegate: isObj(h?.delegate) ? { name: text(h.delegate.name) ?? '', namespace: text(h.delegate.namespace) ?? ns } : undefined,
    fault: isObj(h?.fault)
      ? {
          abort: h.fault.abort
            ? {
                httpStatus: num(h.fault.abort.httpStatus),
                percentage: typeof h.fault.abort.percentage?.value === 'number' ? h.fault.abort.percentage.value : undefined,
              }
            : undefined,
          delay: h.fault.delay,
        }
      : undefined,
    rewrite: isObj(h?.rewrite) ? h.rewrite : undefined,
    path: ['spec', 'http', i],
  }));
  const gatewaysDefaulted = !Array.isArray(spec.gateways) || spec.gateways.length === 0;
  const gws = gatewaysDefaulted
    ? [{ raw: 'mesh', resolved: 'mesh', index: -1 }]
    : strs(spec.gateways).map((g, i) => ({ raw: g, resolved: resolveGatewayRef(g, ns), index: i }));
  const hosts = strs(spec.hosts);
  return {
    fqdnHosts: hosts.map((h) => resolveShortName(h, ns)),
    m,
    name: m.name,
    namespace: ns,
    hosts,
    gateways: gws,
    gatewaysDefaulted,
    exportTo: strs(spec.exportTo),
    http,
    tls: l4(spec.tls, 'tls', ns),
    tcp: l4(spec.tcp, 'tcp', ns),
    // `hosts: a.example` (a string, not a list) is a broken VirtualService, not a delegate.
    isDelegate: hosts.length === 0 && (spec.hosts === undefined || spec.hosts === null || Array.isArray(spec.hosts)),
  };
}

function l4(list: unknown, key: 'tls' | 'tcp', ns: string): L4Route[] {
  return arr(list).map((t: Raw, i) => ({
    index: i,
    match: matchBlocks(
      t?.match,
      (x: Raw) =>
        !isObj(x) ||
        (x.port !== undefined && num(x.port) === undefined) ||
        (x.sniHosts !== undefined && !Array.isArray(x.sniHosts)) ||
        (x.gateways !== undefined && !Array.isArray(x.gateways))
          ? invalidMatch()
          : {
              port: num(x.port),
              sniHosts: x.sniHosts ? strs(x.sniHosts) : undefined,
              gateways: x.gateways ? strs(x.gateways).map((g) => resolveGatewayRef(g, ns)) : undefined,
            },
      invalidMatch(),
    ),
    route: destinations(t?.route, key, i, ns),
    path: ['spec', key, i],
  }));
}
