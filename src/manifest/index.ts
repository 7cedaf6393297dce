export * from './types.js';
export { loadManifests, splitDocuments, toManifest, CLUSTER_SCOPED } from './load.js';
export { locate } from './locate.js';
export { loadYaml11, K8S_SCHEMA } from './yaml11.js';
