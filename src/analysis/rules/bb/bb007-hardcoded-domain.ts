// BB007: VirtualService hosts follow Big Bang's `domain`. Checked by rendering the package chart
// again (stage 2 only, sources/render/probe.ts) with the passdown's domain swapped for another: a
// host that does not change is hard-coded.
import type { Manifest } from '../../../manifest/types.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { PROBE_DOMAIN } from './util.js';

function hostsOf(m: Manifest): unknown[] {
  const h = (m.obj.spec as { hosts?: unknown } | undefined)?.hosts;
  return Array.isArray(h) ? h : [];
}

export const bb007: Rule = {
  meta: {
    code: 'BB007',
    severity: 'warning',
    title: 'VirtualService host hard-codes a domain instead of using `domain`',
    explanation:
      'Big Bang passes its `domain` down to every package, and the ingress Gateway serves `*.<domain>`. A VirtualService host written as `pkg.bigbang.dev` instead of `pkg.{{ .Values.domain }}` (rendered through `tpl`) works in the dev domain and breaks in every real deployment.',
    symptom:
      'with any other domain: 404 NR at the ingress gateway (the host is not served by the Gateway) and the certificate does not match',
    hint: 'in chart/values.yaml write the host as `<pkg>.{{ .Values.domain }}` and render it with `{{ tpl . $ }}` in the VirtualService; pass `domain` in bigbang.defaults.<pkg>',
    reads: ['VirtualService'],
    needsPackage: true,
    needs: ['domain-probe'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const probe = ctx.pkg?.renders['domain-probe'];
    if (!ctx.pkg || !probe || !ctx.istioEnabled) return [];
    const out: FindingDraft[] = [];
    for (const vs of ctx.model.manifests.filter((m) => m.kind === 'VirtualService' && m.origin.stage === 'package')) {
      const other = probe.manifests.find((m) => m.kind === vs.kind && m.namespace === vs.namespace && m.name === vs.name);
      if (!other) continue;
      const hosts = hostsOf(vs);
      const probeHosts = hostsOf(other);
      hosts.forEach((h, i) => {
        const host = String(h);
        // In-mesh names (short names, *.svc.cluster.local) are not domain-based.
        if (!host.includes('.') || host.endsWith('.svc.cluster.local') || host.endsWith('.svc')) return;
        if (probeHosts.map(String).includes(host) && !host.endsWith(PROBE_DOMAIN)) {
          out.push({
            object: vs,
            path: ['spec', 'hosts', i],
            message: `VirtualService host "${host}" does not follow Big Bang's domain (it stays the same when the chart is rendered with domain=${PROBE_DOMAIN})`,
          });
        }
      });
    }
    return out;
  },
};
