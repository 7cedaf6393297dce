// The one list of rules. Codes are stable and never reused; a retired rule stays listed
// in docs/rules.md as retired.
import type { Rule } from './types.js';
import { MESH_RULES } from './mesh/index.js';
import { BB_RULES } from './bb/index.js';
import { K8S_RULES } from './k8s/index.js';

export const RULES: Rule[] = [...MESH_RULES, ...BB_RULES, ...K8S_RULES];

export function ruleByCode(code: string): Rule | undefined {
  return RULES.find((r) => r.meta.code === code);
}
