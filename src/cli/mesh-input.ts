// What render, check, trace and diagram read, resolved once from the flags: a package directory (after
// settling what an interrupted integrate left there), manifest files, or with --umbrella and no input the
// whole deployment; the render options (with the umbrella's), and a progress line for long renders.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import type { LayoutName } from '../core/layout.js';
import type { InputSpec } from '../sources/index.js';
import type { RenderOptions } from '../sources/render/types.js';
import type { NotRendered, UmbrellaRead } from '../sources/umbrella/types.js';
import { escapeLine, escapeText } from '../report/escape.js';
import { inputsOf, note, renderOptionsFrom, type Flags, type Inputs } from './common.js';
import { explicitLayout, progressLine, umbrellaLines, umbrellaOptionsFrom } from './umbrella-options.js';

export interface MeshInputs {
  inputs: Inputs;
  /** `--layout` only when given on the command line: otherwise the library detects it. */
  layout?: LayoutName;
  render: RenderOptions;
  /** Erases the progress line (call when the render is over, before printing). */
  done(): void;
}

/** The journal directory an interrupted `bbmesh integrate` leaves at the package root. */
const TX_ROOT = '.bbmesh';

/**
 * Completes or rolls back the transactions an interrupted integrate left in `dir`, saying which on
 * stderr; one still being written (its process alive) or changed since is exit 2, naming the directory.
 */
export async function recoverFirst(dir: string): Promise<void> {
  if (!existsSync(join(dir, TX_ROOT))) return; // the common case costs one stat, not the integrate module
  const { recoverTransactions } = await import('../integrate/index.js');
  const recovered = recoverTransactions(dir);
  const stuck = recovered.find((t) => t.outcome === 'in-progress' || t.outcome === 'conflict');
  for (const t of recovered) if (t !== stuck) note(escapeText(`${dir}: ${t.message}`));
  if (stuck) throw new UserError(`${dir}: ${stuck.message}`);
}

/** The inputs and render options of a command that reads a mesh; `verb` words "nothing to <verb>". */
export async function meshInputs(args: string[], o: Flags, cmd: Command, verb: string): Promise<MeshInputs> {
  const layout = explicitLayout(cmd);
  const progress = progressLine();
  // --debug's command log needs nothing here: the sources' git and helm runs report to Helm's listener (cli/main.ts).
  const umbrella = umbrellaOptionsFrom(o, { layout, onProgress: progress.onProgress });
  const inputs = inputsOf(args, o, verb, cmd.name());
  if (inputs.kind !== 'deployment' && (o.chart !== undefined || o.offline === true))
    throw new UserError('--chart and --offline are for a whole deployment: give no package directory or file', {
      hint: `bbmesh ${cmd.name()} --umbrella DIR -f env.yaml --chart NAME=DIR renders every enabled package`,
    });
  if (inputs.kind === 'package') {
    await recoverFirst(inputs.dir);
    progress.wait(`${verb === 'check' ? 'rendering and checking' : 'rendering'} ${escapeText(inputs.dir)} with Helm`);
  }
  for (const dir of Object.values(umbrella?.charts ?? {})) await recoverFirst(dir);
  return { inputs, layout, render: { ...renderOptionsFrom(o), umbrella }, done: progress.end };
}

/** What loadMesh reads for these inputs. */
export function specOf(inputs: Inputs): InputSpec {
  return inputs.kind === 'package' ? { dir: inputs.dir } : inputs.kind === 'files' ? { files: inputs.files } : {};
}

/**
 * What the umbrella told, for inputs whose result does not carry it (manifest files read with
 * --umbrella: the platform's domain, gateways and layout come from it, nothing is rendered).
 */
export async function umbrellaReadOf(render: RenderOptions, carried?: UmbrellaRead): Promise<UmbrellaRead | undefined> {
  if (carried || !render.umbrella) return carried;
  const u = await import('../sources/umbrella/index.js');
  const chart = u.locateUmbrella(render.umbrella.dir);
  return u.readUmbrella(chart, u.umbrellaValues(chart.chartDir, render), {
    layout: render.umbrella.layout,
    kubeVersion: render.kubeVersion,
  });
}

/** The umbrella lines, escaped for a terminal. */
export function umbrellaText(read: UmbrellaRead | undefined): string[] {
  return umbrellaLines(read).map(escapeLine);
}

/**
 * Says on stderr what could not be rendered (always) and, unless the report on stdout shows it
 * (text reports), what was read from the umbrella.
 */
export function reportUmbrella(read: UmbrellaRead | undefined, notRendered: NotRendered[] | undefined, inReport: boolean): void {
  if (!inReport) for (const l of umbrellaText(read)) process.stderr.write(`bbmesh: ${l}\n`);
  for (const n of notRendered ?? []) process.stderr.write(`bbmesh: ${escapeText(n.message)}\n`);
}
