// The flags of the umbrella mode, for render, check, trace, diagram and verify to share:
//   --umbrella DIR         a Big Bang checkout or its chart/ directory
//   --package NAME         the package key as the umbrella's values name it (kiali, argocd), without addons.
//   --chart NAME=DIR       whole deployment: HelmRelease NAME from a local chart or package checkout (repeatable)
//   --offline              whole deployment: never fetch, use only the source cache
// Wiring: `addUmbrellaOptions(cmd)` when building the command; in the action, `meshInputs` (mesh-input.ts)
// turns the flags into the inputs (a package, files, or none: the whole deployment) and the render
// options with `umbrella`; `reportUmbrella` prints what was read (stderr unless the text report shows
// it) and each `notRendered[].message` on stderr; JSON outputs carry both (report/common.ts umbrellaFields).
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import type { LayoutName } from '../core/layout.js';
import type { RenderProgress, UmbrellaOptions, UmbrellaRead } from '../sources/umbrella/types.js';

function collectChart(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  const name = eq > 0 ? value.slice(0, eq).trim() : '';
  const dir = eq > 0 ? value.slice(eq + 1).trim() : '';
  if (!name || !dir)
    throw new UserError(`--chart ${value}: expected NAME=DIR`, {
      hint: 'e.g. --chart kiali=../kiali (a chart, or a package checkout holding chart/)',
    });
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`--chart ${value}: directory not found: ${dir}`);
  return { ...previous, [name]: dir };
}

/** Adds the umbrella flags a command does not have yet (`--package` is shared with the dev-layout flags). */
export function addUmbrellaOptions(cmd: Command): Command {
  const has = (long: string) => cmd.options.some((o) => o.long === long);
  if (!has('--umbrella'))
    cmd.option(
      '--umbrella <dir>',
      'render through a real Big Bang umbrella: a Big Bang checkout or its chart/ directory ' +
        '(layout, domain, gateways and Kubernetes version are read from it)',
    );
  if (!has('--package'))
    cmd.option('--package <name>', "with --umbrella: the package key in the umbrella's values (kiali, argocd), without addons.");
  if (!has('--chart'))
    cmd.option(
      '--chart <name=dir>',
      'whole deployment: render HelmRelease NAME from a local chart or package checkout (repeatable)',
      collectChart,
    );
  if (!has('--offline')) cmd.option('--offline', 'whole deployment: never fetch sources; use only the cache ($XDG_CACHE_HOME/bbmesh)');
  return cmd;
}

/** `--layout` only when given on the command line (a default must not beat what the umbrella says). */
export function explicitLayout(cmd: Command): LayoutName | undefined {
  if (cmd.getOptionValueSource('layout') !== 'cli') return undefined;
  const v: unknown = cmd.getOptionValue('layout');
  if (v !== 'bb2' && v !== 'bb3')
    throw new UserError(`unknown --layout ${String(v)}`, { hint: 'use bb2 (Big Bang 1.x/2.x) or bb3 (Big Bang 3.x)' });
  return v;
}

export interface UmbrellaExtras {
  layout?: LayoutName;
  onProgress?: (p: RenderProgress) => void;
  onCommand?: (cmd: string, ms: number) => void;
}

/** The library's `umbrella` render option from parsed flags; undefined without --umbrella. */
export function umbrellaOptionsFrom(o: Record<string, unknown>, extras: UmbrellaExtras = {}): UmbrellaOptions | undefined {
  const dir = typeof o.umbrella === 'string' ? o.umbrella : undefined;
  const charts = o.chart && typeof o.chart === 'object' ? (o.chart as Record<string, string>) : undefined;
  if (!dir) {
    if (charts || o.offline)
      throw new UserError('--chart and --offline need --umbrella DIR', { hint: 'pass --umbrella with a Big Bang checkout' });
    return undefined;
  }
  return {
    dir,
    package: typeof o.package === 'string' ? o.package : undefined,
    charts,
    offline: o.offline === true,
    layout: extras.layout,
    onProgress: extras.onProgress,
    onCommand: extras.onCommand,
  };
}

/** What every output shows: the `read: umbrella ...` line, then the notes. */
export function umbrellaLines(read: UmbrellaRead | undefined): string[] {
  return read ? [read.description, ...read.notes.map((n) => `note: ${n}`)] : [];
}

/**
 * A progress line on a TTY once the work has taken a second (`rendering 7/20 (kiali)`), redrawn in
 * place; `wait(label)` shows `label (3 s)` for work with no steps to count (a package's renders); `end()`
 * erases it. Off the TTY it prints nothing.
 */
export function progressLine(stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY' | 'columns'> = process.stderr): {
  onProgress: (p: RenderProgress) => void;
  wait: (label: string) => void;
  end: () => void;
} {
  const start = Date.now();
  let shown = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const done = { fetch: 0, render: 0 };
  const show = (line: string) => {
    stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, (stream.columns || 80) - 1))}`);
    shown = true;
  };
  return {
    onProgress(p) {
      done[p.phase] = p.done;
      if (!stream.isTTY || Date.now() - start < 1000) return;
      show(`fetched ${done.fetch}/${p.total}, rendered ${done.render}/${p.total} (${p.release})`);
    },
    wait(label) {
      if (!stream.isTTY || timer) return;
      timer = setInterval(() => show(`${label} (${Math.round((Date.now() - start) / 1000)} s)`), 1000);
      timer.unref();
    },
    end() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
