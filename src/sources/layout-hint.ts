// Whether a chart can depend on bb-common, read from its text without loading a YAML parser: the
// start-up path of `render <dir>` and `check <dir>` asks this before Helm runs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const BB_COMMON = 'bb-common';

/**
 * False only when neither Chart.yaml nor charts/ can name bb-common: the name is absent from the text,
 * and no backslash escape could spell it another way. True means "parse it and see".
 */
export function mayUseBbCommon(chartDir: string): boolean {
  let text = '';
  try {
    text = readFileSync(join(chartDir, 'Chart.yaml'), 'latin1');
  } catch {
    // no Chart.yaml: only a vendored archive can say it
  }
  if (text.includes(BB_COMMON) || text.includes('\\')) return true;
  try {
    return readdirSync(join(chartDir, 'charts')).some((e) => e.startsWith(BB_COMMON));
  } catch {
    return false;
  }
}

/** The 1.x/2.x layout when a package directory cannot be 3.x (no bb-common, no umbrella values to read); else undefined. */
export function surelyBb2(packageDir: string, umbrellaValues: string[] = []): 'bb2' | undefined {
  return umbrellaValues.length === 0 && !mayUseBbCommon(join(packageDir, 'chart')) ? 'bb2' : undefined;
}
