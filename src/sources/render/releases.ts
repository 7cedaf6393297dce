// What Flux's helm-controller passes a HelmRelease's chart: its release name and namespace, and the
// values merged from spec.valuesFrom (in order) then spec.values, read from the objects of stage 1.
import { join } from 'node:path';
import { lazyRequire } from '../../core/lazy-require.js';
import { UserError } from '../../core/errors.js';
import { asArray, asObject, asString, isObject } from '../../manifest/json.js';
import type { Manifest } from '../../manifest/types.js';
import { loadYaml11 } from '../../manifest/yaml11.js';
import type { ReleaseInfo } from './types.js';

const crypto = lazyRequire<typeof import('node:crypto')>('node:crypto');
import { mergeValues, parseKeyPath, setPath, typedScalar, type Values } from './values.js';

/** Flux's default release name: `<targetNamespace>-<name>`, shortened past 53 characters. */
export function fluxReleaseName(hr: { name: string; targetNamespace?: string; releaseName?: string }): string {
  if (hr.releaseName) return hr.releaseName;
  const full = hr.targetNamespace ? `${hr.targetNamespace}-${hr.name}` : hr.name;
  if (full.length <= 53) return full;
  return `${full.slice(0, 40)}-${crypto().createHash('sha256').update(full).digest('hex').slice(0, 12)}`;
}

/** The stage-1 chart, for messages: its directory and how to call it ("the bigbang/ chart"). */
export interface Stage1Chart {
  dir: string;
  label: string;
}

function reason(err: unknown): string {
  const e = asObject(err);
  return String(e.reason ?? e.message ?? err).split('\n')[0];
}

/** One valuesFrom entry's raw text, or undefined when the reference is optional and missing. */
function referencedText(hr: Manifest, vf: Record<string, unknown>, i: number, stage1: Manifest[], chart: Stage1Chart): string | undefined {
  const kind = asString(vf.kind) ?? 'Secret';
  const name = asString(vf.name) ?? '';
  const key = asString(vf.valuesKey) ?? 'values.yaml';
  const src = stage1.find((m) => m.kind === kind && m.name === name && m.namespace === hr.namespace);
  const where = `HelmRelease ${hr.namespace}/${hr.name} valuesFrom[${i}] (${kind} ${name}, key ${key})`;
  const template = hr.origin.template;
  if (!src) {
    if (vf.optional === true) return undefined;
    throw new UserError(`${kind} ${hr.namespace}/${name} referenced by ${where} is not rendered by ${chart.label}`, {
      file: template ? join(chart.dir, template.split('/').slice(1).join('/')) : undefined,
      hint:
        `render the ${kind} in ${template?.split('/').slice(0, -1).join('/') ?? 'the templates'} (values-secret helper) ` +
        'or mark the entry optional: true',
    });
  }
  const stringData = asObject(src.obj.stringData);
  const data = asObject(src.obj.data);
  let raw: string | undefined;
  if (key in stringData) raw = String(stringData[key] ?? '');
  else if (key in data) raw = kind === 'Secret' ? Buffer.from(String(data[key]), 'base64').toString('utf8') : String(data[key]);
  if (raw === undefined && vf.optional !== true) {
    throw new UserError(`key "${key}" is missing from ${kind} ${hr.namespace}/${name}, referenced by ${where}`, {
      hint: 'add the key or set valuesKey to an existing one',
    });
  }
  return raw;
}

/** The values Flux passes the chart of `hr`: valuesFrom in order, then spec.values. */
export function releaseValues(hr: Manifest, stage1: Manifest[], chart: Stage1Chart): Values {
  const spec = asObject(hr.obj.spec);
  let values: Values = {};
  asArray(spec.valuesFrom).forEach((entry, i) => {
    const vf = asObject(entry);
    const raw = referencedText(hr, vf, i, stage1, chart);
    if (raw === undefined) return;
    const kind = asString(vf.kind) ?? 'Secret';
    const ref = `${kind} ${hr.namespace}/${asString(vf.name) ?? ''} key ${asString(vf.valuesKey) ?? 'values.yaml'}`;
    const targetPath = asString(vf.targetPath);
    if (targetPath) {
      const v: Values = {};
      setPath(v, parseKeyPath(targetPath), typedScalar(raw.trim()));
      values = mergeValues(values, v);
      return;
    }
    let parsed: unknown;
    try {
      parsed = loadYaml11(raw, undefined, { lastKeyWins: true }); // as Flux: a repeated key keeps its last value (BB005 notes it)
    } catch (err) {
      throw new UserError(`malformed values in ${ref}: ${reason(err)}`, { hint: `check ${hr.origin.template ?? 'the values template'}` });
    }
    if (parsed == null) return;
    if (!isObject(parsed)) throw new UserError(`${ref} is not a YAML mapping`);
    values = mergeValues(values, parsed);
  });
  if (isObject(spec.values)) values = mergeValues(values, spec.values);
  return values;
}

/** The release Flux makes of `hr` with the chart at `chartDir`. */
export function releaseOf(hr: Manifest, chartDir: string, values: Values): ReleaseInfo {
  const spec = asObject(hr.obj.spec);
  const targetNamespace = asString(spec.targetNamespace);
  return {
    helmRelease: { namespace: hr.namespace, name: hr.name },
    releaseName: fluxReleaseName({ name: hr.name, targetNamespace, releaseName: asString(spec.releaseName) }),
    namespace: targetNamespace ?? hr.namespace,
    chartDir,
    values,
  };
}
