// MESH020: a VirtualService redirect rule whose target is redirected back: the request never ends.
import { serversBinding, terminatesTls } from '../../../model/gateway.js';
import { blocksOn, exampleRequest } from '../../../model/match.js';
import { traceRequest } from '../../trace/index.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { boundGateways } from './util.js';

export const mesh020: Rule = {
  meta: {
    code: 'MESH020',
    severity: 'error',
    title: 'Redirect loop',
    explanation:
      'A `redirect` answers 301 (or its redirectCode) with a new URL; when that URL reaches a rule that redirects back (the same ' +
      'rule, another VirtualService, or the http to https redirect of the Gateway), the client follows redirects until it gives ' +
      'up. Found by following a request that matches each redirect rule, as trace does.',
    symptom: 'browsers: ERR_TOO_MANY_REDIRECTS; curl -L: "Maximum (50) redirects followed"',
    hint: 'Redirect to a URL that is served (a different path, host or scheme that routes to a destination), or drop the redirect.',
    reads: ['VirtualService', 'Gateway', 'Service'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    const out: FindingDraft[] = [];
    for (const vs of model.virtualServices) {
      if (!vs.http.some((r) => r.redirect)) continue;
      const done = new Set<number>();
      for (const gw of boundGateways(model, vs)) {
        vs.hosts.forEach((_, i) => {
          const servers = serversBinding(gw, vs, i);
          if (!servers.length) return;
          const scheme = servers.some(terminatesTls) ? 'https' : 'http';
          const host = vs.fqdnHosts[i].replace(/^\*\./, 'www.').toLowerCase();
          for (const rule of vs.http) {
            if (!rule.redirect || done.has(rule.index)) continue;
            const req = blocksOn(rule, gw.key)
              .map(exampleRequest)
              .find((x) => x !== undefined);
            if (!req) continue;
            const r = traceRequest(model, { url: `${scheme}://${host}${req.path}`, method: req.method, headers: req.headers });
            const v = r.verdict;
            if (
              v.flag !== 'loop' ||
              v.object?.kind !== 'VirtualService' ||
              v.object.name !== vs.name ||
              v.object.namespace !== vs.namespace
            )
              continue;
            done.add(rule.index);
            out.push({
              object: vs.m,
              path: [...rule.path, 'redirect'],
              message: `${req.method} ${scheme}://${host}${req.path}: ${v.reason}`,
            });
          }
        });
      }
    }
    return out;
  },
};
