// `npm run bench`: runs every bench/*.bench.ts and prints its figures with targets and ratios.
// Each bench module default-exports `async () => BenchRow[]`. Targets are reported, not asserted:
// speed is a benchmark's business, never a timed test's.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

export interface BenchRow {
  /** What was measured, e.g. "render examples/podinfo". */
  name: string;
  /** The figure, e.g. 0.36 (seconds) or 41000 (traces/s). */
  value: number;
  unit: string;
  /** A human-readable comparison, e.g. "1.12x floor (floor 0.32 s)". */
  detail?: string;
  /** The target in words, e.g. "<= 1.2x floor". */
  target?: string;
  /** Whether the target is met. */
  ok?: boolean;
}

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only.length || only.some((o) => f.includes(o)))
  .sort();
console.log(
  `bbmesh benchmarks — ${new Date().toISOString().slice(0, 10)} — node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`,
);
let missed = 0;
for (const f of files) {
  const mod = await import(join(here, f));
  const rows: BenchRow[] = await mod.default();
  console.log(`\n## ${f.replace('.bench.ts', '')}`);
  for (const r of rows) {
    const mark = r.ok === undefined ? ' ' : r.ok ? '✓' : '✗';
    if (r.ok === false) missed++;
    const v = r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(3);
    console.log(
      `${mark} ${r.name.padEnd(48)} ${v.padStart(10)} ${r.unit.padEnd(9)} ${r.detail ?? ''}${r.target ? `  [target ${r.target}]` : ''}`,
    );
  }
}
console.log(`\n${missed === 0 ? 'all targets met' : `${missed} target(s) missed`}`);
