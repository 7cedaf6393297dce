// Flags shared by several commands, and the small printing helpers every command uses.
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import type { RenderOptions } from '../sources/render/index.js';

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The render flags of `bbmesh render`, reused by check, trace and diagram. */
export function addRenderOptions(cmd: Command): Command {
  return cmd
    .option('--umbrella-values <file>', "umbrella chart values, lowest precedence (repeatable; default: bbmesh's built-in)", collect)
    .option('-f, --values <file>', 'extra values for the bigbang/ chart, after bigbang/values.yaml (repeatable)', collect)
    .option('--set <key=value>', 'set a bigbang/ chart value, like helm --set (repeatable)', collect)
    .option('--package <name>', 'package name (default: from bigbang/Chart.yaml)')
    .option('--helm <path>', 'helm binary (default: HELM_BIN, .tools/bin/helm, then PATH)')
    .option(
      '--kube-version <v>',
      "Kubernetes version for .Capabilities (default: 1.33.0, or the highest minimum a chart's kubeVersion asks)",
    );
}

/**
 * For commands that read either a package or rendered manifests (check, trace, diagram):
 * `-f` names a manifest file, as in istioctl analyze and kubectl; the bigbang/ values files
 * keep their long form `--values`. Call after adding a `--file` option and the render options.
 */
export function manifestFileFlag(cmd: Command): void {
  const values = cmd.options.find((o) => o.long === '--values');
  if (values) {
    values.short = undefined;
    values.flags = '--values <file>';
  }
  const file = cmd.options.find((o) => o.long === '--file');
  if (file) {
    file.short = '-f';
    file.flags = '-f, --file <file>';
  }
}

/**
 * What check, trace and diagram read: `[package-dir]`, `-f FILE` (repeatable, `-` = stdin),
 * the Big Bang layout and the assumed platform, plus the render options for a package.
 */
export function addMeshInputOptions(cmd: Command, fileHelp: string): Command {
  cmd
    .option('--file <file>', `${fileHelp} (repeatable; - = stdin)`, collect)
    .option(
      '--layout <layout>',
      'Big Bang layout: bb2 (1.x/2.x, the guide) or bb3 (3.x names: istiod, istio-gateway/public-ingressgateway)',
      'bb2',
    )
    .option('--no-platform', 'do not add the assumed Big Bang platform (ingress gateway, public Gateway, public-cert)');
  addRenderOptions(cmd);
  manifestFileFlag(cmd);
  return cmd;
}

/** The validated `--layout`. */
export function layoutOf(o: Record<string, any>): 'bb2' | 'bb3' {
  if (o.layout !== 'bb2' && o.layout !== 'bb3')
    throw new UserError(`unknown --layout ${o.layout}`, { hint: 'use bb2 (Big Bang 1.x/2.x) or bb3 (Big Bang 3.x)' });
  return o.layout;
}

export function renderOptionsFrom(o: Record<string, any>): RenderOptions {
  return {
    umbrellaValues: o.umbrellaValues?.length ? o.umbrellaValues : undefined,
    values: o.values ?? [],
    set: o.set ?? [],
    packageName: o.package,
    helm: o.helm,
    kubeVersion: o.kubeVersion,
  };
}

/** Colour only on a TTY, never with NO_COLOR or --no-color. */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.argv.includes('--no-color')) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

export function write(text: string): void {
  process.stdout.write(text.endsWith('\n') || text === '' ? text : text + '\n');
}

/** Examples block for --help. */
export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}
