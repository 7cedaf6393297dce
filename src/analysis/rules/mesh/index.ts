import type { Rule } from '../types.js';
import { mesh001 } from './mesh001-gateway-ref.js';
import { mesh002 } from './mesh002-host-not-on-gateway.js';
import { mesh003 } from './mesh003-destination-host.js';
import { mesh004 } from './mesh004-destination-port.js';
import { mesh005 } from './mesh005-service-selects-nothing.js';
import { mesh006 } from './mesh006-target-port.js';
import { mesh007 } from './mesh007-gateway-selector.js';
import { mesh008 } from './mesh008-gateway-port.js';
import { mesh009 } from './mesh009-gateway-credential.js';
import { mesh010 } from './mesh010-export-to.js';
import { mesh011 } from './mesh011-merged-host.js';
import { mesh012 } from './mesh012-unreachable-route.js';
import { mesh013 } from './mesh013-injection.js';
import { mesh014 } from './mesh014-port-protocol.js';
import { mesh015 } from './mesh015-mtls-conflict.js';
import { mesh016 } from './mesh016-service-dot-namespace.js';
import { mesh017 } from './mesh017-gateway-binds-nothing.js';
import { mesh018 } from './mesh018-subset.js';
import { mesh019 } from './mesh019-authz-denies-gateway.js';
import { mesh020 } from './mesh020-redirect-loop.js';
import { mesh021 } from './mesh021-netpol-blocks-gateway.js';
import { mesh022 } from './mesh022-netpol-blocks-istiod.js';
import { mesh023 } from './mesh023-certificate-host.js';

/** Mesh wiring rules (MESHnnn), in code order. */
export const MESH_RULES: Rule[] = [
  mesh001,
  mesh002,
  mesh003,
  mesh004,
  mesh005,
  mesh006,
  mesh007,
  mesh008,
  mesh009,
  mesh010,
  mesh011,
  mesh012,
  mesh013,
  mesh014,
  mesh015,
  mesh016,
  mesh017,
  mesh018,
  mesh019,
  mesh020,
  mesh021,
  mesh022,
  mesh023,
];
