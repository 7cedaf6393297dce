// The catalogue of finding codes: stable, never reused (a retired code stays listed in docs/rules.md).
// Rule metadata and trace verdicts are typed with it, so a code that names no rule does not compile.
export const RULE_CODES = [
  'MESH001',
  'MESH002',
  'MESH003',
  'MESH004',
  'MESH005',
  'MESH006',
  'MESH007',
  'MESH008',
  'MESH009',
  'MESH010',
  'MESH011',
  'MESH012',
  'MESH013',
  'MESH014',
  'MESH015',
  'MESH016',
  'MESH017',
  'MESH018',
  'MESH019',
  'MESH020',
  'MESH021',
  'MESH022',
  'MESH023',
  'BB001',
  'BB002',
  'BB003',
  'BB004',
  'BB005',
  'BB006',
  'BB007',
  'BB008',
  'BB009',
  'BB010',
  'BB011',
  'K8S001',
] as const;

export type RuleCode = (typeof RULE_CODES)[number];

export function isRuleCode(s: string): s is RuleCode {
  return (RULE_CODES as readonly string[]).includes(s);
}
