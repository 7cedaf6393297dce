// BB001: with Istio enabled, the package namespace must carry the Istio-driven sidecar
// injection label (`istio-injection: enabled` under `{{- if .Values.istio.enabled }}`). A namespace another
// package owns (Grafana deploys into monitoring's namespace) is that package's to create and label.
import { join } from 'node:path';
import { isObject } from '../../../manifest/json.js';
import type { Manifest } from '../../../manifest/types.js';
import type { FindingDraft, PackageContext, Rule, RuleContext } from '../types.js';
import { display, findKeyPath, packageHelmRelease, packageNamespace, templateFile, type Pos } from './util.js';

const MESH_LABELS = ['istio-injection', 'istio.io/rev', 'istio.io/dataplane-mode'];

export const bb001: Rule = {
  meta: {
    code: 'BB001',
    severity: 'warning',
    title: 'Namespace template lacks the Istio-driven injection label',
    explanation:
      'Big Bang turns sidecar injection on per namespace: bigbang/templates/<pkg>/namespace.yaml adds `istio-injection: "enabled"` when Istio is enabled. ' +
      'Without it the package pods run without an istio-proxy sidecar: no mutual TLS, no mesh metrics, and STRICT or hardened policies treat them as outside the mesh. ' +
      "A namespace another package owns (Grafana deploys into the monitoring package's namespace) is that package's to create and label.",
    symptom: 'pods show no istio-proxy container (`kubectl get pods -n <pkg>` shows 1/1 instead of 2/2); traffic to them is plain text',
    hint: 'in bigbang/templates/<pkg>/namespace.yaml, under metadata.labels add `{{- if .Values.istio.enabled }}` / `istio-injection: "enabled"` / `{{- end }}` (bb3: `.Values.istiod.enabled`)',
    reads: ['Namespace', 'HelmRelease', 'bigbang/templates/<pkg>/namespace.yaml'],
    needsPackage: true,
    // One fix (the label) for every workload of the namespace that MESH013 would list.
    supersedes: [
      { code: 'MESH013', when: (mine, theirs) => mine.object.kind === 'Namespace' && theirs.object.namespace === mine.object.name },
    ],
  },
  check(ctx: RuleContext): FindingDraft[] {
    if (!ctx.pkg || !ctx.istioEnabled) return [];
    const nsName = packageNamespace(ctx.model, ctx.pkg);
    const hr = packageHelmRelease(ctx.model, ctx.pkg.name);
    const ns = ctx.model.manifests.find((m) => m.kind === 'Namespace' && m.name === nsName && m.origin.stage === 'bigbang');
    const enabledExpr = ctx.layout.enabledExpr;
    if (nsName && ownedByAnother(ctx.pkg, nsName, hr, ns)) return [];
    if (!ns) {
      if (!hr) return [];
      const file = join(ctx.pkg.dir, 'bigbang', 'templates', ctx.pkg.name, 'namespace.yaml');
      return [
        {
          object: hr,
          path: ['spec', 'targetNamespace'],
          message: `the bigbang/ chart renders no Namespace ${nsName ?? ctx.pkg.name} for the package, so nothing labels it for sidecar injection`,
          hint: `add ${display(file)} creating the namespace with \`istio-injection: "enabled"\` under \`{{- if ${enabledExpr} }}\``,
        },
      ];
    }
    const labels = ns.obj.metadata?.labels ?? {};
    if (MESH_LABELS.some((k) => labels[k] !== undefined)) return [];
    const file = templateFile(ns);
    const text = file ? ctx.pkg.files.text(file) : undefined;
    let pos: Pos = { line: 1, column: 1 };
    let message = `Namespace ${ns.name} has no istio-injection label with Istio enabled: the package pods get no sidecar`;
    if (text) {
      const labelsKey = findKeyPath(text, ['metadata', 'labels']);
      pos = labelsKey.pos ?? pos;
      const i = text.indexOf('istio-injection');
      if (i >= 0) {
        const line = text.slice(0, i).split('\n').length;
        pos = { line, column: i - text.lastIndexOf('\n', i - 1) };
        message = `Namespace ${ns.name}: the template has an istio-injection label, but its condition is false with Istio enabled (${ctx.layout.title} enables Istio with ${enabledExpr})`;
      }
    }
    return [
      {
        object: ns,
        message,
        file: file ? { path: display(file), line: pos.line, column: pos.column } : undefined,
      },
    ];
  },
};

const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Umbrella keys whose package creates a namespace not named after the key. */
const NAMESPACE_OWNERS: Record<string, string[]> = { logging: ['elasticsearchKibana', 'logging'] };

/** The umbrella key the package's HelmRelease template is guarded by (`{{- if .Values.<key>.enabled }}`). */
function packageKey(pkg: PackageContext, hr: Manifest | undefined): string {
  const file = hr ? templateFile(hr) : undefined;
  const text = file ? pkg.files.text(file) : undefined;
  return (text && /\bif\s+\.Values\.(\w+)\.enabled\b/.exec(text)?.[1]) || camel(pkg.name);
}

/**
 * Whether another package owns the namespace: the bigbang/ chart renders it from another package's templates,
 * or the umbrella enables the package the namespace is named after (it creates and labels it).
 */
function ownedByAnother(pkg: PackageContext, nsName: string, hr: Manifest | undefined, ns: Manifest | undefined): boolean {
  const mine = packageKey(pkg, hr);
  if (ns) {
    const dir = ns.origin.template?.split('/').at(-2);
    return dir !== undefined && dir !== 'templates' && dir !== pkg.name && camel(dir) !== mine;
  }
  const values = pkg.renders['istio-enabled'].bigbangValues;
  const owners = NAMESPACE_OWNERS[nsName] ?? [camel(nsName)];
  return owners.some((k) => {
    const v = values[k];
    return k !== mine && isObject(v) && v.enabled === true;
  });
}
