// The guide's validation steps 5 and 7-11, one file each, judged from the objects read and the mesh
// model built from them. Step 12 (a real HTTPS request) is in https.ts.
export { cannotCheck, fixFor, podState, readyCondition, type Condition, type PodState } from './common.js';
export { readiness, step5, type Readiness } from './step5-flux.js';
export { EXPIRY_WARN_DAYS, step7 } from './step7-certificate.js';
export { ingressAddress, step8 } from './step8-ingress.js';
export { step9 } from './step9-gateway.js';
export { packageVirtualService, step10 } from './step10-virtualservice.js';
export { ownerOf, step11 } from './step11-sidecars.js';
