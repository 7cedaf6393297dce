// deploy/chart rendered with the real Helm, and the RBAC rules in it as (group, resource, verb) sets.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { findHelm } from '../../../src/sources/render/helm.js';
import type { K8sObject } from '../../../src/manifest/index.js';

export const chartDir = fileURLToPath(new URL('../../../deploy/chart', import.meta.url));

/** `helm template bbmesh deploy/chart -n bbmesh --set ...` as text. */
export function chartText(set: string[] = []): string {
  return execFileSync(findHelm(), ['template', 'bbmesh', chartDir, '-n', 'bbmesh', ...set.flatMap((s) => ['--set', s])], {
    encoding: 'utf8',
  });
}

export function chartObjects(set: string[] = []): K8sObject[] {
  return parseAllDocuments(chartText(set))
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => !!o);
}

/** `group/resource:verb` for every rule of the objects of a kind (ClusterRole or Role), with the namespace for Roles. */
export function rbacRules(objects: K8sObject[], kind: 'ClusterRole' | 'Role'): Set<string> {
  const out = new Set<string>();
  for (const o of objects.filter((x) => x.kind === kind)) {
    const rules = (o as { rules?: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> }).rules ?? [];
    for (const r of rules) for (const g of r.apiGroups) for (const res of r.resources) for (const v of r.verbs) out.add(`${g}/${res}:${v}`);
  }
  return out;
}
