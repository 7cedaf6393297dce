// `bbmesh diagram`: one Mermaid flowchart of every externally exposed host of the input: each
// VirtualService host bound to a Gateway is traced (`https://<host>/`), and every other http route
// of those VirtualServices is drawn to its Service, pod and container. Broken hops are red.
import type { LayoutName } from '../../core/layout.js';
import type { RenderOptions } from '../../sources/render/index.js';
import type { MeshModel, VirtualServiceInfo } from '../../model/types.js';
import { MermaidGraph, edgeLabel, mermaidText } from '../../report/trace-mermaid.js';
import { describeMatch } from '../../model/match.js';
import { traceDestination } from './destination.js';
import { HopList } from './hops.js';
import { traceRequest } from './index.js';
import { statusText } from '../../report/trace-text.js';
import type { TraceResult } from './types.js';

export interface DiagramOptions {
  /** Include VirtualServices of the assumed platform (default false). */
  includePlatform?: boolean;
}

export interface Diagram {
  mermaid: string;
  hosts: Array<{ host: string; virtualService: string; url: string; ok: boolean; status: string; reason: string; code?: string }>;
}

/** Concrete hosts to trace: wildcards get a `www` label so the trace has an SNI to use. */
function exposedHosts(vs: VirtualServiceInfo): string[] {
  return vs.hosts.filter((h) => h !== '*').map((h) => (h.startsWith('*.') ? `www${h.slice(1)}` : h).toLowerCase());
}

export function buildDiagram(model: MeshModel, opts: DiagramOptions = {}): Diagram {
  const g = new MermaidGraph();
  const hosts: Diagram['hosts'] = [];
  const vss = model.virtualServices
    .filter((vs) => !vs.isDelegate && !vs.gatewaysDefaulted && vs.gateways.some((x) => x.resolved !== 'mesh'))
    .filter((vs) => opts.includePlatform || vs.m.origin.stage !== 'platform')
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  const seen = new Set<string>();
  for (const vs of vss) {
    for (const host of exposedHosts(vs)) {
      if (seen.has(host)) continue;
      seen.add(host);
      const url = `https://${host}/`;
      const r: TraceResult = traceRequest(model, { url });
      const last = g.path(r.hops);
      const v = r.verdict;
      hosts.push({
        host,
        virtualService: `${vs.namespace}/${vs.name}`,
        url,
        ok: v.ok,
        status: statusText(v.status, v.flag),
        reason: v.reason,
        code: v.code,
      });
      if (!v.ok && last) {
        const id = `v${hosts.length}`;
        const text = mermaidText(`✗ ${statusText(v.status, v.flag)}${v.code ? ` · ${v.code}` : ''}`);
        g.raw(id, `{{"${text}"}}`, 'verdictBad');
        const at = v.hop !== undefined && r.hops[v.hop] ? g.node(r.hops[v.hop]) : last;
        g.edge(at, id, undefined, true);
      }
      // The other http routes of the VirtualService that served this host.
      const vsHop = r.hops.find(
        (h) => h.kind === 'virtual-service' && h.ok && h.object?.name === vs.name && h.object.namespace === vs.namespace,
      );
      const gwHop = [...r.hops].reverse().find((h) => h.kind === 'gateway-workload');
      if (!vsHop || !gwHop) continue;
      const gw = model.workloadsByNamespace.get(gwHop.object!.namespace)?.find((w) => w.name === gwHop.object!.name);
      const served = r.hops.find((h) => h.kind === 'route');
      const serverHop = [...r.hops].reverse().find((h) => h.kind === 'gateway-server');
      const listenerPort = Number(/ (\d+)(?: \(|$)/.exec(serverHop?.title ?? '')?.[1] ?? 443);
      const vsId = g.node(vsHop);
      for (const rule of vs.http) {
        const title = `${vs.name} http[${rule.index}]${rule.name ? ` ${rule.name}` : ''}`;
        if (served?.title === title || !gw) continue;
        const routeHop = { kind: 'route' as const, title, detail: describeMatch(rule.match?.[0]), ok: true };
        const rid = g.node(routeHop);
        g.edge(vsId, rid, rule.match?.length ? describeMatch(rule.match[0]) : undefined);
        for (const d of rule.route) {
          const t = new HopList(model.templateText);
          traceDestination(t, d, { model, gw, listenerPort, vs, request: { host, method: 'GET', path: '/', headers: {} } });
          let prev = rid;
          for (const h of t.hops) {
            const id = g.node(h);
            g.edge(prev, id, edgeLabel(h), !h.ok);
            prev = id;
          }
        }
      }
    }
  }
  if (!hosts.length) g.raw('none', '["no VirtualService host is bound to a Gateway"]', 'broken');
  const bad = hosts.filter((h) => !h.ok).length;
  return { mermaid: g.render('LR', `exposed hosts: ${hosts.length}${bad ? `, ${bad} broken` : ''}`), hosts };
}

export async function diagramPackage(
  dir: string,
  opts: DiagramOptions & { layout?: LayoutName; platform?: boolean; render?: RenderOptions } = {},
): Promise<Diagram> {
  const { loadMesh } = await import('../../sources/index.js');
  const input = await loadMesh({ dir }, { layout: opts.layout, platform: opts.platform, render: opts.render });
  return buildDiagram(input.model, opts);
}
