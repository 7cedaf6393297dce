import type { Rule } from '../types.js';
import { bb001 } from './bb001-namespace-injection.js';
import { bb002 } from './bb002-istio-matrix.js';
import { bb003 } from './bb003-virtualservice-helpers.js';
import { bb004 } from './bb004-package-defaults.js';
import { bb005 } from './bb005-passdown-keys.js';
import { bb006 } from './bb006-depends-on-istio.js';
import { bb007 } from './bb007-hardcoded-domain.js';
import { bb008 } from './bb008-default-gateway.js';
import { bb009 } from './bb009-flux-merge-overwrite.js';
import { bb010 } from './bb010-shared-host.js';
import { bb011 } from './bb011-depends-on-missing.js';

/** Big Bang convention rules (BBnnn), in code order. */
export const BB_RULES: Rule[] = [bb001, bb002, bb003, bb004, bb005, bb006, bb007, bb008, bb009, bb010, bb011];
