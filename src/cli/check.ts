import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { addMeshInputOptions, addOutputOption, collect, examples, INPUTS_HELP, list, outputOf, useColor, type Flags } from './common.js';
import { meshInputs, reportUmbrella, umbrellaReadOf } from './mesh-input.js';
import { addUmbrellaOptions } from './umbrella-options.js';

export const CHECK_FORMATS = ['text', 'json', 'sarif', 'junit', 'codequality', 'markdown'];
const SEVERITIES = ['error', 'warning', 'info'];

export function register(program: Command): void {
  const cmd = program
    .command('check')
    .description(
      'Find broken routes and Big Bang integration mistakes before deploying: every finding with object, file, line, runtime symptom and fix',
    )
    .argument('[inputs...]', `${INPUTS_HELP}; a package is rendered with Istio enabled and disabled`)
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity: error, warning or info', 'warning')
    .option(
      '--ignore <codes>',
      'rule codes to skip, comma-separated (e.g. BB002,MESH014); per object: annotation bbmesh.dev/ignore',
      collect,
    )
    .option('--allow-unchecked', 'whole deployment: exit 0 even when HelmReleases could not be rendered (offline, no source)');
  addOutputOption(
    cmd,
    CHECK_FORMATS,
    'text',
    'text, json, sarif, junit, codequality (GitLab Code Quality) or markdown (a merge-request report)',
  );
  addUmbrellaOptions(addMeshInputOptions(cmd))
    .addHelpText(
      'after',
      `\nExit status: 0 when no finding is at or above --fail-on (default: warning); 1 otherwise, or when releases of a\n` +
        `whole deployment could not be rendered (not checked; --allow-unchecked accepts that); 2 bad usage or input; 3 a bug.\n` +
        'Rules: docs/rules.md (shipped with bbmesh). "render L:C" is a position in the output of `bbmesh render <package-dir>`.\n' +
        examples([
          'bbmesh check examples/podinfo',
          'bbmesh check examples/podinfo -f my-values.yaml --set domain=dev.bigbang.mil',
          'bbmesh check examples/podinfo --layout bb3 -o sarif > bbmesh.sarif',
          'bbmesh check rendered.yaml platform.yaml -n podinfo --fail-on error',
          'bbmesh render examples/podinfo | bbmesh check -',
          'bbmesh check . -o codequality > gl-code-quality-report.json',
          'bbmesh check . --ignore BB003,MESH014 -o junit > bbmesh-junit.xml',
          'bbmesh check ../kiali --umbrella ~/bigbang                  # a package (chart/ only) through the real umbrella',
          'bbmesh check ../kiali --umbrella ~/bigbang/chart -f env.yaml --package kiali',
          'bbmesh check --umbrella ~/bigbang -f env.yaml               # the whole deployment env.yaml enables',
          'bbmesh check --umbrella ~/bigbang -f env.yaml --chart kiali=../kiali --offline -o json',
        ]) +
        '\nWith --umbrella, layout, domain, gateways and Kubernetes version come from the umbrella (explicit flags win);\n' +
        'the report says what was read. A whole deployment renders every enabled HelmRelease from its Flux source\n' +
        '(cached under $XDG_CACHE_HOME/bbmesh); one that cannot be had is a line on stderr and the rest is checked.\n',
    )
    .action(async (args: string[], o: Flags, self: Command) => {
      const format = outputOf(self);
      const failOn = String(o.failOn);
      if (!SEVERITIES.includes(failOn)) throw new UserError(`unknown --fail-on ${failOn}`, { hint: `use ${SEVERITIES.join(', ')}` });
      const ignore = list(o.ignore)
        .flatMap((s) => s.split(','))
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean);
      const { ruleByCode, RULES } = await import('../analysis/rules/catalogue.js');
      const unknown = ignore.filter((c) => !ruleByCode(c));
      if (unknown.length)
        throw new UserError(`unknown rule code${unknown.length > 1 ? 's' : ''} in --ignore: ${unknown.join(', ')}`, {
          hint: 'see docs/rules.md',
        });
      const mesh = await meshInputs(args, o, self, 'check');
      const { inputs, render } = mesh;
      const opts = {
        layout: mesh.layout,
        ignore,
        failOn: failOn as 'error' | 'warning' | 'info',
        platform: o.platform !== false,
        render,
        allowUnchecked: o.allowUnchecked === true,
      };
      const { checkPackage, checkManifests } = await import('../analysis/check.js');
      let result;
      try {
        if (inputs.kind === 'package') result = await checkPackage(inputs.dir, opts);
        else if (inputs.kind === 'files') result = await checkManifests(inputs.files, opts);
        else result = await (await import('../analysis/check-deployment.js')).checkDeployment(opts);
      } finally {
        mesh.done();
      }
      const umbrella = await umbrellaReadOf(render, result.render?.umbrella);
      reportUmbrella(umbrella, result.render?.notRendered, format === 'text');
      const { checkReportChunks } = await import('./check-output.js');
      const { writeChunks } = await import('../report/sink.js');
      const report = { rules: RULES, color: useColor(), umbrella, namespace: render.namespace };
      await writeChunks(await checkReportChunks(result, format, report), process.stdout);
      if (result.exitCode) process.exitCode = result.exitCode;
    });
}
