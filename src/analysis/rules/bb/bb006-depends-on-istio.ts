// BB006: with Istio enabled the package HelmRelease waits for Istio (`dependsOn`), so its
// pods are created after the injector and its Istio objects after the CRDs. Waiting for a HelmRelease of
// the render that itself waits for Istio (Elasticsearch -> ECK operator -> Istio) orders it just as well.
import { asArray, asObject } from '../../../manifest/json.js';
import type { Manifest } from '../../../manifest/types.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { ISTIO_RELEASES, own } from './util.js';

export const bb006: Rule = {
  meta: {
    code: 'BB006',
    severity: 'error',
    title: 'HelmRelease does not depend on Istio while Istio is enabled',
    explanation:
      'Flux installs HelmReleases in parallel unless `spec.dependsOn` orders them. A package that installs before Istio gets pods without sidecars (the injector is not there yet) and its VirtualService fails while the CRDs are missing. ' +
      'Waiting for a HelmRelease of the render that itself waits for Istio (an operator package) orders it as well. Big Bang 2.x names the Istio HelmRelease `istio`, 3.x `istiod`.',
    symptom:
      'on a fresh install: pods without istio-proxy until restarted, HelmRelease install failures `no matches for kind "VirtualService"`',
    hint: 'in bigbang/templates/<pkg>/helmrelease.yaml: `{{- if .Values.istio.enabled }}` / `dependsOn:` / `- name: istio` (bb3: `istiod`) / `namespace: {{ .Release.Namespace }}` / `{{- end }}`',
    reads: ['HelmRelease'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    if (!ctx.istioEnabled) return [];
    const want = ctx.layout.istioHelmRelease;
    const out: FindingDraft[] = [];
    const hrs = own(ctx.model).filter((m) => m.kind === 'HelmRelease');
    for (const hr of hrs) {
      if (ISTIO_RELEASES.has(hr.name) || hr.name.endsWith('-ingressgateway')) continue;
      const spec = asObject(hr.obj.spec);
      const deps = asArray(spec.dependsOn).map(asObject);
      if (waitsFor(hr, want, hrs)) continue;
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

/** `{name, namespace}` of a dependsOn entry (namespace defaults to the HelmRelease's own). */
function dependencies(hr: Manifest): Array<{ name: string; namespace: string }> {
  return asArray(asObject(hr.obj.spec).dependsOn)
    .map(asObject)
    .filter((d) => typeof d.name === 'string')
    .map((d) => ({ name: String(d.name), namespace: typeof d.namespace === 'string' ? d.namespace : hr.namespace }));
}

/** Whether `hr` waits for the `want` HelmRelease, directly or through HelmReleases of the render. */
export function waitsFor(hr: Manifest, want: string, hrs: Manifest[]): boolean {
  const seen = new Set<Manifest>();
  const visit = (m: Manifest): boolean => {
    if (seen.has(m)) return false;
    seen.add(m);
    for (const d of dependencies(m)) {
      // Big Bang's HelmReleases all live in the umbrella's namespace (`bigbang`).
      if (d.name === want && (d.namespace === m.namespace || d.namespace === 'bigbang')) return true;
      const next = hrs.find((x) => x.name === d.name && x.namespace === d.namespace);
      if (next && visit(next)) return true;
    }
    return false;
  };
  return visit(hr);
}
