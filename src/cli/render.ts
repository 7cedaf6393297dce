import type { Command } from 'commander';
import { addOutputOption, addValuesOptions, examples, outputOf, renderOptionsFrom, write, type Flags } from './common.js';

export function register(program: Command): void {
  const cmd = program
    .command('render')
    .description('Render a Big Bang package as Flux would: the bigbang/ chart, then chart/ with the values Flux merges')
    .argument('<package-dir>', 'package directory holding bigbang/ and chart/')
    .option(
      '--show-secrets',
      'print the sensitive values of credential Secrets (registry auth, TLS keys, passwords) instead of redacting them',
    );
  addOutputOption(cmd, ['yaml', 'json'], 'yaml');
  addValuesOptions(cmd)
    .addHelpText(
      'after',
      examples([
        'bbmesh render examples/podinfo',
        'bbmesh render examples/podinfo --set istio.enabled=true -o json',
        'bbmesh render . -f my-values.yaml --set-string domain=dev.bigbang.mil --set-json \'networkPolicies={"enabled":true}\'',
        'bbmesh render . --umbrella-values ~/bigbang/chart/values.yaml',
      ]),
    )
    .action(async (dir: string, o: Flags, self: Command) => {
      const format = outputOf(self);
      const { renderPackage } = await import('../sources/render/index.js');
      const result = await renderPackage(dir, { ...renderOptionsFrom(o), showSecrets: o.showSecrets === true });
      if (format === 'yaml') {
        write(result.text);
        return;
      }
      const { renderToJson } = await import('../report/render-json.js');
      write(JSON.stringify(renderToJson(result), null, 2));
    });
}
