export * from './types.js';
export { buildModel, servicesSelecting, type BuildOptions } from './build.js';
export * from './hosts.js';
export { injectionDecision } from './injection.js';
export * from './lookup.js';
