import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { addMeshInputOptions, collect, examples, layoutOf, renderOptionsFrom, useColor, write } from './common.js';

const FORMATS = ['text', 'json', 'sarif', 'junit'];
const SEVERITIES = ['error', 'warning', 'info'];

export function register(program: Command): void {
  const cmd = program
    .command('check')
    .description(
      'Find broken routes and Big Bang integration mistakes before deploying: every finding with object, file, line, runtime symptom and fix',
    )
    .argument(
      '[package-dir]',
      'package directory holding bigbang/ and chart/ (rendered with Istio enabled and disabled), a YAML file, or - for stdin',
    )
    .option('--format <format>', 'text, json, sarif or junit', 'text')
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity: error, warning or info', 'warning')
    .option(
      '--ignore <codes>',
      'rule codes to skip, comma-separated (e.g. BB002,MESH014); per object: annotation bbmesh.dev/ignore',
      collect,
    );
  addMeshInputOptions(cmd, 'check rendered manifests from a YAML file instead of a package');
  cmd
    .addHelpText(
      'after',
      `\nExit status: 0 when no finding is at or above --fail-on (default: warning), 1 otherwise, 2 on bad usage or input.\n` +
        'Rules: docs/rules.md. "render L:C" is a position in the output of `bbmesh render <package-dir>`.\n' +
        examples([
          'bbmesh check examples/podinfo',
          'bbmesh check examples/podinfo --layout bb3 --format sarif > bbmesh.sarif',
          'bbmesh check -f rendered.yaml -f platform.yaml --fail-on error',
          'bbmesh render examples/podinfo | bbmesh check -',
          'bbmesh check . --ignore BB003,MESH014 --format junit > bbmesh-junit.xml',
        ]),
    )
    .action(async (target: string | undefined, o: Record<string, any>) => {
      if (!FORMATS.includes(o.format)) throw new UserError(`unknown --format ${o.format}`, { hint: `use ${FORMATS.join(', ')}` });
      if (!SEVERITIES.includes(o.failOn)) throw new UserError(`unknown --fail-on ${o.failOn}`, { hint: `use ${SEVERITIES.join(', ')}` });
      layoutOf(o);
      const files: string[] = o.file ?? [];
      if (target && files.length) throw new UserError('give either a package directory or -f FILE, not both');
      if (!target && !files.length) throw new UserError('nothing to check', { hint: 'pass a package directory, -f FILE, or - for stdin' });
      const ignore = ((o.ignore ?? []) as string[])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean);
      const { ruleByCode, RULES } = await import('../analysis/rules/catalogue.js');
      const unknown = ignore.filter((c) => !ruleByCode(c));
      if (unknown.length)
        throw new UserError(`unknown rule code${unknown.length > 1 ? 's' : ''} in --ignore: ${unknown.join(', ')}`, {
          hint: 'see docs/rules.md',
        });
      const opts = { layout: o.layout, ignore, failOn: o.failOn, platform: o.platform !== false, render: renderOptionsFrom(o) };
      const { checkPackage, checkManifests } = await import('../analysis/check.js');
      let result;
      if (target && target !== '-' && existsSync(target) && statSync(target).isDirectory()) result = await checkPackage(target, opts);
      else if (target && target !== '-' && !existsSync(target))
        throw new UserError(`not found: ${target}`, { hint: 'pass a package directory (bigbang/ + chart/), a YAML file, or - for stdin' });
      else result = await checkManifests(target ? [target] : files, opts);

      if (o.format === 'text') {
        const { formatText } = await import('../report/text.js');
        write(formatText(result, { color: useColor() }));
      } else if (o.format === 'json') {
        const { checkToJson } = await import('../report/check-json.js');
        write(JSON.stringify(checkToJson(result), null, 2));
      } else if (o.format === 'sarif') {
        const { checkToSarif } = await import('../report/sarif.js');
        write(JSON.stringify(checkToSarif(result, RULES, await toolVersion()), null, 2));
      } else {
        const { checkToJunit } = await import('../report/junit.js');
        write(checkToJunit(result, RULES));
      }
      if (result.exitCode) process.exitCode = result.exitCode;
    });
}

async function toolVersion(): Promise<string> {
  return (await import('../core/paths.js')).toolVersion();
}
