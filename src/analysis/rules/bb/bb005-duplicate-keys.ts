// BB005's note on duplicated keys in the values Flux passes to the chart: Helm and Flux read values with
// sigs.k8s.io/yaml, where a mapping key written twice keeps its last value, so the first block is silently
// dropped. The render parses them the same way; this finds where it happened, from the rendered values Secret.
import { asArray, asObject, at, isObject } from '../../../manifest/json.js';
import type { Manifest } from '../../../manifest/types.js';
import { loadYaml11 } from '../../../manifest/yaml11.js';
import type { Pos } from './util.js';

export interface DuplicateKey {
  /** Key path of the duplicated key in the values (`['prometheusExporter']`). */
  path: string[];
  /** Secret or ConfigMap and valuesKey it was found in. */
  source: string;
}

function markLine(err: unknown): number | undefined {
  const line = at(err, 'mark', 'line');
  return typeof line === 'number' ? line : undefined;
}

/** The key on 0-based `line` of YAML `text`, with the keys of the mappings around it. */
function keyPathAt(text: string, line: number): string[] | undefined {
  const lines = text.split('\n');
  const keyOf = (l: string) => /^(\s*)(?:- )?["']?([^"'\s:#][^"':#]*?)["']?\s*:(?:\s|$)/.exec(l);
  const m = keyOf(lines[line] ?? '');
  if (!m) return undefined;
  const path = [m[2]];
  let indent = m[1].length;
  for (let i = line - 1; i >= 0 && indent > 0; i--) {
    const p = keyOf(lines[i]);
    if (p && p[1].length < indent) {
      path.unshift(p[2]);
      indent = p[1].length;
    }
  }
  return path;
}

/** Duplicated keys in the values documents `hr` reads through valuesFrom (first duplicate of each document). */
export function duplicateKeys(hr: Manifest, manifests: Manifest[]): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  for (const raw of asArray(at(hr.obj, 'spec', 'valuesFrom'))) {
    const vf = asObject(raw);
    const kind = typeof vf.kind === 'string' ? vf.kind : 'Secret';
    const key = typeof vf.valuesKey === 'string' ? vf.valuesKey : 'values.yaml';
    const src = manifests.find((m) => m.kind === kind && m.name === vf.name && m.namespace === hr.namespace);
    const data = src ? asObject(src.obj.stringData) : {};
    const text = data[key];
    if (typeof text !== 'string' || vf.targetPath) continue;
    try {
      loadYaml11(text);
    } catch (err) {
      const line = markLine(err);
      if (!String(isObject(err) ? err.message : err).includes('duplicated mapping key') || line === undefined) continue;
      const path = keyPathAt(text, line);
      if (path) out.push({ path, source: `${kind} ${hr.namespace}/${String(vf.name)} key ${key}` });
    }
  }
  return out;
}

/** 1-based lines in `text` (from `fromLine`) where `key` is written as a mapping key. */
export function keyLines(text: string, key: string, fromLine: number): Pos[] {
  const esc = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^(\\s*)["']?${esc}["']?\\s*:`);
  const out: Pos[] = [];
  text.split('\n').forEach((l, i) => {
    const m = re.exec(l);
    if (m && i + 1 >= fromLine) out.push({ line: i + 1, column: m[1].length + 1 });
  });
  return out;
}
