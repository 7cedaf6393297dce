// What the chart's named templates (`define`s in templates/*.tpl) offer the VirtualService.
import type { Workspace } from './workspace.js';
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

/** The arguments of a template call starting at `i`, up to the pipe or the action's end at the top level. */
function callArgs(text: string, i: number): string {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '"') {
      for (j++; j < text.length && text[j] !== '"'; j++) if (text[j] === '\\') j++;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && (c === '|' || text.startsWith('}}', j) || text.startsWith('-}}', j))) return text.slice(i, j).trim();
  }
  return text.slice(i).trim();
}

/** Whether offset `at` of a template sits inside `range` or `with`, where `.` is not the chart's root. */
export function insideScope(text: string, at: number): boolean {
  const stack: string[] = [];
  for (const m of text.slice(0, at).matchAll(/\{\{-?\s*(if|range|with|define|block|end)\b/g)) {
    if (m[1] === 'end') stack.pop();
    else stack.push(m[1]);
  }
  return stack.some((s) => s === 'range' || s === 'with');
}

/** Arguments that mean the same at the top level of another template: no variables but `$`. */
function portable(args: string): boolean {
  return !/\$[A-Za-z_]/.test(args);
}

/** Arguments that read only `$` (the chart's root), never `.`: the same inside a `range` or `with`. */
function rootOnly(args: string): boolean {
  return !/(^|[^$\w)\]])\./.test(args.replace(/"(?:[^"\\]|\\.)*"/g, '""'));
}

/** `include "<name>" <args>` calls of a template, in order, with their offsets. */
function includes(text: string): { name: string; args: string; at: number }[] {
  const out: { name: string; args: string; at: number }[] = [];
  for (const m of text.matchAll(/\{\{-?\s*include\s+"([^"]+)"\s+/g))
    out.push({ name: m[1], args: callArgs(text, m.index + m[0].length), at: m.index });
  return out;
}

/**
 * The labels helper called the way the chart calls it: from the Service's own template first (argo-cd's
 * `(dict "context" . "component" ...)`), else the chart's most frequent call, else the shape the helper's
 * body reads (`.context` or `.`); undefined when the chart has no labels helper.
 */
export function labelsCall(ws: Workspace, h: ChartHelpers, serviceDoc?: string): string | undefined {
  const isLabels = (n: string) => h.defines.has(n) && (n === h.labels || /\.labels$/.test(n));
  const usable = (text: string) =>
    includes(text).filter((c) => isLabels(c.name) && portable(c.args) && (rootOnly(c.args) || !insideScope(text, c.at)));
  const own = serviceDoc ? usable(serviceDoc)[0] : undefined;
  if (own) return `include "${own.name}" ${own.args}`;
  if (!h.labels) return undefined;
  const counts = new Map<string, number>();
  for (const f of listFiles(ws, 'chart/templates').filter((x) => /\.ya?ml$/.test(x))) {
    for (const c of usable(ws.read(f) ?? '')) if (c.name === h.labels) counts.set(c.args, (counts.get(c.args) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  if (best) return `include "${h.labels}" ${best[0]}`;
  const body = h.defines.get(h.labels) ?? '';
  return `include "${h.labels}" ${/\.context\b/.test(body) ? '(dict "context" .)' : '.'}`;
}

/**
 * A Service's `metadata.name` expression made usable at the top level of the VirtualService template:
 * variables set at the top of its template (`$fullName := include ...`) are replaced by what they hold.
 */
export function portableName(nameExpr: string, doc: string): string | undefined {
  let expr = nameExpr;
  for (const m of nameExpr.matchAll(/\$([A-Za-z_]\w*)/g)) {
    const def = new RegExp(`\\{\\{-?\\s*\\$${m[1]}\\s*:=\\s*(.+?)\\s*-?\\}\\}`).exec(doc);
    if (!def || insideScope(doc, def.index) || !portable(def[1])) return undefined;
    expr = expr.replace(new RegExp(`\\$${m[1]}\\b`, 'g'), `(${def[1]})`);
  }
  const at = doc.indexOf(nameExpr);
  if (at >= 0 && insideScope(doc, at)) return undefined;
  return expr;
}
