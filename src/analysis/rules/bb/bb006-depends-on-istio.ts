// BB006: with Istio enabled the package HelmRelease waits for Istio (`dependsOn`), so its
// pods are created after the injector and its Istio objects after the CRDs.
import { asArray, asObject } from '../../../manifest/json.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { ISTIO_RELEASES, own } from './util.js';

export const bb006: Rule = {
  meta: {
    code: 'BB006',
    severity: 'error',
    title: 'HelmRelease does not depend on Istio while Istio is enabled',
    explanation:
      'Flux installs HelmReleases in parallel unless `spec.dependsOn` orders them. A package that installs before Istio gets pods without sidecars (the injector is not there yet) and its VirtualService fails while the CRDs are missing. ' +
      'Big Bang 2.x names the Istio HelmRelease `istio`, 3.x `istiod`.',
    symptom:
      'on a fresh install: pods without istio-proxy until restarted, HelmRelease install failures `no matches for kind "VirtualService"`',
    hint: 'in bigbang/templates/<pkg>/helmrelease.yaml: `{{- if .Values.istio.enabled }}` / `dependsOn:` / `- name: istio` (bb3: `istiod`) / `namespace: {{ .Release.Namespace }}` / `{{- end }}`',
    reads: ['HelmRelease'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    if (!ctx.istioEnabled) return [];
    const want = ctx.layout.istioHelmRelease;
    const out: FindingDraft[] = [];
    for (const hr of own(ctx.model).filter((m) => m.kind === 'HelmRelease')) {
      if (ISTIO_RELEASES.has(hr.name) || hr.name.endsWith('-ingressgateway')) continue;
      const spec = asObject(hr.obj.spec);
      const deps = asArray(spec.dependsOn).map(asObject);
      if (deps.some((d) => d?.name === want && (d.namespace === undefined || d.namespace === hr.namespace || d.namespace === 'bigbang')))
        continue;
      const wrong = deps.findIndex((d) => ISTIO_RELEASES.has(String(d?.name)));
      if (wrong >= 0) {
        out.push({
          object: hr,
          path: ['spec', 'dependsOn', wrong, 'name'],
          message: `HelmRelease ${hr.namespace}/${hr.name} depends on "${deps[wrong].name}", but ${ctx.layout.title} names the Istio HelmRelease "${want}"`,
          symptom: `HelmRelease waits forever: dependency '${hr.namespace}/${deps[wrong].name}' is not ready`,
        });
        continue;
      }
      out.push({
        object: hr,
        path: spec.dependsOn ? ['spec', 'dependsOn'] : ['spec'],
        message: `HelmRelease ${hr.namespace}/${hr.name} has no dependsOn "${want}" although Istio is enabled`,
      });
    }
    return out;
  },
};
