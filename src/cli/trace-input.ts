// The mesh that trace and diagram follow: loaded from the inputs (a package, files, or with --umbrella
// and no input the whole deployment), with the layout it was read as and what the umbrella told.
import type { Command } from 'commander';
import type { MeshInput } from '../sources/index.js';
import type { NotRendered, UmbrellaRead } from '../sources/umbrella/types.js';
import type { Flags } from './common.js';
import { meshInputs, reportUmbrella, specOf, umbrellaReadOf, umbrellaText } from './mesh-input.js';
import { umbrellaLines } from './umbrella-options.js';

export interface LoadedInputs {
  mesh: MeshInput;
  /** The layout, and why (given, detected from ..., read from the umbrella, default). */
  layout: { name: 'bb2' | 'bb3'; reason: string };
  umbrella?: UmbrellaRead;
  notRendered?: NotRendered[];
  /** `umbrella` and `notRendered` for a JSON output. */
  umbrellaJson(): Record<string, unknown>;
  /** Comment lines for a Mermaid output: the layout, what the umbrella told. */
  comments(): string[];
  /** The umbrella lines for a text report, escaped. */
  umbrellaText(): string[];
  /** What goes to stderr: what was not rendered, and the umbrella lines unless the report shows them. */
  report(inReport: boolean): void;
}

export async function loadInputs(args: string[], o: Flags, cmd: Command, verb: string): Promise<LoadedInputs> {
  const m = await meshInputs(args, o, cmd, verb);
  const { loadMesh } = await import('../sources/index.js');
  const { resolveLayout } = await import('../sources/layout-detect.js');
  const spec = specOf(m.inputs);
  const choice = await resolveLayout(spec.dir, m.layout, m.render);
  let mesh: MeshInput;
  try {
    mesh = await loadMesh(spec, { layout: choice.layout, platform: o.platform !== false, render: m.render });
  } finally {
    m.done();
  }
  const umbrella = await umbrellaReadOf(m.render, mesh.render?.umbrella);
  const notRendered = mesh.render?.notRendered;
  const { umbrellaFields } = await import('../report/common.js');
  return {
    mesh,
    layout: { name: choice.layout, reason: choice.reason },
    umbrella,
    notRendered,
    umbrellaJson: () => umbrellaFields(umbrella, notRendered),
    comments: () => [
      `layout ${choice.layout} (${choice.reason})`,
      ...umbrellaLines(umbrella),
      ...(notRendered ?? []).map((n) => n.message),
    ],
    umbrellaText: () => umbrellaText(umbrella),
    report: (inReport) => reportUmbrella(umbrella, notRendered, inReport),
  };
}
