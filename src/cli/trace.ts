// `bbmesh trace <url>` and `bbmesh diagram <package-dir>`: follow a request hop by hop through the
// mesh model (package render or YAML files, plus the assumed Big Bang platform), and draw it.
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import {
  addMeshInputOptions,
  addOutputOption,
  collect,
  examples,
  INPUTS_HELP,
  list,
  outputOf,
  useColor,
  write,
  type Flags,
} from './common.js';
import { loadInputs } from './trace-input.js';
import { addUmbrellaOptions } from './umbrella-options.js';

function parseHeaders(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list) {
    const i = h.search(/[=:]/);
    if (i <= 0) throw new UserError(`bad --header ${h}`, { hint: 'use --header name=value (or name:value)' });
    out[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  return out;
}

export function register(program: Command): void {
  const trace = program
    .command('trace')
    .description(
      'Follow one request hop by hop (ingress Service, gateway, Gateway server, VirtualService, route, Service, pod, sidecar, container) and say what the client gets',
    )
    .argument('<url>', 'the URL to trace, e.g. https://podinfo.bigbang.dev/')
    .argument('[inputs...]', INPUTS_HELP)
    .option('-X, --method <method>', 'HTTP method', 'GET')
    .option('-H, --header <name=value>', 'request header (repeatable), e.g. --header x-env=dev', collect);
  addOutputOption(trace, ['text', 'json', 'mermaid'], 'text');
  addUmbrellaOptions(addMeshInputOptions(trace))
    .addHelpText(
      'after',
      '\nExit status: 0 when the request would succeed (as far as configuration goes), 1 when it fails, 2 on bad usage or input.\n' +
        "Statuses are Envoy's: 404 NR (no route), 503 NC (no cluster), 503 UH (no healthy upstream), TLS handshake failure, connection refused.\n" +
        examples([
          'bbmesh trace https://podinfo.bigbang.dev/ examples/podinfo',
          'bbmesh trace http://podinfo.bigbang.dev/ examples/podinfo -o mermaid',
          'bbmesh trace https://podinfo.bigbang.dev/ examples/podinfo -f my-values.yaml --set-string domain=bigbang.dev',
          'bbmesh trace https://podinfo.bigbang.dev/api rendered.yaml -n podinfo --header x-env=dev -X POST',
          'bbmesh render examples/podinfo | bbmesh trace https://podinfo.bigbang.dev/ - -o json',
          'bbmesh trace https://kiali.dev.bigbang.mil/ ../kiali --umbrella ~/bigbang   # the package through the real umbrella',
          'bbmesh trace https://kiali.dev.bigbang.mil/ --umbrella ~/bigbang -f env.yaml --chart kiali=../kiali   # whole deployment',
        ]),
    )
    .action(async (url: string, args: string[], o: Flags, self: Command) => {
      const format = outputOf(self);
      const { parseTraceUrl, traceRequest } = await import('../analysis/trace/index.js');
      parseTraceUrl(url);
      const headers = parseHeaders(list(o.header));
      const input = await loadInputs(args, o, self, 'trace');
      const result = traceRequest(input.mesh.model, { url, method: String(o.method), headers });
      result.layout = input.layout;
      const extra = input.umbrellaJson();
      if (format === 'json') {
        write(JSON.stringify({ ...result, ...extra }, null, 2));
      } else if (format === 'mermaid') {
        const { traceToMermaid, withMermaidComments } = await import('../report/trace-mermaid.js');
        write(withMermaidComments(traceToMermaid(result), input.comments()));
      } else {
        const { traceToText } = await import('../report/trace-text.js');
        write(traceToText(result, { color: useColor() }));
        const c = (await import('../report/common.js')).style(useColor());
        for (const l of input.umbrellaText()) write(c.dim(l));
      }
      input.report(format === 'text');
      if (!result.verdict.ok) process.exitCode = 1;
    });

  const diagram = program
    .command('diagram')
    .description(
      'One Mermaid flowchart of every externally exposed host of a package: gateway, VirtualService, routes, Services, ports, pods',
    )
    .argument('[inputs...]', INPUTS_HELP);
  addOutputOption(diagram, ['mermaid', 'json'], 'mermaid', 'mermaid, or json (hosts and their verdicts)');
  addUmbrellaOptions(addMeshInputOptions(diagram))
    .addHelpText(
      'after',
      '\nExit status: 0 when every exposed host traces successfully, 1 when one is broken, 2 on bad usage or input.\n' +
        'The Mermaid output names the layout (and with --umbrella what was read) in %% comments.\n' +
        examples([
          'bbmesh diagram examples/podinfo > podinfo.mmd',
          'bbmesh diagram rendered.yaml -o json',
          'bbmesh diagram ../kiali --umbrella ~/bigbang > kiali.mmd',
          'bbmesh diagram --umbrella ~/bigbang -f env.yaml > deployment.mmd     # every host of the whole deployment',
        ]),
    )
    .action(async (args: string[], o: Flags, self: Command) => {
      const format = outputOf(self);
      const input = await loadInputs(args, o, self, 'draw');
      const { buildDiagram } = await import('../analysis/trace/diagram.js');
      const d = buildDiagram(input.mesh.model);
      if (format === 'json') {
        write(JSON.stringify({ schemaVersion: 1, layout: input.layout, ...input.umbrellaJson(), hosts: d.hosts }, null, 2));
      } else {
        const { withMermaidComments } = await import('../report/trace-mermaid.js');
        write(withMermaidComments(d.mermaid, input.comments()));
      }
      input.report(false);
      if (d.hosts.some((h) => !h.ok)) process.exitCode = 1;
    });
}
