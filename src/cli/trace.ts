// `bbmesh trace <url>` and `bbmesh diagram <package-dir>`: follow a request hop by hop through the
// mesh model (package render or YAML files, plus the assumed Big Bang platform), and draw it.
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { addMeshInputOptions, collect, examples, layoutOf, renderOptionsFrom, useColor, write } from './common.js';

const FORMATS = ['text', 'json', 'mermaid'];

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
    .argument('[package-dir]', 'package directory holding bigbang/ and chart/, a YAML file, or - for stdin')
    .option('-X, --method <method>', 'HTTP method', 'GET')
    .option('-H, --header <name=value>', 'request header (repeatable), e.g. --header x-env=dev', collect)
    .option('--format <format>', 'text, json or mermaid', 'text');
  addMeshInputOptions(trace, 'trace through rendered manifests from a YAML file');
  trace
    .addHelpText(
      'after',
      '\nExit status: 0 when the request would succeed (as far as configuration goes), 1 when it fails, 2 on bad usage or input.\n' +
        "Statuses are Envoy's: 404 NR (no route), 503 NC (no cluster), 503 UH (no healthy upstream), TLS handshake failure, connection refused.\n" +
        examples([
          'bbmesh trace https://podinfo.bigbang.dev/ examples/podinfo',
          'bbmesh trace http://podinfo.bigbang.dev/ examples/podinfo --format mermaid',
          'bbmesh trace https://podinfo.bigbang.dev/api -f rendered.yaml --header x-env=dev -X POST',
          'bbmesh render examples/podinfo | bbmesh trace https://podinfo.bigbang.dev/ - --format json',
        ]),
    )
    .action(async (url: string, target: string | undefined, o: Record<string, any>) => {
      if (!FORMATS.includes(o.format)) throw new UserError(`unknown --format ${o.format}`, { hint: `use ${FORMATS.join(', ')}` });
      const layout = layoutOf(o);
      const { parseTraceUrl } = await import('../analysis/trace/index.js');
      const { tracePackage, traceManifests } = await import('../analysis/trace/run.js');
      parseTraceUrl(url);
      const files: string[] = o.file ?? [];
      if (target && files.length) throw new UserError('give either a package directory or -f FILE, not both');
      if (!target && !files.length)
        throw new UserError('nothing to trace through', { hint: 'pass a package directory, -f FILE, or - for stdin' });
      const opts = {
        method: o.method,
        headers: parseHeaders(o.header ?? []),
        layout,
        platform: o.platform !== false,
        render: renderOptionsFrom(o),
      };
      let result;
      if (target && target !== '-' && existsSync(target) && statSync(target).isDirectory()) result = await tracePackage(url, target, opts);
      else if (target && target !== '-' && !existsSync(target))
        throw new UserError(`not found: ${target}`, { hint: 'pass a package directory (bigbang/ + chart/), a YAML file, or - for stdin' });
      else result = await traceManifests(url, target ? [target] : files, opts);
      if (o.format === 'json') {
        write(JSON.stringify(result, null, 2));
      } else if (o.format === 'mermaid') {
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
    .argument('[package-dir]', 'package directory holding bigbang/ and chart/, a YAML file, or - for stdin')
    .option('--format <format>', 'mermaid or json (hosts and their verdicts)', 'mermaid');
  addMeshInputOptions(diagram, 'draw from rendered manifests in a YAML file');
  diagram
    .addHelpText(
      'after',
      '\nExit status: 0 when every exposed host traces successfully, 1 when one is broken, 2 on bad usage or input.\n' +
        examples(['bbmesh diagram examples/podinfo > podinfo.mmd', 'bbmesh diagram -f rendered.yaml']),
    )
    .action(async (target: string | undefined, o: Record<string, any>) => {
      if (o.format !== 'mermaid' && o.format !== 'json')
        throw new UserError(`unknown --format ${o.format}`, { hint: 'use mermaid or json' });
      const layout = layoutOf(o);
      const files: string[] = o.file ?? [];
      if (target && files.length) throw new UserError('give either a package directory or -f FILE, not both');
      if (!target && !files.length) throw new UserError('nothing to draw', { hint: 'pass a package directory, -f FILE, or - for stdin' });
      const { loadMesh } = await import('../sources/index.js');
      const { buildDiagram } = await import('../analysis/trace/diagram.js');
      let input;
      if (target && target !== '-' && existsSync(target) && statSync(target).isDirectory())
        input = await loadMesh({ dir: target }, { layout, platform: o.platform !== false, render: renderOptionsFrom(o) });
      else if (target && target !== '-' && !existsSync(target)) throw new UserError(`not found: ${target}`);
      else input = await loadMesh({ files: target ? [target] : files }, { layout, platform: o.platform !== false });
      const d = buildDiagram(input.model);
      write(o.format === 'json' ? JSON.stringify({ schemaVersion: 1, hosts: d.hosts }, null, 2) : d.mermaid);
      if (d.hosts.some((h) => !h.ok)) process.exitCode = 1;
    });
}
