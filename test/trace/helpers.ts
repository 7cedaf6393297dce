// Trace test helpers: the integrated podinfo fixture, mutated by text, plus the assumed platform.
import { readFileSync } from 'node:fs';
import { loadManifests } from '../../src/manifest/load.js';
import { buildModel } from '../../src/model/build.js';
import { withPlatform } from '../../src/sources/platform.js';
import { traceRequest } from '../../src/analysis/trace/index.js';
import type { TraceRequest, TraceResult } from '../../src/analysis/trace/types.js';

export const FIXTURE = 'test/fixtures/trace/podinfo-integrated.yaml';
export const PODINFO = readFileSync(new URL('../fixtures/trace/podinfo-integrated.yaml', import.meta.url), 'utf8');

/** Replaces `from` (must occur exactly once) by `to`. */
export function mutate(text: string, from: string, to: string): string {
  const i = text.indexOf(from);
  if (i < 0 || text.indexOf(from, i + 1) >= 0) throw new Error(`mutation anchor must occur once: ${from}`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

export function modelOf(yaml: string, platform = true) {
  let ms = loadManifests(yaml, { file: FIXTURE, stage: 'input', defaultNamespace: 'default' });
  if (platform) ms = withPlatform(ms, { layout: 'bb2', domain: 'bigbang.dev' });
  return buildModel(ms);
}

export function trace(yaml: string, req: TraceRequest | string): TraceResult {
  return traceRequest(modelOf(yaml), typeof req === 'string' ? { url: req } : req);
}

/** The hop that decided the verdict. */
export function failedHop(r: TraceResult) {
  return r.verdict.hop === undefined ? undefined : r.hops[r.verdict.hop];
}

export const VS_ROUTE = `  http:
    - route:
        - destination:
            host: podinfo-podinfo.podinfo.svc.cluster.local
            port:
              number: 9898
`;
