// What the chart's named templates (`define`s in templates/*.tpl) offer the VirtualService.
import type { Workspace } from './writer.js';
import { listFiles } from './services.js';

export interface ChartHelpers {
  /** define name -> body */
  defines: Map<string, string>;
  fullname?: string;
  labels?: string;
  /** Whether the labels helper (with what it includes) already sets app.kubernetes.io/instance. */
  labelsHaveInstance: boolean;
}

export function parseDefines(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /\{\{-?\s*define\s+"([^"]+)"\s*-?\}\}/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    // Body: up to the matching {{ end }}, counting nested control structures.
    const tok = /\{\{-?\s*(if|range|with|define|block|end)\b[^}]*\}\}/g;
    tok.lastIndex = m.index + m[0].length;
    let depth = 1;
    let t: RegExpExecArray | null;
    let end = text.length;
    while ((t = tok.exec(text)) !== null) {
      if (t[1] === 'end') depth--;
      else depth++;
      if (depth === 0) {
        end = t.index;
        break;
      }
    }
    out.set(m[1], text.slice(m.index + m[0].length, end));
    re.lastIndex = end;
  }
  return out;
}

function pick(defines: Map<string, string>, chartName: string, suffix: string): string | undefined {
  if (defines.has(`${chartName}.${suffix}`)) return `${chartName}.${suffix}`;
  const all = [...defines.keys()].filter((k) => k.endsWith(`.${suffix}`));
  return all.find((k) => !k.includes('/')) ?? all[0];
}

function expands(defines: Map<string, string>, name: string, needle: string, seen = new Set<string>()): boolean {
  if (seen.has(name)) return false;
  seen.add(name);
  const body = defines.get(name);
  if (body === undefined) return false;
  if (body.includes(needle)) return true;
  for (const m of body.matchAll(/(?:include|template)\s+"([^"]+)"/g)) if (expands(defines, m[1], needle, seen)) return true;
  return false;
}

export function analyzeHelpers(ws: Workspace, chartName: string): ChartHelpers {
  const defines = new Map<string, string>();
  for (const f of listFiles(ws, 'chart/templates').filter((f) => f.endsWith('.tpl'))) {
    for (const [k, v] of parseDefines(ws.read(f) ?? '')) defines.set(k, v);
  }
  const fullname = pick(defines, chartName, 'fullname');
  const labels = pick(defines, chartName, 'labels');
  return { defines, fullname, labels, labelsHaveInstance: labels ? expands(defines, labels, 'app.kubernetes.io/instance') : false };
}
