// BB004: chart/values.yaml carries the `istio` placeholder block, with Istio off by default
// (the chart must render without Big Bang, where Istio may not be installed).
import { asObject, isObject, type JsonObject } from '../../../manifest/json.js';
import { join } from 'node:path';
import { loadYaml11 } from '../../../manifest/yaml11.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { display, findKeyPath, packageHelmRelease } from './util.js';
import { hasExposure } from './bb002-istio-matrix.js';
import { valuesRefs } from './bb005-passdown-keys.js';

const VS_FIELDS = new Set(['enabled', 'gateways', 'hosts']);

export const bb004: Rule = {
  meta: {
    code: 'BB004',
    severity: 'warning',
    title: 'Package defaults lack the `istio` block or enable Istio by default',
    explanation:
      'chart/values.yaml must define `istio.enabled: false` and the per-package block (`istio.<pkg>.enabled/gateways/hosts`) as placeholders: templates read them, and a package installed without Big Bang must not assume Istio. ' +
      "Big Bang's passdown turns Istio on.",
    symptom:
      'without Big Bang: `helm install` fails with `nil pointer evaluating interface {}.enabled`, or renders VirtualServices on a cluster without Istio (`no matches for kind "VirtualService"`)',
    hint: 'add to chart/values.yaml (with a "# Big Bang Values" comment): `domain: bigbang.dev`, `istio: {enabled: false, <pkg>: {enabled: true, gateways: [istio-system/main], hosts: [<pkg>.{{ .Values.domain }}]}}`',
    reads: ['chart/values.yaml'],
    needsPackage: true,
  },
  check(ctx: RuleContext): FindingDraft[] {
    if (!ctx.pkg) return [];
    const hr = packageHelmRelease(ctx.model, ctx.pkg.name);
    if (!hr) return [];
    const file = join(ctx.pkg.dir, 'chart', 'values.yaml');
    const text = ctx.pkg.files.text(file);
    if (text === undefined) return [];
    let values: JsonObject;
    try {
      values = asObject(loadYaml11(text, file));
    } catch {
      return [];
    }
    const at = (keys: string[]) => {
      const pos = findKeyPath(text, keys).pos ?? { line: 1, column: 1 };
      return { path: display(file), line: pos.line, column: pos.column };
    };
    const istio = values?.istio;
    if (!isObject(istio)) {
      return [
        {
          object: hr,
          file: at(['istio']),
          message: `chart/values.yaml has no \`istio:\` block: the package's Istio templates have no defaults to read`,
        },
      ];
    }
    const out: FindingDraft[] = [];
    if (istio.enabled === undefined) {
      out.push({ object: hr, file: at(['istio']), message: `chart/values.yaml: \`istio.enabled\` has no default; set it to false` });
    } else if (istio.enabled === true || istio.enabled === 'true') {
      out.push({
        object: hr,
        file: at(['istio', 'enabled']),
        message: `chart/values.yaml: \`istio.enabled\` defaults to true; a package must assume Istio is not installed (Big Bang's passdown enables it)`,
      });
    }
    // The VirtualService blocks the chart's templates read: `istio.<key>.{enabled,gateways,hosts}`
    // (often the package name, but `istio.chat`, `istio.ui`/`istio.api` in real packages).
    const keys = new Set<string>();
    for (const f of ctx.pkg.files.list(join(ctx.pkg.dir, 'chart', 'templates'))) {
      const t = ctx.pkg.files.text(f);
      if (t === undefined) continue;
      for (const r of valuesRefs(t, f)) if (r.path[0] === 'istio' && r.path.length >= 3 && VS_FIELDS.has(r.path[2])) keys.add(r.path[1]);
    }
    // A package that exposes nothing by design (no route template, no hosts) needs no VirtualService block,
    // nor does a 3.x package describing its exposure in `routes.inbound` (bb-common writes the VirtualService).
    const routed = isObject(asObject(values.routes).inbound);
    const expected = keys.size ? [...keys] : routed ? [] : hasExposure(ctx.pkg) ? [ctx.pkg.name] : [];
    for (const key of expected) {
      if (istio[key] !== undefined) continue;
      out.push({
        object: hr,
        file: at(['istio']),
        severity: 'info',
        message: `chart/values.yaml: no \`istio.${key}\` defaults (enabled, gateways, hosts) for the VirtualService`,
      });
    }
    return out;
  },
};
