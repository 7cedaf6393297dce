// K8S001: an object the API server (or Istio's validating webhook, or Helm's client-side
// validation) rejects on apply: wrong type, missing required field, value outside its enum,
// unknown field, malformed name. One object rejected fails the whole HelmRelease install.
import { validateManifest, type ViolationKind } from '../../../model/validate/index.js';
import { fieldPath } from '../../../model/validate/messages.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';

const HINTS: Record<ViolationKind, string> = {
  type:
    'Give the field a value of the type the API declares (`kubectl explain <kind>.<field>`): quote a number meant as a string, ' +
    'unquote one meant as a number, and check the indentation of lists and maps in the template.',
  required: 'Add the required field (for a name, set `metadata.name` in the template).',
  'unknown-field': 'Remove the field or fix its spelling and indentation; the API server does not know it at this place.',
  enum: 'Use one of the values the API lists (they are case-sensitive).',
  format: 'Give the value in the form the API requires (see the message).',
};

export const k8s001: Rule = {
  meta: {
    code: 'K8S001',
    severity: 'error',
    title: 'Object does not match its API schema',
    explanation:
      "The API server checks every object against its kind's schema when it is applied, and Helm's validation reports unknown " +
      'fields. A field of the wrong type, a missing required field, a value outside its enum, an unknown field or a malformed ' +
      'name makes the apply fail, and with it the whole HelmRelease: nothing of the package is installed or upgraded.',
    symptom:
      'HelmRelease install fails: `<Kind> "<name>" is invalid: <field>: Invalid value ...` or ' +
      '`error validating data: ValidationError(<Kind>.<field>): unknown field "<key>"`',
    hint: 'Fix the field at the reported line to what the API declares (`kubectl explain <kind>.<field>` shows it).',
    reads: ['every kind with a kept schema (Kubernetes built-ins, Istio, Flux); other kinds: apiVersion, kind and name only'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const out: FindingDraft[] = [];
    for (const m of ctx.model.manifests) {
      if (m.origin.stage === 'platform' || m.origin.stage === 'operator') continue; // assumed or made at run time, not the user's objects
      for (const v of validateManifest(m)) {
        const where = fieldPath(v.path);
        out.push({
          object: m,
          path: v.path,
          message: where ? `${where}: ${v.message}` : v.message,
          symptom: v.symptom,
          hint: HINTS[v.kind],
        });
      }
    }
    return out;
  },
};
