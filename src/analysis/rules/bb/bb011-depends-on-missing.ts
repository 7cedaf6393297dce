// BB011: a HelmRelease's dependsOn names a HelmRelease the umbrella does not render (its package is off).
import { ISTIO_RELEASES } from '../../../core/layout.js';
import { isAssumed } from '../mesh/util.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { umbrellaRendered } from './packages.js';

export const bb011: Rule = {
  meta: {
    code: 'BB011',
    severity: 'error',
    title: 'HelmRelease depends on a HelmRelease that is not enabled',
    explanation:
      'Flux installs a HelmRelease only after every HelmRelease in its `spec.dependsOn` is ready. A dependency the ' +
      'umbrella does not render (the package it names is disabled in the values, or misspelled) is never ready, so the ' +
      'package is never installed. Checked when the input is the whole umbrella render, where every enabled package is present.',
    symptom: "HelmRelease stays `dependency 'bigbang/<name>' is not ready`; the package is never installed",
    hint:
      'enable the package it depends on in the values, or render the dependsOn entry only when that package is enabled ' +
      '(`{{- if .Values.<pkg>.enabled }}`)',
    reads: ['HelmRelease'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const { model } = ctx;
    if (!umbrellaRendered(model)) return [];
    const present = new Set(model.helmReleases.map((h) => `${h.namespace}/${h.name}`));
    const out: FindingDraft[] = [];
    for (const hr of model.helmReleases) {
      if (isAssumed(hr.m)) continue;
      hr.dependsOn.forEach((d, i) => {
        if (!d.name || present.has(`${d.namespace}/${d.name}`)) return;
        // a wrong name for Istio's own release is BB006's finding
        if (ctx.istioEnabled && ISTIO_RELEASES.has(d.name) && d.name !== ctx.layout.istioHelmRelease) return;
        out.push({
          object: hr.m,
          path: ['spec', 'dependsOn', i, 'name'],
          message:
            `HelmRelease ${hr.namespace}/${hr.name} depends on ${d.namespace}/${d.name}, ` +
            'which the umbrella does not render (not enabled in the values)',
          symptom: `HelmRelease ${hr.namespace}/${hr.name} waits forever: dependency '${d.namespace}/${d.name}' is not ready`,
        });
      });
    }
    return out;
  },
};
