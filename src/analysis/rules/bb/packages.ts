// Helpers of the rules that span packages: which package made an object, and whether the input is the
// umbrella's own render (so its HelmReleases are every package the values enable).
import { asObject, asString } from '../../../manifest/json.js';
import type { Manifest } from '../../../manifest/types.js';
import type { MeshModel } from '../../../model/types.js';
import { fluxReleaseName } from '../../../sources/render/releases.js';

/** The umbrella's Helm release name, as Big Bang installs it. */
export const UMBRELLA_RELEASE = 'bigbang';

export interface PackageRef {
  /** Identity: the Helm release (`podinfo-podinfo`), or Flux's `namespace/name` labels. */
  id: string;
  /** For messages: `HelmRelease bigbang/podinfo`, else `release podinfo-podinfo`. */
  label: string;
}

function releaseRef(model: MeshModel, rel: string): PackageRef {
  const hr = model.helmReleases.find(
    (h) =>
      fluxReleaseName({ name: h.name, targetNamespace: h.targetNamespace, releaseName: asString(asObject(h.m.obj.spec).releaseName) }) ===
      rel,
  );
  return { id: `release:${rel}`, label: hr ? `HelmRelease ${hr.namespace}/${hr.name}` : `release ${rel}` };
}

/**
 * The package that made an object: its Helm release (stage 2 of a render), else Flux's ownership labels
 * (objects read from a cluster), else the `app.kubernetes.io/instance` label charts set to the release
 * name (rendered manifests given as files); undefined when nothing tells.
 */
export function packageOf(model: MeshModel, m: Manifest): PackageRef | undefined {
  if (m.origin.stage === 'package' && m.origin.release) return releaseRef(model, m.origin.release);
  const labels = m.obj.metadata?.labels ?? {};
  const name = labels['helm.toolkit.fluxcd.io/name'];
  if (name) {
    const ns = labels['helm.toolkit.fluxcd.io/namespace'] ?? '';
    return { id: `flux:${ns}/${name}`, label: `HelmRelease ${ns ? `${ns}/` : ''}${name}` };
  }
  const instance = labels['app.kubernetes.io/instance'];
  return instance ? releaseRef(model, instance) : undefined;
}

/**
 * The input holds the umbrella's own stage 1 (rendered through --umbrella, `helm template bigbang`
 * output, or a cluster Big Bang installed): its HelmReleases are then every package the values enable.
 */
export function umbrellaRendered(model: MeshModel): boolean {
  return model.helmReleases.some((h) => {
    if (h.m.origin.release === UMBRELLA_RELEASE && h.m.origin.stage !== 'package') return true;
    const labels = h.m.obj.metadata?.labels ?? {};
    return labels['app.kubernetes.io/instance'] === UMBRELLA_RELEASE && labels['app.kubernetes.io/part-of'] === 'bigbang';
  });
}
