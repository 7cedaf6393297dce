// trace and diagram as library calls on a package directory or YAML files (what the CLI runs).
import type { LayoutName } from '../../core/layout.js';
import type { RenderOptions } from '../../sources/render/index.js';
import { parseTraceUrl, traceRequest } from './index.js';
import type { TraceResult } from './types.js';

export interface TraceInputOptions {
  method?: string;
  headers?: Record<string, string>;
  layout?: LayoutName;
  platform?: boolean;
  render?: RenderOptions;
  maxRedirects?: number;
}

export async function tracePackage(url: string, dir: string, opts: TraceInputOptions = {}): Promise<TraceResult> {
  parseTraceUrl(url);
  const { loadMesh } = await import('../../sources/index.js');
  const { resolveLayout } = await import('../../sources/layout-detect.js');
  const choice = await resolveLayout(dir, opts.layout, opts.render);
  const input = await loadMesh({ dir }, { layout: choice.layout, platform: opts.platform, render: opts.render });
  const r = traceRequest(input.model, { url, method: opts.method, headers: opts.headers }, { maxRedirects: opts.maxRedirects });
  r.layout = { name: choice.layout, reason: choice.reason };
  return r;
}

export async function traceManifests(url: string, files: string[], opts: TraceInputOptions = {}): Promise<TraceResult> {
  parseTraceUrl(url);
  const { loadMesh } = await import('../../sources/index.js');
  const input = await loadMesh({ files }, { layout: opts.layout, platform: opts.platform, render: opts.render });
  return traceRequest(input.model, { url, method: opts.method, headers: opts.headers }, { maxRedirects: opts.maxRedirects });
}
