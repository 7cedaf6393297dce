// Reading a values file (YAML 1.1, as Helm reads it) into a values tree, with errors that name the place.
import { UserError } from '../../core/errors.js';
import { asObject } from '../../manifest/json.js';
import { loadYaml11, YamlBoundError } from '../../manifest/yaml11.js';
import { readText } from '../files.js';
import type { RenderOptions } from './types.js';
import { isPlainObject, mergeValues, parseKeyPath, parseSet, setPath, type Values } from './values.js';

export function loadValuesFile(file: string): Values {
  const text = readText(file, 'values file'); // within the input size limit
  let v: unknown;
  try {
    v = loadYaml11(text, file, { lastKeyWins: true }); // as Helm: a repeated key keeps its last value
  } catch (err) {
    const e = asObject(err);
    const mark = asObject(e.mark);
    const bound = err instanceof YamlBoundError; // an alias bomb or 50,000 brackets: not a typo
    throw new UserError(`${bound ? '' : 'malformed YAML: '}${String(e.reason ?? e.message ?? err).split('\n')[0]}`, {
      file,
      line: typeof mark.line === 'number' ? mark.line + 1 : undefined,
      column: typeof mark.column === 'number' ? mark.column + 1 : undefined,
      hint: bound ? 'values need neither; is this file generated or hostile?' : 'fix the YAML syntax',
    });
  }
  if (v == null) return {};
  if (!isPlainObject(v)) throw new UserError('a values file must be a YAML mapping', { file, line: 1, column: 1 });
  return v;
}

/**
 * Files merged in order, then the value flags in Helm's order (--set-json, --set, --set-string,
 * --set-file): the model's view of stage 1's values (the platform reads `domain` and the like). Helm
 * itself got the flags as given and reports their errors; what this cannot read is left out.
 */
export function mergedValues(files: string[], flags: Pick<RenderOptions, 'set' | 'setString' | 'setFile' | 'setJson'> = {}): Values {
  let out: Values = {};
  for (const f of files) out = mergeValues(out, loadValuesFile(f));
  const each = (list: string[] | undefined, value: (raw: string) => unknown) => {
    for (const expr of list ?? []) {
      const eq = expr.indexOf('=');
      if (eq <= 0) continue;
      try {
        const v: Values = {};
        setPath(v, parseKeyPath(expr.slice(0, eq)), value(expr.slice(eq + 1)));
        out = mergeValues(out, v);
      } catch {
        // Helm reports it
      }
    }
  };
  each(flags.setJson, (raw) => JSON.parse(raw) as unknown);
  for (const s of flags.set ?? []) out = mergeValues(out, parseSet(s));
  for (const s of flags.setString ?? []) {
    try {
      out = mergeValues(out, stringLeaves(parseSet(s)) as Values);
    } catch {
      // Helm reports it
    }
  }
  each(flags.setFile, (raw) => readText(raw, '--set-file file'));
  return out;
}

function stringLeaves(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stringLeaves);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stringLeaves(x)]));
  return v === null ? 'null' : String(v);
}
