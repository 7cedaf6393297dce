// Helpers shared by the Big Bang convention rules: finding the package's own objects in a
// render, reading its source files, and locating keys in template text (line-based: a
// Helm template is not YAML until rendered).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Manifest } from '../../../manifest/types.js';
import type { MeshModel } from '../../../model/types.js';
import type { RenderResult } from '../../../sources/render/index.js';
import type { PackageContext, RuleContext } from '../types.js';

export interface Pos {
  line: number;
  column: number;
}

/** A package context with the optional third render (`domain` changed) that BB007 compares. */
export interface ProbedPackageContext extends PackageContext {
  /** Render with Istio enabled and `domain` set to PROBE_DOMAIN. */
  probe?: RenderResult;
}

export const PROBE_DOMAIN = 'bbmesh-probe.example';

export const ISTIO_GROUPS = new Set([
  'networking.istio.io',
  'security.istio.io',
  'telemetry.istio.io',
  'extensions.istio.io',
  'install.istio.io',
]);

export { ISTIO_RELEASES } from '../../../core/layout.js';

export function isIstioKind(m: Manifest): boolean {
  return ISTIO_GROUPS.has(m.apiVersion.split('/')[0]);
}

/** Objects of the input (not the assumed platform). */
export function own(model: MeshModel): Manifest[] {
  return model.manifests.filter((m) => m.origin.stage !== 'platform');
}

/** The package's HelmRelease: named after the package, else the first one of stage 1. */
export function packageHelmRelease(model: MeshModel, pkgName?: string): Manifest | undefined {
  const hrs = own(model).filter((m) => m.kind === 'HelmRelease');
  return hrs.find((m) => m.name === pkgName) ?? hrs[0];
}

/** Absolute path on disk of the template that produced a rendered manifest. */
export function templateFile(m: Manifest): string | undefined {
  if (!m.origin.template || !m.origin.chartDir) return undefined;
  return join(m.origin.chartDir, m.origin.template.split('/').slice(1).join('/'));
}

/** Path as shown to a user: relative to the working directory. */
export function display(file: string, cwd = process.cwd()): string {
  return relative(cwd, file) || file;
}

export function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** All files under a directory (recursively), sorted. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

const KEY_LINE = /^(\s*)(?:-\s+)?(["']?)([A-Za-z0-9_.\-/]+)\2\s*:(?:\s|$)/;

/**
 * Line of a nested key in YAML-ish text (a values file, or a Helm template): each key must
 * appear below the previous one with a deeper indentation. Returns the deepest key found
 * and how many of `keys` matched, so callers can fall back to the parent.
 */
export function findKeyLine(text: string, keys: string[], fromLine = 1): { pos?: Pos; depth: number } {
  const lines = text.split('\n');
  let depth = 0;
  let indent = -1;
  let pos: Pos | undefined;
  for (let i = fromLine - 1; i < lines.length && depth < keys.length; i++) {
    const m = KEY_LINE.exec(lines[i]);
    if (!m) continue;
    const ind = m[1].length + (lines[i].slice(m[1].length).startsWith('-') ? 2 : 0);
    if (depth > 0 && ind <= indent) break;
    if (m[3] === keys[depth]) {
      pos = { line: i + 1, column: ind + 1 };
      indent = ind;
      depth++;
    }
  }
  return { pos, depth };
}

/** 1-based line and column of a character offset. */
export function posAt(text: string, offset: number): Pos {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/** The rendered Namespace the package deploys into (the HelmRelease's targetNamespace). */
export function packageNamespace(model: MeshModel, pkg?: PackageContext): string | undefined {
  const hr = packageHelmRelease(model, pkg?.name);
  const target = (hr?.obj.spec as any)?.targetNamespace;
  if (typeof target === 'string') return target;
  return pkg?.enabled.releases[0]?.namespace ?? hr?.namespace;
}

/** Manifests rendered from the package chart (stage 2), or all input objects for plain manifests. */
export function chartObjects(ctx: RuleContext): Manifest[] {
  const all = own(ctx.model);
  return ctx.pkg ? all.filter((m) => m.origin.stage === 'package') : all;
}
