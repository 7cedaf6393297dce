// bbmesh as a library: the same operations as the CLI, as functions.
export { renderPackage, fluxReleaseName, type RenderOptions, type RenderResult, type ReleaseInfo } from './sources/render/index.js';
export { integratePackage, type IntegrateOptions, type IntegrateResult, type StepReport } from './integrate/index.js';
export { checkPackage, checkManifests, type CheckOptions, type CheckResult } from './analysis/check.js';
export { traceRequest } from './analysis/trace/index.js';
export { tracePackage, traceManifests } from './analysis/trace/run.js';
export { buildDiagram, diagramPackage } from './analysis/trace/diagram.js';
export type { TraceResult, TraceRequest, Hop, Verdict } from './analysis/trace/index.js';
export { verifyCluster, verifySnapshot, verifyWith, type VerifyReport, type VerifyOptions } from './analysis/verify/index.js';
export { loadMesh, meshFromManifests, type InputSpec, type ModelOptions, type MeshInput } from './sources/index.js';
export { loadManifests, locate, type Manifest, type K8sObject, type Location } from './manifest/index.js';
export { buildModel, type MeshModel } from './model/index.js';
export { platformManifests, withPlatform } from './sources/platform.js';
export { LAYOUTS, type LayoutName, type BigBangLayout } from './core/layout.js';
export { RULES, ruleByCode } from './analysis/rules/catalogue.js';
export { runRules } from './analysis/rules/engine.js';
export type { Rule, RuleMeta, Finding, Severity } from './analysis/rules/types.js';
export { UserError } from './core/errors.js';
