// A synchronous loader for the model packages' generated validator modules (`_schemas/*.js`).
// They are ES modules whose packages export them for `import` only, so `require` cannot load
// them under tsx or before Node 20.19, and `import()` is asynchronous while a rule's `check`
// is not. The generated modules are very regular: `export const validate=validateN`, plus
// imports of other validators, of `formats` and of `ucs2length`. This links exactly those forms
// and refuses anything else, so a package upgrade that changes the format fails loudly (tests
// load every kind).
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** A compiled Ajv validator: returns validity, leaves the errors on `.errors`. */
export interface CompiledValidate {
  (data: unknown, ctx?: Record<string, unknown>): boolean;
  errors?: unknown[] | null;
}

const requireCjs = createRequire(import.meta.url);

/** ajv-formats (CommonJS) for the standard formats; byte and quantity as @kubernetes-models/validate defines them. */
export function modelFormats(): Record<string, unknown> {
  const { fullFormats } = requireCjs('ajv-formats/dist/formats.js') as { fullFormats: Record<string, unknown> };
  const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
  return {
    ...fullFormats,
    byte: { type: 'string', validate: (v: string) => base64.test(v) },
    // A Kubernetes quantity: a signed decimal with a binary-SI, decimal-SI or exponent suffix.
    quantity: { type: 'string', validate: /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/ },
    string: { type: 'string', validate: (v: unknown) => typeof v === 'string' },
  };
}

let formats: Record<string, unknown> | undefined;
let ucs2length: unknown;

const IMPORT_VALIDATE = /import\{validate as (validate\d+)\}from"([^"]+)";?/g;
const IMPORT_FORMATS = /import\{formats\}from"@kubernetes-models\/validate";?/g;
const IMPORT_UCS2 = /import (func\d+) from"@kubernetes-models\/validate\/runtime\/ucs2length";?/g;
const EXPORT_VALIDATE = /export const validate=(validate\d+);?/;
const LEFTOVER = /(?:^|[;}\n])\s*(?:import|export)[\s{*"]/;

interface ModuleRecord {
  validate?: CompiledValidate;
}

const modules = new Map<string, ModuleRecord>();

/** The directory of package `name` as seen from `fromDir` (node_modules lookup, no exports map needed). */
function packageDir(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`cannot find package ${name} from ${fromDir}`);
  }
}

function resolveImport(spec: string, fromFile: string): string {
  if (spec.startsWith('.')) return resolve(dirname(fromFile), spec);
  const m = /^((?:@[^/]+\/)?[^/]+)\/(_schemas\/[A-Za-z0-9_]+)(?:\.js)?$/.exec(spec);
  if (!m) throw new Error(`unexpected import "${spec}" in ${fromFile}`);
  return join(packageDir(m[1], dirname(fromFile)), `${m[2]}.js`);
}

/**
 * A stand-in for an imported validator that resolves it on first call (modules may import each other in
 * cycles), then rebinds the importing module's name to it, so later calls go straight to the validator.
 */
function lateBound(file: string, rebind: (v: CompiledValidate) => void): CompiledValidate {
  let target: CompiledValidate | undefined;
  const f: CompiledValidate = (data, ctx) => {
    if (!target) {
      target = loadValidatorModule(file);
      rebind(target);
    }
    const ok = target(data, ctx);
    f.errors = target.errors;
    return ok;
  };
  return f;
}

/** The `validate` of one generated module, linking its imports. */
export function loadValidatorModule(file: string): CompiledValidate {
  let rec = modules.get(file);
  if (!rec) {
    rec = {};
    modules.set(file, rec);
    formats ??= modelFormats();
    ucs2length ??= (requireCjs('ajv/dist/runtime/ucs2length.js') as { default: unknown }).default;
    let src = readFileSync(file, 'utf8');
    const imports: CompiledValidate[] = [];
    const binders: Array<(v: CompiledValidate) => void> = [];
    const header: string[] = [];
    src = src.replace(IMPORT_VALIDATE, (_, local: string, spec: string) => {
      const i = imports.length;
      header.push(`let ${local}=__imports[${i}];__binders[${i}]=(v)=>{${local}=v;};`);
      imports.push(lateBound(resolveImport(spec, file), (v) => binders[i](v)));
      return '';
    });
    src = src.replace(IMPORT_FORMATS, () => (header.push('const formats=__formats;'), ''));
    src = src.replace(IMPORT_UCS2, (_, local: string) => (header.push(`const ${local}=__ucs2length;`), ''));
    if (!EXPORT_VALIDATE.test(src)) throw new Error(`no validator exported by ${file}`);
    src = src.replace(EXPORT_VALIDATE, (_, local: string) => `__exports.validate=${local};`);
    if (LEFTOVER.test(src)) throw new Error(`unsupported module syntax in ${file}`);
    const body = `"use strict";${header.join('')}${src}`;
    new Function('__exports', '__imports', '__binders', '__formats', '__ucs2length', body)(rec, imports, binders, formats, ucs2length);
  }
  if (!rec.validate) throw new Error(`validator module ${file} is still loading (a cycle without a late binding)`);
  return rec.validate;
}
