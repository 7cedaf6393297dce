// MESH004: destination port missing on a multi-port Service, or not a port of the Service.
import { serversForHost } from '../../../model/lookup.js';
import type { MeshModel, VirtualServiceInfo } from '../../../model/types.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { destinationsOf, resolveDestination } from './util.js';

/** Ports of the gateway listeners that route this VirtualService's hosts (redirect-only servers excluded). */
function listenerPorts(model: MeshModel, vs: VirtualServiceInfo): number[] {
  const ports = new Set<number>();
  for (const g of vs.gateways) {
    const gw = g.resolved === 'mesh' ? undefined : model.gateways.get(g.resolved);
    if (!gw) continue;
    for (const h of vs.hosts) {
      for (const s of serversForHost(model, gw, h, vs.namespace)) if (!s.tls?.httpsRedirect && s.port.number > 0) ports.add(s.port.number);
    }
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
        let ports: number[];
        let what: string;
        if (r.kind === 'service') {
          ports = r.service.ports.map((p) => p.port);
          what = `Service ${r.service.namespace}/${r.service.name}`;
        } else if (r.kind === 'serviceEntry' && r.entry.ports.length) {
          ports = r.entry.ports.map((p) => p.number);
          what = `ServiceEntry ${r.entry.namespace}/${r.entry.name}`;
        } else continue;
        if (!ports.length) continue;
        if (d.port !== undefined) {
          if (ports.includes(d.port)) continue;
          const target = r.kind === 'service' ? r.service.ports.find((p) => p.targetPort === d.port) : undefined;
          out.push({
            object: vs.m,
            path: [...d.path, 'port', 'number'],
            message: `port ${d.port} is not a port of ${what} (ports: ${ports.join(', ')})${target ? `; ${d.port} is the targetPort of port ${target.port}` : ''}`,
            hint: target ? `Use the Service port ${target.port}.` : undefined,
          });
          continue;
        }
        if (ports.length < 2 || r.kind !== 'service') continue;
        // On sidecars the listener port is the Service port the client called, which exists; on a gateway it is the server port.
        listeners ??= listenerPorts(model, vs);
        const bad = listeners.filter((p) => !ports.includes(p));
        if (!bad.length) continue;
        out.push({
          object: vs.m,
          path: d.path,
          message: `no destination port for ${what}, which has ports ${ports.join(', ')}: the gateway uses its listener port ${bad.join(', ')}, which the Service does not have`,
          hint: `Add \`port: {number: <one of ${ports.join(', ')}>}\` to the destination.`,
        });
      }
    }
    return out;
  },
};
