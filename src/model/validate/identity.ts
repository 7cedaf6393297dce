// Checks every object gets, schema or not: apiVersion and kind are strings, metadata is an
// object with a name. Name and namespace formats are checked where the API is known to
// require them (kinds with a kept schema).
import type { Manifest, Path } from '../../manifest/types.js';
import { decodeSymptom, describeValue, invalidSymptom, nameSymptom, type SchemaViolation } from './messages.js';
import { splitApiVersion } from './registry.js';

const LABEL_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

interface NameRule {
  ok(name: string): boolean;
  /** What the name must be, for the message. */
  must: string;
  /** The API server's complaint, for the symptom. */
  apiText: string;
}

const RULES: Record<'label' | 'label1035' | 'subdomain' | 'segment', NameRule> = {
  label: {
    ok: (n) => n.length <= 63 && LABEL_1123.test(n),
    must: "a lowercase RFC 1123 label (a-z, 0-9 and '-', starting and ending with a letter or digit, at most 63 characters)",
    apiText: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', at most 63 characters",
  },
  label1035: {
    ok: (n) => n.length <= 63 && LABEL_1035.test(n),
    must: "an RFC 1035 label (a-z, 0-9 and '-', starting with a letter, ending with a letter or digit, at most 63 characters)",
    apiText: "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character",
  },
  subdomain: {
    ok: (n) => n.length <= 253 && SUBDOMAIN_1123.test(n),
    must: "a lowercase RFC 1123 subdomain (a-z, 0-9, '-' and '.', starting and ending with a letter or digit, at most 253 characters)",
    apiText: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'",
  },
  segment: {
    ok: (n) => n !== '.' && n !== '..' && !/[/%]/.test(n),
    must: "a path segment (not '.' or '..', without '/' or '%')",
    apiText: "may not be '.' or '..' and may not contain '/' or '%'",
  },
};

/** The name rule the API server applies to a kind (RBAC and flow-control names are path segments). */
function nameRule(m: Manifest): NameRule {
  const { group } = splitApiVersion(m.apiVersion);
  if (group === 'rbac.authorization.k8s.io' || group === 'flowcontrol.apiserver.k8s.io') return RULES.segment;
  if (group === '' && m.kind === 'Namespace') return RULES.label;
  if (group === '' && m.kind === 'Service') return RULES.label1035;
  return RULES.subdomain;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** apiVersion, kind, metadata and metadata.name as every object needs them. */
export function identityViolations(m: Manifest, redact: boolean): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  const obj = m.obj as Record<string, unknown>;
  for (const field of ['apiVersion', 'kind'] as const) {
    const v = obj[field];
    if (typeof v === 'string' && v) continue;
    out.push({
      path: [field],
      kind: v === undefined || v === '' ? 'required' : 'type',
      message: v === undefined || v === '' ? `missing required field "${field}"` : `must be string, got ${describeValue(v, redact)}`,
      symptom: decodeSymptom(m, field, v),
    });
  }
  const meta = obj.metadata;
  if (!isRecord(meta)) {
    out.push(
      meta === undefined || meta === null
        ? { path: ['metadata', 'name'], kind: 'required', message: 'missing required field "name"', symptom: nameSymptom(m) }
        : {
            path: ['metadata'],
            kind: 'type',
            message: `must be object, got ${describeValue(meta, redact)}`,
            symptom: invalidSymptom(m, ['metadata'], 'Invalid value: must be of type object'),
          },
    );
    return out;
  }
  const name = meta.name;
  if ((name === undefined || name === null || name === '') && !meta.generateName) {
    out.push({ path: ['metadata', 'name'], kind: 'required', message: 'missing required field "name"', symptom: nameSymptom(m) });
  } else if (name !== undefined && name !== null && typeof name !== 'string') {
    out.push({
      path: ['metadata', 'name'],
      kind: 'type',
      message: `must be string, got ${describeValue(name, redact)}`,
      symptom: invalidSymptom(m, ['metadata', 'name'], `Invalid value: must be of type string`),
    });
  }
  return out;
}

function formatViolation(m: Manifest, path: Path, value: string, rule: NameRule): SchemaViolation {
  return {
    path,
    kind: 'format',
    message: `must be ${rule.must}, got ${JSON.stringify(value)}`,
    symptom: invalidSymptom(m, path, `Invalid value: ${JSON.stringify(value)}: ${rule.apiText}`),
  };
}

/** metadata.name and metadata.namespace in the form the API server requires (only for known kinds). */
export function nameFormatViolations(m: Manifest): SchemaViolation[] {
  const meta = m.obj.metadata;
  if (!isRecord(meta)) return [];
  const out: SchemaViolation[] = [];
  const rule = nameRule(m);
  if (typeof meta.name === 'string' && meta.name && !rule.ok(meta.name))
    out.push(formatViolation(m, ['metadata', 'name'], meta.name, rule));
  const ns = meta.namespace;
  if (typeof ns === 'string' && ns && !RULES.label.ok(ns)) out.push(formatViolation(m, ['metadata', 'namespace'], ns, RULES.label));
  return out;
}
