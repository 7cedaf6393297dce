import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { addOutputOption, addValuesOptions, examples, outputOf, write, type Flags } from './common.js';
import { meshInputs, reportUmbrella } from './mesh-input.js';
import { addUmbrellaOptions } from './umbrella-options.js';

export function register(program: Command): void {
  const cmd = program
    .command('render')
    .description('Render a Big Bang package as Flux would: the bigbang/ chart, then chart/ with the values Flux merges')
    .argument('[package-dir]', 'package directory holding bigbang/ and chart/ (with --umbrella: chart/ only; none: the whole deployment)')
    .option(
      '--show-secrets',
      'print the sensitive values of credential Secrets (registry auth, TLS keys, passwords) instead of redacting them',
    );
  addOutputOption(cmd, ['yaml', 'json'], 'yaml');
  addUmbrellaOptions(addValuesOptions(cmd))
    .addHelpText(
      'after',
      examples([
        'bbmesh render examples/podinfo',
        'bbmesh render examples/podinfo --set istio.enabled=true -o json',
        'bbmesh render . -f my-values.yaml --set-string domain=dev.bigbang.mil --set-json \'networkPolicies={"enabled":true}\'',
        'bbmesh render . --umbrella-values ~/bigbang/chart/values.yaml',
        'bbmesh render ../kiali --umbrella ~/bigbang                 # stage 1 is the real umbrella chart',
        'bbmesh render --umbrella ~/bigbang -f env.yaml > deployment.yaml   # every enabled package, from its source',
        'bbmesh render --umbrella ~/bigbang -f env.yaml --chart kiali=../kiali --offline -o json',
      ]) + '\nWith --umbrella, what was read from it (and any release that could not be rendered) is said on stderr.\n',
    )
    .action(async (dir: string | undefined, o: Flags, self: Command) => {
      const format = outputOf(self);
      if (dir === undefined && typeof o.umbrella !== 'string')
        throw new UserError('nothing to render', { hint: 'pass a package directory, or --umbrella DIR for a whole deployment' });
      if (dir === '-' || (dir !== undefined && existsSync(dir) && !statSync(dir).isDirectory()))
        throw new UserError(`render takes a package directory, not a manifest file: ${dir}`, {
          hint: 'pass the directory that holds bigbang/ and chart/ (chart/ only with --umbrella)',
        });
      const mesh = await meshInputs(dir === undefined ? [] : [dir], o, self, 'render');
      if (mesh.inputs.kind === 'files') throw new Error('render: a directory reads as files');
      const render = { ...mesh.render, showSecrets: o.showSecrets === true };
      const { renderPackage } = await import('../sources/render/index.js');
      let result;
      try {
        if (mesh.inputs.kind === 'package') {
          const { takePrefetchedRender } = await import('../sources/index.js');
          result = await (takePrefetchedRender(mesh.inputs.dir, render) ?? renderPackage(mesh.inputs.dir, render));
        } else result = await (await import('../sources/umbrella/deployment.js')).renderDeployment(render);
      } finally {
        mesh.done();
      }
      reportUmbrella(result.umbrella, result.notRendered, false);
      if (format === 'yaml') {
        write(result.text);
        return;
      }
      const { renderToJson } = await import('../report/render-json.js');
      const { umbrellaFields } = await import('../report/common.js');
      write(JSON.stringify({ ...renderToJson(result), ...umbrellaFields(result.umbrella, result.notRendered) }, null, 2));
    });
}
