// Judgements that name the catalogue code for a failure, shared by the rules that report it and by
// trace, which says which rule catches what it shows.
import { isPlaceholderGateway, type BigBangLayout } from '../core/layout.js';
import { serversBinding } from '../model/gateway.js';
import { memo } from '../model/memo.js';
import type { GatewayInfo, MeshModel, VirtualServiceInfo } from '../model/types.js';
import type { RuleCode } from './rules/codes.js';

/** Whether a resolved gateway reference names an Istio Gateway or a Gateway API Gateway of the model. */
export function gatewayExists(model: MeshModel, ref: string): boolean {
  if (ref === 'mesh' || model.gateways.has(ref)) return true;
  return gatewayApiGateways(model).has(ref);
}

/** `ns/name` of every Gateway API Gateway, once per model: asked for each gateway reference of every route. */
function gatewayApiGateways(model: MeshModel): Set<string> {
  return memo(model, 'gateway-api-gateways', () => {
    const keys = new Set<string>();
    for (const m of model.manifests) {
      if (m.kind === 'Gateway' && m.apiVersion.startsWith('gateway.networking.k8s.io/')) keys.add(`${m.namespace}/${m.name}`);
    }
    return keys;
  });
}

/** Which rule reports a reference to a Gateway that does not exist: the Big Bang placeholder (BB008), or MESH001. */
export function missingGatewayCode(layout: BigBangLayout, ref: string): RuleCode {
  return isPlaceholderGateway(layout, ref) ? 'BB008' : 'MESH001';
}

/**
 * Why a VirtualService host does not reach a proxy: its Gateways do not exist (MESH001/BB008), or those that
 * exist serve no such host (MESH002); undefined when some bound Gateway does serve it (the request went elsewhere).
 */
export function unservedHostCode(model: MeshModel, vs: VirtualServiceInfo, hostIndex: number): RuleCode | undefined {
  const refs = vs.gateways.filter((g) => g.index >= 0 && g.resolved !== 'mesh');
  const existing = refs.map((g) => model.gateways.get(g.resolved)).filter((g): g is GatewayInfo => g !== undefined);
  const indexes = hostIndex >= 0 ? [hostIndex] : vs.hosts.map((_, i) => i);
  if (existing.some((gw) => indexes.some((i) => serversBinding(gw, vs, i).length))) return undefined;
  const missing = refs.find((g) => !gatewayExists(model, g.resolved));
  if (missing && !existing.length) return missingGatewayCode(model.layout, missing.resolved);
  return existing.length ? 'MESH002' : undefined;
}
