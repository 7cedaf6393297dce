// MESH004: destination port missing on a multi-port Service, or not a port of the Service.
import { selectEntryPort, selectServicePort, resolveDestination } from '../../../model/destination.js';
import { serversBinding } from '../../../model/gateway.js';
import type { MeshModel, VirtualServiceInfo } from '../../../model/types.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { boundGateways, destinationsOf } from './util.js';

/** Ports of the gateway servers that route this VirtualService's hosts (redirect-only servers excluded). */
function listenerPorts(model: MeshModel, vs: VirtualServiceInfo): number[] {
  const ports = new Set<number>();
  for (const gw of boundGateways(model, vs)) {
    vs.hosts.forEach((_, i) => {
      for (const s of serversBinding(gw, vs, i)) if (!s.tls?.httpsRedirect && s.port.number > 0) ports.add(s.port.number);
    });
  }
  return [...ports].sort((a, b) => a - b);
}

export const mesh004: Rule = {
  meta: {
    code: 'MESH004',
    severity: 'error',
    title: 'Destination port missing or not a port of the Service',
    explanation:
      'The cluster is `outbound|<port>||<host>`. Without `destination.port`, a Service with several ports is reached on the ' +
      'listener port (8443 on the Big Bang gateway); a port the Service does not have names a cluster that does not exist.',
    symptom: '503 NC (cluster_not_found)',
    hint: "Set `destination.port.number` to one of the Service's `port` values (not its targetPort).",
    reads: ['VirtualService', 'Service', 'ServiceEntry', 'Gateway'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const vs of model.virtualServices) {
      let listeners: number[] | undefined;
      for (const d of destinationsOf(vs)) {
        const r = resolveDestination(model, d);
        if (r.kind === 'service') {
          const svc = r.service;
          const ports = svc.ports.map((p) => p.port);
          const what = `Service ${svc.namespace}/${svc.name}`;
          if (!ports.length) continue;
          if (d.port !== undefined) {
            if (selectServicePort(svc, d, 0).port) continue;
            const target = svc.ports.find((p) => p.targetPort === d.port);
            out.push({
              object: vs.m,
              path: [...d.path, 'port', 'number'],
              message: `port ${d.port} is not a port of ${what} (ports: ${ports.join(', ')})${target ? `; ${d.port} is the targetPort of port ${target.port}` : ''}`,
              hint: target ? `Use the Service port ${target.port}.` : undefined,
            });
            continue;
          }
          // On sidecars the listener port is the Service port the client called, which exists; on a gateway it is the server port.
          listeners ??= listenerPorts(model, vs);
          const bad = listeners.filter((p) => !selectServicePort(svc, d, p).port);
          if (!bad.length) continue;
          out.push({
            object: vs.m,
            path: d.path,
            message: `no destination port for ${what}, which has ports ${ports.join(', ')}: the gateway uses its listener port ${bad.join(', ')}, which the Service does not have`,
            hint: `Add \`port: {number: <one of ${ports.join(', ')}>}\` to the destination.`,
          });
        } else if (r.kind === 'serviceEntry' && r.entry.ports.length) {
          const e = r.entry;
          const what = `ServiceEntry ${e.namespace}/${e.name}`;
          const ports = e.ports.map((p) => p.number);
          const bad =
            d.port !== undefined
              ? selectEntryPort(e, d, 0).ok
                ? []
                : [d.port]
              : (listeners ??= listenerPorts(model, vs)).filter((p) => !selectEntryPort(e, d, p).ok);
          if (!bad.length) continue;
          out.push({
            object: vs.m,
            path: d.port !== undefined ? [...d.path, 'port', 'number'] : d.path,
            message:
              d.port !== undefined
                ? `port ${d.port} is not a port of ${what} (ports: ${ports.join(', ')})`
                : `no destination port for ${what}, which has ports ${ports.join(', ')}: the gateway uses its listener port ${bad.join(', ')}, which the entry does not have`,
          });
        }
      }
    }
    return out;
  },
};
