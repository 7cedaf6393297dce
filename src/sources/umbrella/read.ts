// What the umbrella tells about the platform: its Kubernetes version floor (Chart.yaml kubeVersion),
// the layout (bb2/bb3, from the chart version and which Istio packages the values enable), the domain
// and the enabled gateways. Explicit options win; the description says what was read.
import semver from 'semver';
import { LAYOUTS, type LayoutName } from '../../core/layout.js';
import { asObject } from '../../manifest/json.js';
import { displayPath } from '../package-files.js';
import { platformOptionsFromValues } from '../platform.js';
import { CURRENT_KUBE_VERSION, defaultKubeVersion } from '../render/kube-version.js';
import type { Values } from '../render/values.js';
import type { UmbrellaChart } from './locate.js';
import type { UmbrellaPackage, UmbrellaRead } from './types.js';

/** The lowest version a kubeVersion constraint admits, without a pre-release (`>=1.32.0-0` → 1.32.0). */
export function kubeMinimum(constraint: string | undefined): string | undefined {
  if (!constraint) return undefined;
  try {
    const min = semver.minVersion(constraint.replace(/\bv(?=\d)/g, ''));
    return min ? `${min.major}.${min.minor}.${min.patch}` : undefined;
  } catch {
    return undefined;
  }
}

const enabled = (v: unknown) => asObject(v).enabled === true;

/**
 * Big Bang 3.x is always bb3. Before 3.0 the operator-based Istio (`istio`) is bb2, unless the values
 * turn on the istiod package and leave `istio` off (late 2.x could run either).
 */
export function umbrellaLayout(version: string, values: Values): LayoutName {
  const major = semver.coerce(version)?.major ?? 0;
  if (major >= 3) return 'bb3';
  if (!('istio' in values) && 'istiod' in values) return 'bb3';
  return enabled(values.istiod) && !enabled(values.istio) ? 'bb3' : 'bb2';
}

export interface ReadOptions {
  layout?: LayoutName;
  kubeVersion?: string;
  package?: UmbrellaPackage;
  notes?: string[];
}

export function readUmbrella(chart: UmbrellaChart, values: Values, opts: ReadOptions = {}): UmbrellaRead {
  const detected = umbrellaLayout(chart.version, values);
  const layout = opts.layout ?? detected;
  const platform = platformOptionsFromValues(layout, values);
  const gateways = (platform.gateways ?? []).map((g) => g.name);
  const floor = kubeMinimum(chart.kubeVersion);
  // A current release unless the umbrella (or a chart it vendors) asks for more, as for a package render.
  const kubeVersion = opts.kubeVersion ?? defaultKubeVersion([chart.chartDir]);
  const parts = [
    `umbrella ${chart.version} at ${displayPath(chart.chartDir)}`,
    `layout ${layout}${opts.layout && opts.layout !== detected ? ` (given; the umbrella reads as ${detected})` : ''}`,
    `domain ${platform.domain}`,
    `gateways ${gateways.join(',') || '(none)'}`,
    `kubeVersion ${kubeVersion}${opts.kubeVersion ? ' (given)' : floor ? ` (the chart asks ${chart.kubeVersion})` : ` (Chart.yaml has no kubeVersion; ${CURRENT_KUBE_VERSION} is current)`}`,
  ];
  if (opts.package) parts.push(`package ${opts.package.key} (values ${opts.package.valuesPath}, found by ${opts.package.foundBy})`);
  return {
    chartDir: chart.chartDir,
    version: chart.version,
    layout,
    domain: platform.domain || LAYOUTS[layout].defaultDomain,
    gateways,
    kubeVersion,
    package: opts.package,
    notes: opts.notes ?? [],
    description: `read: ${parts.join(', ')}`,
  };
}
