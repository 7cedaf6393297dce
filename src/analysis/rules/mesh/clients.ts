// Which proxies use a VirtualService's routes: the gateway workloads of its bound Gateways (by their
// namespace, where exportTo and Service visibility are judged), and the sidecars when it is bound to mesh.
import { gatewayProxyNamespaces } from '../../../model/selectors.js';
import type { MeshModel, VirtualServiceInfo } from '../../../model/types.js';
import { boundGateways } from './util.js';

export interface RouteClients {
  /** Namespaces of the gateway proxies that route it. */
  gatewayNamespaces: string[];
  /** The mesh sidecars route it too (bound to `mesh`, or no gateways). */
  mesh: boolean;
}

export function routeClients(model: MeshModel, vs: VirtualServiceInfo): RouteClients {
  const ns = new Set<string>();
  for (const gw of boundGateways(model, vs)) for (const n of gatewayProxyNamespaces(model, gw)) ns.add(n);
  return { gatewayNamespaces: [...ns], mesh: vs.gateways.some((g) => g.resolved === 'mesh') };
}
