// A package's bigbang/ dev chart overlaid on the umbrella, so an umbrella change can be tried before it
// is merged: a private copy of the umbrella chart with bigbang/templates/<folder>/ copied over
// templates/<folder>/. The dev chart's own helpers and values are the umbrella's stand-ins and are not used.
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

export interface Overlay {
  /** The copy to render. */
  chartDir: string;
  /** Template folders taken from the package (`podinfo`). */
  folders: string[];
  /** Chart-relative paths (`templates/podinfo/values.yaml`) that come from the package's bigbang/. */
  overlaid: Set<string>;
  /** The user's file for a file of the copy (the package's for overlaid ones, else the umbrella's). */
  realPath(file: string): string;
  dispose(): void;
}

function filesUnder(dir: string, base: string, out: Set<string>): void {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) filesUnder(p, base, out);
    else out.add(relative(base, p).split(sep).join('/'));
  }
}

/** Undefined when the package has no bigbang/templates/<folder>/ to overlay. */
export function overlayChart(umbrellaChartDir: string, bigbangDir: string): Overlay | undefined {
  const src = join(bigbangDir, 'templates');
  if (!existsSync(src)) return undefined;
  const folders = readdirSync(src).filter((e) => statSync(join(src, e)).isDirectory());
  if (!folders.length) return undefined;
  const tmp = mkdtempSync(join(tmpdir(), 'bbmesh-umbrella-'));
  const chartDir = join(tmp, 'chart');
  try {
    cpSync(umbrellaChartDir, chartDir, { recursive: true, filter: (p) => !p.endsWith(`${sep}.git`) });
    const overlaid = new Set<string>();
    for (const f of folders) {
      cpSync(join(src, f), join(chartDir, 'templates', f), { recursive: true, force: true });
      filesUnder(join(src, f), bigbangDir, overlaid);
    }
    return {
      chartDir,
      folders,
      overlaid,
      realPath(file: string): string {
        const rel = relative(chartDir, file);
        if (rel.startsWith('..')) return file;
        const key = rel.split(sep).join('/');
        return overlaid.has(key) ? join(bigbangDir, rel) : join(umbrellaChartDir, rel);
      },
      dispose: () => rmSync(tmp, { recursive: true, force: true }),
    };
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}
