// BB003: the package's VirtualService is named and labelled with the chart's helpers, like
// every other object of the release (guide: `template "<chart>.fullname"`, `<chart>.labels`
// plus `app.kubernetes.io/instance`).
import type { Manifest } from '../../../manifest/types.js';
import { isLibraryGenerated } from '../../../sources/library.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';

const WORKLOAD_KINDS = new Set(['Service', 'Deployment', 'StatefulSet', 'DaemonSet']);
/** Labels the chart's common-labels helper puts on its objects, checked when siblings have them. */
const HELPER_LABELS = ['helm.sh/chart', 'app.kubernetes.io/name'];

export const bb003: Rule = {
  meta: {
    code: 'BB003',
    // Naming and labels change no route: reported, never failing the default --fail-on.
    severity: 'info',
    title: "VirtualService name or labels do not follow the chart's helpers",
    explanation:
      "The VirtualService should be named like the release's other objects (the chart's fullname helper) and carry the chart's common labels plus `app.kubernetes.io/instance`. " +
      'A hard-coded name collides when the chart is installed twice or renamed with fullnameOverride, and objects without the standard labels escape label-based tooling (kubectl -l, Big Bang policies, monitoring).',
    symptom: "two installs overwrite each other's VirtualService; `kubectl get vs -l app.kubernetes.io/instance=<release>` misses it",
    hint: 'name it `{{ template "<chart>.fullname" . }}`; labels: `{{- include "<chart>.labels" . | nindent 4 }}` and `app.kubernetes.io/instance: {{ .Release.Name }}`',
    reads: ['VirtualService', 'Service', 'Deployment', 'StatefulSet', 'DaemonSet'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const out: FindingDraft[] = [];
    const { model } = ctx;
    // The package's own objects: stage 2 of a package render, or any input object.
    const mine = (m: Manifest) => (ctx.pkg ? m.origin.stage === 'package' : m.origin.stage !== 'platform');
    // Services then workloads of a namespace, the package's own: computed once per namespace (plain loops, no spreads).
    const siblingsByNs = new Map<string, Manifest[]>();
    const siblingsIn = (ns: string): Manifest[] => {
      let l = siblingsByNs.get(ns);
      if (!l) {
        l = [];
        for (const s of model.servicesByNamespace.get(ns) ?? []) if (mine(s.m)) l.push(s.m);
        for (const w of model.workloadsByNamespace.get(ns) ?? []) if (WORKLOAD_KINDS.has(w.kind) && mine(w.m)) l.push(w.m);
        siblingsByNs.set(ns, l);
      }
      return l;
    };
    for (const v of model.virtualServices) {
      const vs = v.m;
      // A library chart (bb-common's routes) names and labels what it generates: nothing for the maintainer to fix.
      if (!mine(vs) || isLibraryGenerated(vs)) continue;
      const inNs = siblingsIn(vs.namespace);
      // sameRelease is always true when the VirtualService has no release.
      const siblings = vs.origin.release === undefined ? inNs : inNs.filter((m) => sameRelease(m, vs));
      const labels = vs.obj.metadata?.labels ?? {};
      const labelsPath = vs.obj.metadata?.labels ? ['metadata', 'labels'] : ['metadata'];
      if (labels['app.kubernetes.io/instance'] === undefined) {
        out.push({
          object: vs,
          path: labelsPath,
          message: `VirtualService ${vs.namespace}/${vs.name} has no app.kubernetes.io/instance label`,
        });
      }
      const missing = HELPER_LABELS.filter(
        (k) => labels[k] === undefined && siblings.some((s) => s.obj.metadata?.labels?.[k] !== undefined),
      );
      if (missing.length) {
        out.push({
          object: vs,
          path: labelsPath,
          message: `VirtualService ${vs.namespace}/${vs.name} lacks the chart's common labels ${missing.join(', ')} that its Service/workloads carry (include the chart's labels helper)`,
        });
      }
      const release = vs.origin.release;
      // `vs.name` is `n` or starts with `${n}-` (tested without building the string).
      const follows = (n: string) =>
        vs.name === n || (vs.name.length > n.length && vs.name.charCodeAt(n.length) === 45 && vs.name.startsWith(n));
      if (siblings.length && !siblings.some((s) => follows(s.name)) && !(release && follows(release))) {
        const names = siblings.map((s) => s.name);
        out.push({
          object: vs,
          path: ['metadata', 'name'],
          message: `VirtualService name "${vs.name}" is not the chart's fullname: the release's objects are named ${[...new Set(names)].map((n) => `"${n}"`).join(', ')}`,
        });
      }
    }
    return out;
  },
};

function sameRelease(a: Manifest, b: Manifest): boolean {
  return a.origin.release === undefined || b.origin.release === undefined || a.origin.release === b.origin.release;
}
