// Judgements that name the catalogue code for a failure, shared by the rules that report it and by
// trace, which says which rule catches what it shows.
import { isPlaceholderGateway, type BigBangLayout } from '../core/layout.js';
import type { MeshModel } from '../model/types.js';
import type { RuleCode } from './rules/codes.js';

/** Whether a resolved gateway reference names an Istio Gateway or a Gateway API Gateway of the model. */
export function gatewayExists(model: MeshModel, ref: string): boolean {
  if (ref === 'mesh' || model.gateways.has(ref)) return true;
  return model.manifests.some(
    (m) => m.kind === 'Gateway' && m.apiVersion.startsWith('gateway.networking.k8s.io/') && `${m.namespace}/${m.name}` === ref,
  );
}

/** Which rule reports a reference to a Gateway that does not exist: the Big Bang placeholder (BB008), or MESH001. */
export function missingGatewayCode(layout: BigBangLayout, ref: string): RuleCode {
  return isPlaceholderGateway(layout, ref) ? 'BB008' : 'MESH001';
}
