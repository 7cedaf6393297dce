// Mermaid flowcharts of traces, in the style of the guide's diagram: one node per hop with the
// real object names, ports on the edges, the broken hop in red, assumed platform objects dashed.
import type { Hop, TraceResult } from '../analysis/trace/types.js';
import { escapeLine } from './escape.js';
import { statusText } from './trace-text.js';

const KIND_LABEL: Record<string, string> = {
  client: 'Client',
  'ingress-service': 'Ingress Service',
  'gateway-workload': 'Ingress gateway',
  'gateway-server': 'Gateway server',
  redirect: 'Redirect',
  'virtual-service': 'VirtualService',
  route: 'Route',
  authorization: 'Authorization',
  fault: 'Fault injection',
  destination: 'Destination',
  'service-port': 'Service',
  'target-port': 'targetPort',
  workload: 'Pod',
  'network-policy': 'NetworkPolicy',
  sidecar: 'Sidecar',
  container: 'Container',
};

const ENTITY: Record<string, string> = {
  '#': '#35;',
  '"': '#quot;',
  '<': '#lt;',
  '>': '#gt;',
  '|': '#124;',
  '&': '#38;',
  '`': '#96;',
  '%': '#37;',
};

/**
 * Text safe inside a quoted Mermaid label: one line (controls and newlines shown as `\n`, `\e`, never
 * ending the statement), and Mermaid's entity codes for what would end the label (`"`), start an entity
 * (`#`), be read as HTML (`<`, `>`, `&`), end an edge label (`|`), turn on Markdown (a backtick) or
 * make a directive (`%%{init: ...}%%` is honoured anywhere in the text, even inside a label).
 */
export function mermaidText(s: string): string {
  return escapeLine(s)
    .replace(/->/g, '→')
    .replace(/[#"<>|&`%]/g, (ch) => ENTITY[ch]);
}

/** Plain text (a comment, the title) that cannot hold `%%`, where a directive starts: `%%` becomes `%25%`. */
function noDirective(s: string): string {
  return s.replace(/%(?=%)/g, '%25');
}

/** Lines as Mermaid comments (`%% ...`) after the diagram's first statement; never a directive. */
export function withMermaidComments(mermaid: string, lines: string[]): string {
  if (!lines.length) return mermaid;
  const at = /^(?:flowchart|graph) .*$/m.exec(mermaid);
  const comments = lines.map((l) => `%% ${noDirective(escapeLine(l))}`).join('\n');
  if (!at) return `${comments}\n${mermaid}`;
  const end = at.index + at[0].length;
  return `${mermaid.slice(0, end)}\n${comments}${mermaid.slice(end)}`;
}

export function hopLabel(h: Hop): string {
  const kind = KIND_LABEL[h.kind] ?? h.kind;
  const lines = [`<b>${mermaidText(kind)}</b>`, mermaidText(h.title)];
  return lines.join('<br/>');
}

/** Ports on the edge into a hop; the Gateway server names its port itself. */
export function edgeLabel(h: Hop): string | undefined {
  if (h.kind === 'gateway-server') return undefined;
  return h.ports;
}

const CLASSES = [
  '  classDef ok fill:#eef8ee,stroke:#3a7d3a,color:#1b3d1b;',
  '  classDef broken fill:#fde8e8,stroke:#c62828,stroke-width:3px,color:#8e0000;',
  '  classDef assumed stroke-dasharray:5 4;',
  '  classDef verdictOk fill:#3a7d3a,stroke:#3a7d3a,color:#ffffff;',
  '  classDef verdictBad fill:#c62828,stroke:#c62828,color:#ffffff;',
];

/** A graph made of hop paths; nodes with the same kind and title are shared. */
export class MermaidGraph {
  private ids = new Map<string, string>();
  private lines: string[] = [];
  private edges = new Set<string>();
  private classes = new Map<string, Set<string>>();
  private n = 0;

  node(h: Hop): string {
    const key = `${h.kind}|${h.title}|${h.object ? `${h.object.kind}/${h.object.namespace}/${h.object.name}` : ''}`;
    let id = this.ids.get(key);
    if (!id) {
      id = `n${this.n++}`;
      this.ids.set(key, id);
      const label = hopLabel(h);
      const shape = h.kind === 'client' ? `(["${label}"])` : h.kind === 'redirect' ? `{{"${label}"}}` : `["${label}"]`;
      this.lines.push(`  ${id}${shape}`);
    }
    this.cls(id, h.ok ? 'ok' : 'broken');
    if (h.assumed) this.cls(id, 'assumed');
    return id;
  }

  raw(id: string, shape: string, cls: string): string {
    if (!this.ids.has(`raw|${id}`)) {
      this.ids.set(`raw|${id}`, id);
      this.lines.push(`  ${id}${shape}`);
    }
    this.cls(id, cls);
    return id;
  }

  private cls(id: string, c: string): void {
    if (c === 'ok' && this.classes.get('broken')?.has(id)) return;
    if (c === 'broken') this.classes.get('ok')?.delete(id);
    let s = this.classes.get(c);
    if (!s) this.classes.set(c, (s = new Set()));
    s.add(id);
  }

  edge(from: string, to: string, label?: string, broken = false): void {
    const key = `${from}>${to}>${label ?? ''}`;
    if (this.edges.has(key)) return;
    this.edges.add(key);
    const arrow = broken ? '-.->' : '-->';
    this.lines.push(`  ${from} ${arrow}${label ? `|"${mermaidText(label)}"|` : ''} ${to}`);
  }

  /** Adds a path of hops; returns the node id of the last one. */
  path(hops: Hop[]): string | undefined {
    let prev: string | undefined;
    for (const h of hops) {
      const id = this.node(h);
      if (prev) this.edge(prev, id, edgeLabel(h), !h.ok);
      prev = id;
    }
    return prev;
  }

  render(direction = 'LR', title?: string): string {
    const out: string[] = [];
    // One line, and no `%%{` a directive could start from (Mermaid honours them anywhere in the text).
    if (title) out.push('---', `title: ${JSON.stringify(noDirective(escapeLine(title)))}`, '---');
    out.push(`flowchart ${direction}`, ...this.lines, ...CLASSES);
    for (const [c, ids] of this.classes) if (ids.size) out.push(`  class ${[...ids].join(',')} ${c};`);
    return out.join('\n') + '\n';
  }
}

export function traceToMermaid(r: TraceResult): string {
  const g = new MermaidGraph();
  g.path(r.hops);
  const v = r.verdict;
  const at = v.hop !== undefined && r.hops[v.hop] ? g.node(r.hops[v.hop]) : undefined;
  const text = mermaidText(`${v.ok ? '✓' : '✗'} ${statusText(v.status, v.flag)}${v.code ? ` · ${v.code}` : ''}`);
  const vid = g.raw('verdict', v.ok ? `(["${text}"])` : `{{"${text}"}}`, v.ok ? 'verdictOk' : 'verdictBad');
  if (at) g.edge(at, vid, undefined, !v.ok);
  return g.render('LR', `${r.method} ${r.url}`);
}
