// Big Bang 3.x test packages: a temp copy of test/fixtures/bb3/<package>, a fault's files laid over it
// (test/fixtures/bb3/faults/<fault>/ holds only the files that differ), and the test library chart
// (test/fixtures/bb-common/chart) vendored into chart/charts/ with real `helm package`, as
// `helm dependency update` vendors the real bb-common.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findHelm } from '../../src/sources/render/helm.js';
import { ROOT, tempCopy, tempDir } from '../helpers/pkg.js';

export const BB3_FIXTURES = join(ROOT, 'test', 'fixtures', 'bb3');
export const LIBRARY_CHART = join(ROOT, 'test', 'fixtures', 'bb-common', 'chart');

let packaged: string | undefined;

/** The library chart packaged once per test file: the path of bb-common-<version>.tgz. */
export function libraryTgz(): string {
  if (!packaged) {
    const out = tempDir();
    execFileSync(findHelm(), ['package', LIBRARY_CHART, '-d', out], { stdio: 'pipe' });
    const tgz = readdirSync(out).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error('helm package wrote no .tgz');
    packaged = join(out, tgz);
  }
  return packaged;
}

/** Fault fixtures: one directory each under test/fixtures/bb3/faults/. */
export function faultNames(): string[] {
  return readdirSync(join(BB3_FIXTURES, 'faults')).sort();
}

/** A temp copy of a 3.x package with the library vendored (and a fault laid over it). */
export function bb3Package(opts: { fault?: string; pkg?: string; vendor?: boolean } = {}): string {
  const dir = tempCopy(join(BB3_FIXTURES, opts.pkg ?? 'portal'));
  if (opts.fault) {
    const overlay = join(BB3_FIXTURES, 'faults', opts.fault);
    if (!existsSync(overlay)) throw new Error(`no fault fixture ${opts.fault}`);
    cpSync(overlay, dir, { recursive: true, filter: (src) => !src.endsWith('README.md') });
  }
  if (opts.vendor !== false) {
    mkdirSync(join(dir, 'chart', 'charts'), { recursive: true });
    cpSync(libraryTgz(), join(dir, 'chart', 'charts', 'bb-common-0.1.0.tgz'));
  }
  return dir;
}
