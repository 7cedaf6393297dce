// The one list of rules. Codes are stable and never reused; a retired rule stays listed
// in docs/rules.md as retired.
import type { Rule } from './types.js';

export const RULES: Rule[] = [];

export function ruleByCode(code: string): Rule | undefined {
  return RULES.find((r) => r.meta.code === code);
}
