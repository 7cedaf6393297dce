// Reading a values file (YAML 1.1, as Helm reads it) into a values tree, with errors that name the place.
import { existsSync, readFileSync } from 'node:fs';
import { UserError } from '../../core/errors.js';
import { asObject } from '../../manifest/json.js';
import { loadYaml11 } from '../../manifest/yaml11.js';
import { isPlainObject, mergeValues, parseSet, type Values } from './values.js';

export function loadValuesFile(file: string): Values {
  if (!existsSync(file)) throw new UserError(`values file not found: ${file}`);
  let v: unknown;
  try {
    v = loadYaml11(readFileSync(file, 'utf8'), file);
  } catch (err) {
    const e = asObject(err);
    const mark = asObject(e.mark);
    throw new UserError(`malformed YAML: ${String(e.reason ?? e.message ?? err).split('\n')[0]}`, {
      file,
      line: typeof mark.line === 'number' ? mark.line + 1 : undefined,
      column: typeof mark.column === 'number' ? mark.column + 1 : undefined,
      hint: 'fix the YAML syntax',
    });
  }
  if (v == null) return {};
  if (!isPlainObject(v)) throw new UserError('a values file must be a YAML mapping', { file, line: 1, column: 1 });
  return v;
}

/** Files merged in order, then `--set` expressions, as Helm merges them. */
export function mergedValues(files: string[], set: string[] = []): Values {
  let out: Values = {};
  for (const f of files) out = mergeValues(out, loadValuesFile(f));
  for (const s of set) out = mergeValues(out, parseSet(s));
  return out;
}
