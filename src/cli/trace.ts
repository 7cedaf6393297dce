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
  inputsOf,
  layoutOf,
  list,
  outputOf,
  renderOptionsFrom,
  useColor,
  write,
  type Flags,
} from './common.js';

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
  addMeshInputOptions(trace)
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
        ]),
    )
    .action(async (url: string, args: string[], o: Flags, self: Command) => {
      const format = outputOf(self);
      const layout = layoutOf(o);
      const { parseTraceUrl } = await import('../analysis/trace/index.js');
      const { tracePackage, traceManifests } = await import('../analysis/trace/run.js');
      parseTraceUrl(url);
      const inputs = inputsOf(args, o, 'trace');
      const opts = {
        method: String(o.method),
        headers: parseHeaders(list(o.header)),
        layout,
        platform: o.platform !== false,
        render: renderOptionsFrom(o),
      };
      const result = inputs.kind === 'package' ? await tracePackage(url, inputs.dir, opts) : await traceManifests(url, inputs.files, opts);
      if (format === 'json') {
        write(JSON.stringify(result, null, 2));
      } else if (format === 'mermaid') {
        const { traceToMermaid } = await import('../report/trace-mermaid.js');
        write(traceToMermaid(result));
      } else {
        const { traceToText } = await import('../report/trace-text.js');
        write(traceToText(result, { color: useColor() }));
      }
      if (!result.verdict.ok) process.exitCode = 1;
    });

  const diagram = program
    .command('diagram')
    .description(
      'One Mermaid flowchart of every externally exposed host of a package: gateway, VirtualService, routes, Services, ports, pods',
    )
    .argument('[inputs...]', INPUTS_HELP);
  addOutputOption(diagram, ['mermaid', 'json'], 'mermaid', 'mermaid, or json (hosts and their verdicts)');
  addMeshInputOptions(diagram)
    .addHelpText(
      'after',
      '\nExit status: 0 when every exposed host traces successfully, 1 when one is broken, 2 on bad usage or input.\n' +
        examples(['bbmesh diagram examples/podinfo > podinfo.mmd', 'bbmesh diagram rendered.yaml -o json']),
    )
    .action(async (args: string[], o: Flags, self: Command) => {
      const format = outputOf(self);
      const layout = layoutOf(o);
      const inputs = inputsOf(args, o, 'draw');
      const { loadMesh } = await import('../sources/index.js');
      const { buildDiagram } = await import('../analysis/trace/diagram.js');
      const input = await loadMesh(inputs, { layout, platform: o.platform !== false, render: renderOptionsFrom(o) });
      const d = buildDiagram(input.model);
      write(format === 'json' ? JSON.stringify({ schemaVersion: 1, hosts: d.hosts }, null, 2) : d.mermaid);
      if (d.hosts.some((h) => !h.ok)) process.exitCode = 1;
    });
}
