// JSON Schema validation for the tests: schemas/verify.schema.json (draft 2020-12) with Ajv, and any
// other schema (the PolicyReport CRD's openAPIV3Schema) the same way.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AnySchema } from 'ajv';

export const verifySchema = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../schemas/verify.schema.json', import.meta.url)), 'utf8'),
);

const ajv = new Ajv2020({ allErrors: true, strict: false });
const verifyValidator = ajv.compile(verifySchema);

function errorsOf(v: ReturnType<typeof ajv.compile>): string[] {
  return (v.errors ?? []).map((e) => `${e.instancePath || '$'}: ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}

/** [] when the value is a valid `verify -o json` document. */
export function validateVerifyJson(value: unknown): string[] {
  return verifyValidator(value) ? [] : errorsOf(verifyValidator);
}

/** [] when the value matches the schema. */
export function validateWith(schema: AnySchema, value: unknown): string[] {
  const v = ajv.compile(schema);
  return v(value) ? [] : errorsOf(v);
}
