// Which Big Bang release line a package is written for, when the user does not say (--layout): a chart that
// depends on bb-common (Chart.yaml dependencies, or the library vendored in charts/) is a 3.x package; so are
// umbrella values that configure `istiod` rather than `istioOperator`. Otherwise the guide's 1.x/2.x names.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { LayoutName } from '../core/layout.js';
import type { RenderOptions } from './render/types.js';
import { asArray, asObject } from '../manifest/json.js';
import { loadYaml11 } from '../manifest/yaml11.js';
import { BB_COMMON, mayUseBbCommon } from './layout-hint.js';

/** The library chart every Big Bang 3.x package depends on. */
export { BB_COMMON };

export interface LayoutChoice {
  layout: LayoutName;
  /** `given`, `detected from <what>`, or `default (<why>)`: what outputs print after the layout name. */
  reason: string;
  detected: boolean;
}

function readYaml(file: string): unknown {
  try {
    return loadYaml11(readFileSync(file, 'utf8'), file);
  } catch {
    return undefined;
  }
}

/** The bb-common dependency of a chart directory, and where it is said. */
export function bbCommonDependency(chartDir: string, cwd = process.cwd()): { where: string; version?: string } | undefined {
  if (!mayUseBbCommon(chartDir)) return undefined;
  const chartYaml = join(chartDir, 'Chart.yaml');
  for (const raw of asArray(asObject(readYaml(chartYaml)).dependencies)) {
    const d = asObject(raw);
    if (d.name === BB_COMMON)
      return {
        where: `${relative(cwd, chartYaml) || chartYaml} dependency ${BB_COMMON}`,
        version: d.version ? String(d.version) : undefined,
      };
  }
  const charts = join(chartDir, 'charts');
  let entries: string[];
  try {
    entries = readdirSync(charts);
  } catch {
    return undefined;
  }
  const vendored = entries.find((e) => e === BB_COMMON || (e.startsWith(`${BB_COMMON}-`) && e.endsWith('.tgz')));
  if (!vendored) return undefined;
  return { where: relative(cwd, join(charts, vendored)) || vendored, version: /-(\d[^/]*)\.tgz$/.exec(vendored)?.[1] };
}

/** 3.x umbrella values configure `istiod`; 1.x/2.x ones `istioOperator`. Undefined when both or neither (the built-in stand-in has both). */
function layoutOfUmbrella(files: string[]): { layout: LayoutName; file: string } | undefined {
  for (const f of files) {
    const v = asObject(readYaml(f));
    const bb3 = 'istiod' in v;
    const bb2 = 'istioOperator' in v;
    if (bb3 !== bb2) return { layout: bb3 ? 'bb3' : 'bb2', file: f };
  }
  return undefined;
}

/** The layout for a package directory: the user's, else detected from the chart's bb-common dependency or the umbrella values. */
export function chooseLayout(dir: string, given?: LayoutName, umbrellaValues: string[] = []): LayoutChoice {
  if (given) return { layout: given, reason: 'given', detected: false };
  const dep = existsSync(join(dir, 'chart')) ? bbCommonDependency(join(dir, 'chart')) : undefined;
  if (dep) return { layout: 'bb3', reason: `detected from ${dep.where}${dep.version ? ` ${dep.version}` : ''}`, detected: true };
  const umbrella = layoutOfUmbrella(umbrellaValues);
  if (umbrella)
    return {
      layout: umbrella.layout,
      reason: `detected from ${relative(process.cwd(), umbrella.file) || umbrella.file} (${umbrella.layout === 'bb3' ? 'istiod' : 'istioOperator'})`,
      detected: true,
    };
  return { layout: 'bb2', reason: 'default: the chart does not depend on bb-common', detected: false };
}

/**
 * The layout for any input: the user's; else what the umbrella says (`--umbrella`: its version and Istio
 * keys); else, for a package directory, what `chooseLayout` detects; else the guide's 1.x/2.x names.
 */
export async function resolveLayout(
  dir: string | undefined,
  given: LayoutName | undefined,
  render: RenderOptions = {},
): Promise<LayoutChoice> {
  if (given) return { layout: given, reason: 'given', detected: false };
  if (render.umbrella) {
    if (render.umbrella.layout) return { layout: render.umbrella.layout, reason: 'given', detected: false };
    const u = await import('./umbrella/index.js');
    const chart = u.locateUmbrella(render.umbrella.dir);
    const layout = u.umbrellaLayout(chart.version, u.umbrellaValues(chart.chartDir, render));
    return { layout, reason: `read from the umbrella ${chart.version}`, detected: true };
  }
  if (dir) return chooseLayout(dir, undefined, render.umbrellaValues);
  const values = layoutOfUmbrella(render.umbrellaValues ?? []);
  if (values)
    return { layout: values.layout, reason: `detected from ${relative(process.cwd(), values.file) || values.file}`, detected: true };
  return { layout: 'bb2', reason: 'default', detected: false };
}
