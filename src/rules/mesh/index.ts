import type { Rule } from '../types.js';

/** Mesh wiring rules (MESHnnn), in code order. */
export const MESH_RULES: Rule[] = [];
