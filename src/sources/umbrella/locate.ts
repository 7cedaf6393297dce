// Finding the umbrella chart: a Big Bang repository checkout (chart/ inside) or its chart/ directory.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { asObject, asString } from '../../manifest/json.js';
import { loadYaml11 } from '../../manifest/yaml11.js';

export interface UmbrellaChart {
  /** The directory given (checkout or chart/). */
  root: string;
  /** The umbrella chart directory (holds Chart.yaml, values.yaml, templates/). */
  chartDir: string;
  name: string;
  version: string;
  /** Chart.yaml `kubeVersion` constraint, e.g. `>=1.32.0-0`. */
  kubeVersion?: string;
}

const HINT = 'pass a Big Bang repository checkout (it holds chart/Chart.yaml) or its chart/ directory to --umbrella';

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

export function locateUmbrella(dir: string): UmbrellaChart {
  const root = resolve(dir);
  if (!isDir(root)) throw new UserError(`umbrella directory not found: ${dir}`, { hint: HINT });
  const chartDir = existsSync(join(root, 'Chart.yaml')) ? root : join(root, 'chart');
  const chartFile = join(chartDir, 'Chart.yaml');
  if (!existsSync(chartFile))
    throw new UserError(`no Big Bang umbrella chart in ${dir}: neither Chart.yaml nor chart/Chart.yaml`, { hint: HINT });
  let chart: Record<string, unknown>;
  try {
    chart = asObject(loadYaml11(readFileSync(chartFile, 'utf8'), chartFile));
  } catch (err) {
    throw new UserError(`malformed Chart.yaml: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, { file: chartFile });
  }
  const name = asString(chart.name) ?? '';
  if (name.startsWith('bigbang-')) {
    throw new UserError(`${chartFile} is a package's bigbang/ dev chart (${name}), not the Big Bang umbrella`, {
      file: chartFile,
      hint: `${HINT}; the package directory is the positional argument`,
    });
  }
  const values = join(chartDir, 'values.yaml');
  if (!isDir(join(chartDir, 'templates')) || !existsSync(values)) {
    throw new UserError(`${chartDir} is not the Big Bang umbrella chart: it needs values.yaml and templates/`, { hint: HINT });
  }
  // A fork may rename the chart; its values still hold the addons.
  if (name !== 'bigbang' && !/^addons:/m.test(readFileSync(values, 'utf8'))) {
    throw new UserError(
      `${chartFile} is the chart ${name || '(unnamed)'}, not the Big Bang umbrella (chart bigbang, with addons in its values)`,
      {
        file: chartFile,
        hint: HINT,
      },
    );
  }
  const version = asString(chart.version) ?? String(chart.version ?? '0.0.0');
  return { root, chartDir, name, version, kubeVersion: asString(chart.kubeVersion) };
}
