// The domain probe (BB007): the package chart rendered again with the domain of its passdown values
// swapped for another, reusing stage 1 of the Istio-enabled render. A VirtualService host that keeps
// its value is hard-coded. Only stage 2 runs again (one Helm call per release, alongside the other
// branches' stage 2): stage 1 is the umbrella's (or the dev chart's stand-in for it), and what it
// hard-codes is not the package chart's doing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from '../../manifest/types.js';
import type { RenderResult, Stage1Outcome } from './types.js';
import { isPlainObject, type Values } from './values.js';

/** The domain the probe renders with. */
export const PROBE_DOMAIN = 'bbmesh-probe.example';

/** The domains the umbrella values pass down: `domain` and the deprecated `hostname`, longest first. */
export function passedDomains(values: Values): string[] {
  const out = new Set<string>();
  for (const k of ['domain', 'hostname']) {
    const v = values[k];
    if (typeof v === 'string' && v.includes('.')) out.add(v.trim().toLowerCase());
  }
  return [...out].filter(Boolean).sort((a, b) => b.length - a.length);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `values` with every occurrence of the domains in its strings replaced by `to`: what stage 1 would have
 * passed down had it been rendered with `domain=to` (hosts, URLs and SANs built from the domain).
 */
export function swapDomains(values: unknown, domains: string[], to: string): unknown {
  if (!domains.length) return values;
  // A whole label boundary on each side: `bigbang.dev` in `a.bigbang.dev`, never in `notbigbang.dev`.
  const re = new RegExp(`(?<![A-Za-z0-9-])(?:${domains.map(escape).join('|')})(?![A-Za-z0-9-])`, 'gi');
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(re, to);
    if (Array.isArray(v)) return v.map(walk);
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(values);
}

/**
 * The probe render of `enabled` (a finished render, or its stage 1 as soon as it is read): its releases'
 * charts again, with the domain swapped; the package objects only.
 */
export async function renderProbe(enabled: RenderResult | Stage1Outcome): Promise<RenderResult> {
  const again = enabled.stage2;
  if (!again) throw new Error('renderProbe: the render kept no stage-2 inputs');
  const domains = passedDomains(enabled.bigbangValues);
  const releases = enabled.releases.map((rel) => ({ ...rel, values: swapDomains(rel.values, domains, PROBE_DOMAIN) as Values }));
  const { renderRelease } = await import('./stage2.js');
  const { asUserError } = await import('./index.js');
  const { RenderStream, parseStream } = await import('./stream.js');
  const tmp = mkdtempSync(join(tmpdir(), 'bbmesh-'));
  let docs: string[][];
  try {
    docs = await Promise.all(
      releases.map((rel, i) => renderRelease(again.helm, rel, again.capabilities, tmp, again.postRenderers[i]).catch(asUserError(rel))),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const stream = new RenderStream();
  releases.forEach((rel, i) => stream.addDocuments(docs[i], 'package', rel.releaseName, rel.namespace));
  const text = stream.text();
  let manifests: Manifest[] | undefined;
  return {
    packageDir: enabled.packageDir,
    packageName: enabled.packageName,
    text,
    releases,
    bigbangValues: enabled.bigbangValues,
    get manifests() {
      return (manifests ??= parseStream(text, (_stage, rel) => releases.find((r) => r.releaseName === rel)?.chartDir));
    },
  };
}
