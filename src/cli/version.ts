// `bbmesh version`: what a bug report needs: bbmesh, the Helm it would run, Node, and the versions
// of every machine-readable output (the JSON schemas in schemas/, SARIF).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { addOutputOption, examples, outputOf, str, write, type Flags } from './common.js';

export interface VersionInfo {
  schemaVersion: 1;
  bbmesh: string;
  helm: { version: string; path: string } | { error: string };
  node: string;
  /** schemaVersion of each `-o json` output, by command (schemas/<command>.schema.json). */
  schemas: Record<string, number>;
  sarif: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('version')
    .description('Print the versions of bbmesh, the Helm it runs, Node and its output schemas')
    .option('--helm <path>', 'helm binary to report (default: the one bbmesh would run)');
  addOutputOption(cmd, ['text', 'json'], 'text')
    .addHelpText('after', examples(['bbmesh version', 'bbmesh version -o json']))
    .action(async (o: Flags, self: Command) => {
      const format = outputOf(self);
      const info = await versionInfo(str(o.helm));
      if (format === 'json') {
        write(JSON.stringify(info, null, 2));
        return;
      }
      const helm = 'error' in info.helm ? `not found: ${info.helm.error}` : `${info.helm.version} (${info.helm.path})`;
      const schemas = Object.entries(info.schemas)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      write(
        [`bbmesh  ${info.bbmesh}`, `helm    ${helm}`, `node    ${info.node}`, `schemas ${schemas}`, `sarif   ${info.sarif}`].join('\n'),
      );
    });
}

export async function versionInfo(explicitHelm?: string): Promise<VersionInfo> {
  const { PROJECT_ROOT, toolVersion } = await import('../core/paths.js');
  const { findHelm, checkHelmVersion } = await import('../sources/render/helm.js');
  let helm: VersionInfo['helm'];
  try {
    const path = findHelm(explicitHelm);
    helm = { version: await checkHelmVersion(path), path };
  } catch (err) {
    const e = err as { format?: () => string; message?: string };
    helm = { error: e.format?.() ?? String(e.message ?? err) };
  }
  const schemas: Record<string, number> = {};
  const dir = join(PROJECT_ROOT, 'schemas');
  for (const f of readdirSync(dir).sort()) {
    const m = /^(.+)\.schema\.json$/.exec(f);
    if (!m) continue;
    const v = schemaVersionOf(JSON.parse(readFileSync(join(dir, f), 'utf8')));
    if (v !== undefined) schemas[m[1]] = v;
  }
  return { schemaVersion: 1, bbmesh: toolVersion(), helm, node: process.version, schemas, sarif: '2.1.0' };
}

/** The `schemaVersion` const of a schema, at its top or in the first of its alternatives that has one. */
function schemaVersionOf(s: unknown): number | undefined {
  if (!s || typeof s !== 'object') return undefined;
  const node = s as {
    properties?: { schemaVersion?: { const?: unknown } };
    oneOf?: unknown[];
    anyOf?: unknown[];
    $defs?: Record<string, unknown>;
  };
  const v = node.properties?.schemaVersion?.const;
  if (typeof v === 'number') return v;
  for (const alt of [...(node.oneOf ?? []), ...(node.anyOf ?? []), ...Object.values(node.$defs ?? {})]) {
    const found = schemaVersionOf(alt);
    if (found !== undefined) return found;
  }
  return undefined;
}
