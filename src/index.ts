// bbmesh as a library: the same operations as the CLI, as functions.
export { renderPackage, fluxReleaseName, type RenderOptions, type RenderResult, type ReleaseInfo } from './render/index.js';
export { integratePackage, type IntegrateOptions, type IntegrateResult, type StepReport } from './integrate/index.js';
export { checkPackage, checkManifests, type CheckOptions, type CheckResult } from './check/index.js';
export { tracePackage, traceManifests, traceRequest, buildDiagram, diagramPackage } from './trace/index.js';
export type { TraceResult, TraceRequest, Hop, Verdict } from './trace/index.js';
export { verifyCluster, verifySnapshot, verifyWith, type VerifyReport, type VerifyOptions } from './live/index.js';
export { loadInput, type InputSpec, type ModelOptions } from './input.js';
export { loadManifests, locate, type Manifest, type K8sObject, type Location } from './manifest/index.js';
export { buildModel, type MeshModel } from './model/index.js';
export { platformManifests, withPlatform, LAYOUTS, type Layout } from './platform/index.js';
export { RULES, ruleByCode } from './rules/catalogue.js';
export { runRules } from './rules/engine.js';
export type { Rule, RuleMeta, Finding, Severity } from './rules/types.js';
export { UserError } from './errors.js';
