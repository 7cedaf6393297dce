// BB004: chart/values.yaml carries the `istio` placeholder block, with Istio off by default
// (the chart must render without Big Bang, where Istio may not be installed).
import { join } from 'node:path';
import { loadYaml11 } from '../../manifest/yaml11.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { display, findKeyLine, packageHelmRelease, readText } from './util.js';

export const bb004: Rule = {
  meta: {
    code: 'BB004',
    severity: 'warning',
    title: 'Package defaults lack the `istio` block or enable Istio by default',
    explanation:
      'chart/values.yaml must define `istio.enabled: false` and the per-package block (`istio.<pkg>.enabled/gateways/hosts`) as placeholders: templates read them, and a package installed without Big Bang must not assume Istio. ' +
      'Big Bang\'s passdown turns Istio on.',
    symptom: 'without Big Bang: `helm install` fails with `nil pointer evaluating interface {}.enabled`, or renders VirtualServices on a cluster without Istio (`no matches for kind "VirtualService"`)',
    hint: 'add to chart/values.yaml (with a "# Big Bang Values" comment): `domain: bigbang.dev`, `istio: {enabled: false, <pkg>: {enabled: true, gateways: [istio-system/main], hosts: [<pkg>.{{ .Values.domain }}]}}`',
    reads: ['chart/values.yaml'],
    needsPackage: true,
  },
  check(ctx: RuleContext): FindingDraft[] {
    if (!ctx.pkg) return [];
    const hr = packageHelmRelease(ctx.model, ctx.pkg.name);
    if (!hr) return [];
    const file = join(ctx.pkg.dir, 'chart', 'values.yaml');
    const text = readText(file);
    if (text === undefined) return [];
    let values: any;
    try {
      values = loadYaml11(text, file) ?? {};
    } catch {
      return [];
    }
    const at = (keys: string[]) => {
      const pos = findKeyLine(text, keys).pos ?? { line: 1, column: 1 };
      return { path: display(file), line: pos.line, column: pos.column };
    };
    const istio = values?.istio;
    if (istio === undefined || istio === null || typeof istio !== 'object') {
      return [{ object: hr, file: at(['istio']), message: `chart/values.yaml has no \`istio:\` block: the package's Istio templates have no defaults to read` }];
    }
    const out: FindingDraft[] = [];
    if (istio.enabled === undefined) {
      out.push({ object: hr, file: at(['istio']), message: `chart/values.yaml: \`istio.enabled\` has no default; set it to false` });
    } else if (istio.enabled === true || istio.enabled === 'true') {
      out.push({ object: hr, file: at(['istio', 'enabled']), message: `chart/values.yaml: \`istio.enabled\` defaults to true; a package must assume Istio is not installed (Big Bang's passdown enables it)` });
    }
    if (istio[ctx.pkg.name] === undefined) {
      out.push({
        object: hr, file: at(['istio']), severity: 'info',
        message: `chart/values.yaml: no \`istio.${ctx.pkg.name}\` defaults (enabled, gateways, hosts) for the VirtualService`,
      });
    }
    return out;
  },
};
