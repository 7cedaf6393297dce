// MESH001: a VirtualService `gateways` entry that resolves to no Gateway.
import { LAYOUTS, layoutOfGatewayRef } from '../../../core/layout.js';
import { gatewayBindsAny } from '../../../model/gateway.js';
import { gatewayExists, missingGatewayCode } from '../../explain.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { boundGateways } from './util.js';

export const mesh001: Rule = {
  meta: {
    code: 'MESH001',
    severity: 'error',
    title: 'VirtualService gateway reference does not resolve',
    explanation:
      "istiod resolves each `gateways` entry (a bare name is in the VirtualService's namespace, `ns/name` as is, the legacy " +
      '`name.ns.svc.cluster.local` as `ns/name`). A reference to a Gateway that does not exist binds the routes to nothing; ' +
      'when another bound Gateway serves the hosts, only that binding is lost (a warning).',
    symptom: '404 NR at the ingress gateway: the host has no route (or the 301 redirect on http, then 404 on https)',
    hint: 'Reference the Gateway as `<namespace>/<name>`, e.g. `istio-system/public` (Big Bang 2.x) or `istio-gateway/public-ingressgateway` (3.x).',
    reads: ['VirtualService', 'Gateway'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    let byName: Map<string, string[]> | undefined;
    for (const vs of model.virtualServices) {
      for (const g of vs.gateways) {
        if (g.index < 0 || gatewayExists(model, g.resolved)) continue;
        if (missingGatewayCode(ctx.layout, g.resolved) !== 'MESH001') continue; // BB008's
        if (!byName) {
          byName = new Map();
          for (const gw of model.gateways.values()) byName.set(gw.name, [...(byName.get(gw.name) ?? []), gw.key]);
        }
        const name = g.resolved.slice(g.resolved.indexOf('/') + 1);
        const elsewhere = byName.get(name) ?? [];
        const how = g.raw === g.resolved ? '' : ` (resolves to ${g.resolved})`;
        const expected = ctx.layout.gatewayRef(name);
        // A Big Bang gateway name from the other layout usually means the wrong --layout.
        const owner = layoutOfGatewayRef(g.resolved);
        const otherLayout = owner && owner !== ctx.layout.name ? LAYOUTS[owner] : undefined;
        const hint = otherLayout
          ? `${g.resolved} is how ${otherLayout.title} names its gateway: if the package targets that release, run with --layout ${otherLayout.name}; otherwise write \`${ctx.layout.gatewayRef('public')}\`.`
          : elsewhere.length
            ? `A Gateway named ${name} exists as ${elsewhere.join(', ')}: write \`${elsewhere[0]}\`.`
            : model.gateways.has(expected)
              ? `Write \`${expected}\`.`
              : undefined;
        const serving = boundGateways(model, vs).filter((gw) => gatewayBindsAny(gw, vs));
        out.push({
          object: vs.m,
          path: ['spec', 'gateways', g.index],
          message:
            `gateway "${g.raw}"${how} does not exist` +
            (elsewhere.length ? `; a Gateway named ${name} exists in ${elsewhere.map((k) => k.split('/')[0]).join(', ')}` : '') +
            (serving.length
              ? `; the hosts are still served through ${serving.map((gw) => gw.key).join(', ')}, so only this binding is lost`
              : ''),
          ...(serving.length
            ? { severity: 'warning' as const, symptom: 'none while the other Gateway serves the hosts; the binding does nothing' }
            : {}),
          hint,
        });
      }
    }
    return out;
  },
};
