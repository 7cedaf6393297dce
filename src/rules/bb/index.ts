import type { Rule } from '../types.js';

/** Big Bang convention rules (BBnnn), in code order. */
export const BB_RULES: Rule[] = [];
