// The mesh model: typed views of the objects built once (build.ts), and one resolver module per Istio
// concept, used by every consumer (check rules, trace, verify).
export * from './types.js';
export { buildModel, type BuildOptions } from './build.js';
export * from './hosts.js';
export * from './gateway-ref.js';
export * from './selectors.js';
export * from './export.js';
export * from './destination.js';
export * from './credentials.js';
export * from './gateway.js';
export * from './mtls.js';
export * from './authz.js';
export { injectionDecision } from './injection.js';
export * from './match.js';
export * from './routes.js';
