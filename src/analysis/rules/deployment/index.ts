// Rules that span packages: they judge a whole deployment (or one package against the other packages
// of the umbrella), so they read what several HelmReleases render.
import type { Rule } from '../types.js';
import { bb010 } from './bb010-shared-host.js';
import { bb011 } from './bb011-depends-on-missing.js';
import { mesh021 } from './mesh021-certificate-host.js';

export const DEPLOYMENT_RULES: Rule[] = [bb010, bb011, mesh021];
