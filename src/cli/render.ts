import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { addRenderOptions, examples, renderOptionsFrom, write } from './common.js';

export function register(program: Command): void {
  const cmd = program
    .command('render')
    .description('Render a Big Bang package as Flux would: the bigbang/ chart, then chart/ with the values Flux merges')
    .argument('<package-dir>', 'package directory holding bigbang/ and chart/')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .option(
      '--show-secrets',
      'print the sensitive values of credential Secrets (registry auth, TLS keys, passwords) instead of redacting them',
    );
  addRenderOptions(cmd)
    .addHelpText(
      'after',
      examples([
        'bbmesh render examples/podinfo',
        'bbmesh render examples/podinfo --set istio.enabled=true -o json',
        'bbmesh render . --umbrella-values ~/bigbang/chart/values.yaml -f bigbang/values.yaml',
      ]),
    )
    .action(async (dir: string, o: Record<string, any>) => {
      if (o.output !== 'yaml' && o.output !== 'json') throw new UserError(`unknown --output ${o.output}`, { hint: 'use yaml or json' });
      const { renderPackage } = await import('../sources/render/index.js');
      const result = await renderPackage(dir, { ...renderOptionsFrom(o), showSecrets: o.showSecrets === true });
      if (o.output === 'yaml') {
        write(result.text);
        return;
      }
      const { renderToJson } = await import('../report/render-json.js');
      write(JSON.stringify(renderToJson(result), null, 2));
    });
}
