// The Kubernetes version bbmesh renders for when none is given: a current release, or newer when a chart's
// `kubeVersion` constraint asks for more (Helm refuses to render a chart whose constraint the version misses).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A current Kubernetes release (Helm 3.18's own default). */
export const CURRENT_KUBE_VERSION = '1.33.0';

type Version = [number, number, number];

const parse = (s: string): Version | undefined => {
  const m = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(s.trim());
  if (!m) return undefined;
  const n = (x: string | undefined) => (x === undefined || x === 'x' || x === '*' ? 0 : Number(x));
  return [n(m[1]), n(m[2]), n(m[3])];
};
const cmp = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
const show = (v: Version) => v.join('.');

/** The lowest version a Masterminds semver constraint (`>=1.25.0-0`, `^1.28`, `>= 1.19 < 1.31 || >= 1.32`) allows. */
export function constraintMinimum(constraint: string): Version | undefined {
  let lowest: Version | undefined;
  for (const alt of constraint.split('||')) {
    let floor: Version = [0, 0, 0];
    for (const m of alt.matchAll(/(>=|=>|>|=|\^|~>?|<=|<|!=)?\s*(v?\d+(?:\.(?:\d+|x|\*)){0,2}(?:-[\w.]+)?)/g)) {
      const op = m[1] ?? '=';
      const v = parse(m[2]);
      if (!v || op.startsWith('<') || op === '!=') continue;
      const min: Version = op === '>' ? [v[0], v[1], v[2] + 1] : v;
      if (cmp(min, floor) > 0) floor = min;
    }
    if (!lowest || cmp(floor, lowest) < 0) lowest = floor;
  }
  return lowest;
}

function chartKubeVersion(dir: string): string | undefined {
  const f = join(dir, 'Chart.yaml');
  if (!existsSync(f)) return undefined;
  const m = /^kubeVersion:\s*["']?([^"'\n#]+?)["']?\s*(?:#.*)?$/m.exec(readFileSync(f, 'utf8'));
  return m?.[1];
}

/** Chart directories under `dirs`, with their unpacked subcharts (charts/<name>/). */
function withSubcharts(dirs: string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    out.push(d);
    const sub = join(d, 'charts');
    if (!existsSync(sub)) continue;
    for (const e of readdirSync(sub, { withFileTypes: true })) if (e.isDirectory()) out.push(join(sub, e.name));
  }
  return out;
}

/** The highest `kubeVersion` minimum among the charts in `chartDirs` (and their subcharts), at least a current release. */
export function defaultKubeVersion(chartDirs: string[]): string {
  let best = parse(CURRENT_KUBE_VERSION) as Version;
  for (const d of withSubcharts(chartDirs)) {
    const c = chartKubeVersion(d);
    const min = c ? constraintMinimum(c) : undefined;
    if (min && cmp(min, best) > 0) best = min;
  }
  return show(best);
}
