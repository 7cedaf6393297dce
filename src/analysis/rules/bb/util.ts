// Helpers shared by the Big Bang convention rules: finding the package's own objects in a render, and
// reading its source files through the package snapshot (a Helm template is not YAML until rendered,
// so keys are found by the one key finder, manifest/keys.ts).
import { templateFileOf } from '../../../manifest/source.js';
import type { Manifest } from '../../../manifest/types.js';
import type { MeshModel } from '../../../model/types.js';
import { displayPath } from '../../../sources/package-files.js';
import type { PackageContext, RuleContext } from '../types.js';

export { ISTIO_RELEASES } from '../../../core/layout.js';
export { findKeyPath } from '../../../manifest/keys.js';
export { PROBE_DOMAIN } from '../../../sources/index.js';

export interface Pos {
  line: number;
  column: number;
}

export const ISTIO_GROUPS = new Set([
  'networking.istio.io',
  'security.istio.io',
  'telemetry.istio.io',
  'extensions.istio.io',
  'install.istio.io',
]);

export function isIstioKind(m: Manifest): boolean {
  return ISTIO_GROUPS.has(m.apiVersion.split('/')[0]);
}

/** Objects of the input (not the assumed platform, nor what operators make at run time, nor other packages' context). */
export function own(model: Pick<MeshModel, 'manifests'>): Manifest[] {
  return model.manifests.filter((m) => m.origin.stage !== 'platform' && m.origin.stage !== 'operator' && m.origin.stage !== 'context');
}

/** The package's HelmRelease: named after the package, else the first one of stage 1. */
export function packageHelmRelease(model: Pick<MeshModel, 'manifests'>, pkgName?: string): Manifest | undefined {
  const hrs = own(model).filter((m) => m.kind === 'HelmRelease');
  return hrs.find((m) => m.name === pkgName) ?? hrs[0];
}

/** Absolute path on disk of the template that produced a rendered manifest. */
export const templateFile = templateFileOf;

/** Path as shown to a user: relative to the working directory. */
export const display = displayPath;

/** 1-based line and column of a character offset. */
export function posAt(text: string, offset: number): Pos {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/** The rendered Namespace the package deploys into (the HelmRelease's targetNamespace). */
export function packageNamespace(model: MeshModel, pkg?: PackageContext): string | undefined {
  const hr = packageHelmRelease(model, pkg?.name);
  const target = (hr?.obj.spec as { targetNamespace?: unknown } | undefined)?.targetNamespace;
  if (typeof target === 'string') return target;
  return pkg?.renders['istio-enabled'].releases[0]?.namespace ?? hr?.namespace;
}

/** Manifests rendered from the package chart (stage 2), or all input objects for plain manifests. */
export function chartObjects(ctx: RuleContext): Manifest[] {
  const all = own(ctx.model);
  return ctx.pkg ? all.filter((m) => m.origin.stage === 'package') : all;
}
