// Rendering through a real Big Bang umbrella chart (a Big Bang checkout, or its chart/ directory).
//
// Everything goes through ONE option, `umbrella` on the render options (RenderOptions, so also
// ModelOptions.render and CheckOptions.render):
//
//   import { checkPackage } from '../analysis/check.js';
//   import { checkDeployment } from '../analysis/check-deployment.js';
//   import { loadMesh } from '../sources/index.js';
//
//   // One package through the umbrella: <dir> holds chart/ (and optionally a bigbang/ overlaid on the
//   // umbrella's templates/<pkg>/). The package key comes from `package`, else the chart name, the
//   // umbrella's <pkg>.git.repo URL, or the HelmRelease names; it is enabled if the values leave it off.
//   await checkPackage(dir, { render: { umbrella: { dir: '~/bigbang' }, umbrellaValues: ['env.yaml'] } });
//   await loadMesh({ dir }, { render: { umbrella: { dir: '~/bigbang', package: 'kiali' } } }); // trace, diagram
//
//   // A whole deployment from its sources: no package dir. Every enabled HelmRelease is rendered from
//   // its GitRepository/HelmRepository/OCIRepository (cached under $XDG_CACHE_HOME/bbmesh), `charts`
//   // overriding some with local checkouts; what cannot be had is one line in `result.notRendered`.
//   await checkDeployment({ render: { umbrella: { dir: '~/bigbang', charts: { kiali: '../kiali' }, offline: true } } });
//   await loadMesh({}, { render: { umbrella: { dir: '~/bigbang' } } });
//
// Every result carries `render.umbrella` (UmbrellaRead): layout, domain, gateways and kubeVersion as
// read from the umbrella (explicit options win: `layout`, `kubeVersion`), and `description`, the
// `read: umbrella 3.2.0 at DIR, layout bb3, ...` line every output should show, plus `notes`.
// Values: the umbrella's values.yaml, then `umbrellaValues` (the environment's), `values` (-f), `set`.
// Objects other packages put in stage 1 have origin stage `context`: in the model (trace uses them),
// never findings. The CLI flags are in src/cli/umbrella-options.ts.
export { locateUmbrella, type UmbrellaChart } from './locate.js';
export { readUmbrella, umbrellaLayout, kubeMinimum } from './read.js';
export { findPackage, packageEntries, normalizeRepoUrl } from './package-key.js';
export { renderThroughUmbrella, templateFolder } from './package.js';
export { renderDeployment } from './deployment.js';
export { umbrellaValues, UMBRELLA_RELEASE, UMBRELLA_NAMESPACE } from './stage1.js';
export type { NotRendered, RenderProgress, UmbrellaOptions, UmbrellaPackage, UmbrellaRead } from './types.js';
