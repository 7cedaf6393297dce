// `bbmesh trace`: follow one request from the client through the ingress Service, the gateway
// workload, the Gateway server (SNI, TLS, httpsRedirect), the VirtualService route table, the route,
// the destination Service and port, the selected pods, the sidecar and the container; and say what
// the client gets, in Envoy's words, with the hop, object and check code of any failure. Pure over the
// model: every judgement is a resolver of src/model, the same check's rules use.
import { UserError } from '../../core/errors.js';
import type { MeshModel } from '../../model/types.js';
import type { ParsedUrl } from './context.js';
import { HopList, hopObject } from './hops.js';
import { traceIngress } from './ingress.js';
import type { TraceOptions, TraceRequest, TraceResult, Verdict } from './types.js';

export type * from './types.js';
export type { ParsedUrl } from './context.js';

export function parseTraceUrl(raw: string): ParsedUrl {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UserError(`not a URL: ${raw}`, { hint: 'give a full URL such as https://podinfo.bigbang.dev/' });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new UserError(`unsupported scheme ${u.protocol.replace(':', '')} in ${raw}`, { hint: 'trace follows http:// and https:// URLs' });
  }
  if (!u.hostname) throw new UserError(`no host in ${raw}`);
  const scheme = u.protocol === 'https:' ? 'https' : 'http';
  const port = u.port ? Number(u.port) : scheme === 'https' ? 443 : 80;
  const host = u.hostname.toLowerCase();
  const path = (u.pathname || '/') + u.search;
  return { scheme, host, port, authority: u.port ? `${host}:${u.port}` : host, path, href: `${scheme}://${u.host}${path}` };
}

export function traceRequest(model: MeshModel, request: TraceRequest, opts: TraceOptions = {}): TraceResult {
  const t = new HopList(model.templateText);
  const method = (request.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers ?? {})) headers[k.toLowerCase()] = v;
  let url = parseTraceUrl(request.url);
  const seen = new Set<string>();
  const redirects: Array<{ text: string; hop: number }> = [];
  const max = opts.maxRedirects ?? 10;
  let verdict: Verdict;
  for (;;) {
    seen.add(url.href);
    const hostHeader = (headers.host ?? url.authority).toLowerCase();
    const step = traceIngress({ model, t, url, method, headers: { ...headers, host: hostHeader }, hostHeader });
    if ('fail' in step) {
      const f = step.fail;
      verdict = { ok: false, status: f.status, reason: f.reason, hop: f.hop };
      if (f.flag) verdict.flag = f.flag;
      if (f.code) verdict.code = f.code;
      if (f.object) verdict.object = hopObject(f.object);
      if (f.fix) verdict.fix = f.fix;
      break;
    }
    if ('done' in step) {
      verdict = step.done;
      if (redirects.length) verdict.reason = `${verdict.reason} (after ${redirects.map((r) => r.text).join(', ')})`;
      break;
    }
    const next = parseTraceUrl(step.redirect);
    if (seen.has(next.href) || redirects.length >= max) {
      t.hops[step.hop].ok = false;
      // A VirtualService redirect rule in the chain is what makes it loop (httpsRedirect alone never does).
      const culprit = [...redirects.map((r) => r.hop), step.hop]
        .map((i) => t.hops[i].object)
        .reverse()
        .find((o) => o?.kind === 'VirtualService');
      const chain = [...redirects.map((r) => r.text), `${step.code} to ${next.href}`].join(' -> ');
      verdict = {
        ok: false,
        status: step.code,
        flag: 'loop',
        hop: step.hop,
        reason: `${step.code} redirect loop: ${chain} comes back to a URL already visited`,
        ...(culprit ? { code: 'MESH020' as const, object: culprit } : {}),
        fix: 'make the redirect target a URL that is served, not redirected again (check VirtualService redirect rules and httpsRedirect on the server that answers it)',
      };
      break;
    }
    redirects.push({ text: `${step.code} to ${next.href}`, hop: step.hop });
    url = next;
  }
  return { schemaVersion: 1, url: request.url, method, verdict, hops: t.hops };
}
