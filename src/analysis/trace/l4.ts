// TLS passthrough (tls routes matched on SNI) and TCP servers (tcp routes) at the gateway.
import { visibility } from '../../model/export.js';
import { passthroughServices, type ServerRef } from '../../model/gateway.js';
import { requestHostMatches } from '../../model/hosts.js';
import type { L4Route, VirtualServiceInfo, Workload } from '../../model/types.js';
import { fail, serverTitle, type Ctx, type Step } from './context.js';
import { traceWeighted } from './http.js';

export function traceL4(c: Ctx, w: Workload, ref: ServerRef, kind: 'tls' | 'tcp'): Step {
  const { model, t, url } = c;
  const cands =
    kind === 'tls'
      ? passthroughServices(model, w.namespace, ref)
      : (model.virtualServicesByGateway.get(ref.gw.key) ?? [])
          .map((vs) => ({ vs, group: visibility(vs.exportTo, vs.namespace, w.namespace) }))
          .filter((x) => x.group >= 0);
  const okMatch = (vs: VirtualServiceInfo, r: L4Route) =>
    !r.match?.length ||
    r.match.some(
      (m) =>
        (m.port === undefined || m.port === ref.server.port.number) &&
        (!m.gateways?.length || m.gateways.includes(ref.gw.key)) &&
        (kind === 'tcp' || (m.sniHosts ?? vs.fqdnHosts).some((h) => requestHostMatches(h, url.host))),
    );
  for (const { vs } of cands) {
    for (const r of kind === 'tls' ? vs.tls : vs.tcp) {
      if (!okMatch(vs, r)) continue;
      t.add(
        'virtual-service',
        `VirtualService ${vs.namespace}/${vs.name}`,
        `${kind} routes on ${ref.gw.key}${kind === 'tls' ? ` (SNI ${url.host})` : ''}`,
        { m: vs.m, path: ['spec', 'hosts'] },
      );
      t.add('route', `${vs.name} ${kind}[${r.index}]`, kind === 'tls' ? 'sniHosts match; the backend terminates TLS' : 'TCP proxy', {
        m: vs.m,
        path: r.path,
      });
      return traceWeighted(c, w, vs, r.route, ref, [...r.path, 'route']);
    }
  }
  const what = kind === 'tls' ? `SNI ${url.host}` : `port ${ref.server.port.number}`;
  t.add(
    'virtual-service',
    `no ${kind} route for ${url.host}`,
    `no VirtualService bound to ${ref.gw.key} has a ${kind} route matching ${what}`,
    {
      m: ref.gw.m,
      path: ['spec', 'servers', ref.server.index],
    },
  );
  return fail(t, {
    status: kind === 'tls' ? 'tls-handshake-failure' : 'connection-reset',
    reason: `${kind === 'tls' ? 'TLS handshake failure' : 'connection reset'}: no ${kind} route on ${serverTitle(ref)} for ${url.host}`,
    fix: `add a ${kind} route for ${url.host} to a VirtualService bound to ${ref.gw.key}`,
  });
}
