// bbmesh as a library: the same operations as the CLI, as functions.
export { renderPackage, type RenderOptions, type RenderResult, type ReleaseInfo } from './sources/render/index.js';
export { fluxReleaseName } from './sources/render/releases.js';
export {
  integratePackage,
  recoverTransactions,
  type IntegrateOptions,
  type IntegrateResult,
  type StepReport,
  type RecoveredTransaction,
  type RecoveryOutcome,
} from './integrate/index.js';
export { checkPackage, checkManifests, type CheckOptions, type CheckResult, type CheckSummary } from './analysis/check.js';
export { checkDeployment, type DeploymentCheckResult } from './analysis/check-deployment.js';
// Through a real Big Bang umbrella: `render: { umbrella: { dir } }` on every render, check, trace and mesh option.
export {
  renderDeployment,
  renderThroughUmbrella,
  locateUmbrella,
  readUmbrella,
  type UmbrellaOptions,
  type UmbrellaRead,
  type UmbrellaPackage,
  type NotRendered,
  type RenderProgress,
} from './sources/umbrella/index.js';
export { resolveLayout, chooseLayout, type LayoutChoice } from './sources/layout-detect.js';
export { traceRequest } from './analysis/trace/index.js';
export { tracePackage, traceManifests } from './analysis/trace/run.js';
export { buildDiagram, diagramPackage } from './analysis/trace/diagram.js';
export type { TraceResult, TraceRequest, Hop, Verdict } from './analysis/trace/index.js';
export {
  verifyCluster,
  verifySnapshot,
  verifyWith,
  verifyAll,
  verifyAllCluster,
  verifyAllSnapshot,
  type VerifyReport,
  type VerifyOptions,
  type VerifyAllReport,
  type AllOptions,
  type ClusterAllOptions,
} from './analysis/verify/index.js';
export { loadMesh, meshFromManifests, type InputSpec, type ModelOptions, type MeshInput } from './sources/index.js';
export { loadManifests, locate, type Manifest, type K8sObject, type Location } from './manifest/index.js';
export { buildModel, type MeshModel } from './model/index.js';
export { platformManifests, withPlatform } from './sources/platform.js';
export { LAYOUTS, type LayoutName, type BigBangLayout } from './core/layout.js';
export { RULES, ruleByCode } from './analysis/rules/catalogue.js';
export { runRules } from './analysis/rules/engine.js';
export type { Rule, RuleMeta, Finding, Severity } from './analysis/rules/types.js';
export { UserError } from './core/errors.js';
