// The grammar every command shares, and the small printing helpers. Inputs are positional (a
// package directory, manifest files, or `-`), as in `istioctl analyze a.yaml b.yaml`; `-f/--values`
// and `--set*` are Helm's value flags, handed to Helm as given; `-o/--output` picks the format;
// `-n/--namespace`, `--kubeconfig`, `--context`, `--request-timeout` mean what they mean to kubectl.
import { existsSync, lstatSync, statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { UserError } from '../core/errors.js';
import { escapeText } from '../report/escape.js';
import type { RenderOptions } from '../sources/render/index.js';

/** A step that failed (a download, a checksum): one line like a UserError, but exit status 1, not 2. */
export class StepFailed extends UserError {
  readonly exitCode = 1;
}

/** Parsed flags as commander hands them to an action. */
export type Flags = Record<string, unknown>;

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function list(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** A one-line note on stderr (deprecations): never mixed into the report on stdout. */
export function note(text: string): void {
  process.stderr.write(`bbmesh: ${text}\n`);
}

const VALUE_FLAGS = ['values', 'set', 'setString', 'setFile', 'setJson'] as const;

/** Helm's value flags, as `helm template` has them, for the bigbang/ chart (stage 1), plus the render knobs. */
/** Helm's value flags and the render options; `umbrella`: the command also takes --umbrella (its help says how they change). */
export function addValuesOptions(cmd: Command, umbrella = true): Command {
  const u = (text: string) => (umbrella ? text : '');
  return cmd
    .option(
      '-f, --values <file>',
      `values file for stage 1, as helm -f (repeatable): the bigbang/ chart, after its values.yaml${u('; with --umbrella the umbrella chart')}`,
      collect,
    )
    .option(
      '--set <key=value>',
      `set a stage-1 value (bigbang/ chart${u(', or with --umbrella the umbrella')}), as helm --set (repeatable)`,
      collect,
    )
    .option('--set-string <key=value>', 'set a STRING value, as helm --set-string (repeatable)', collect)
    .option('--set-file <key=path>', "set a value from a file's content, as helm --set-file (repeatable)", collect)
    .option('--set-json <key=json>', 'set a JSON value, as helm --set-json (repeatable)', collect)
    .option(
      '--umbrella-values <file>',
      `umbrella values, lowest precedence (repeatable; default: bbmesh's built-in)${u("; with --umbrella: the environment's values")}`,
      collect,
    )
    .option(
      '--package <name>',
      `package name (default: from bigbang/Chart.yaml)${u("; with --umbrella: the package key in the umbrella's values (kiali, argocd)")}`,
    )
    .option('--helm <path>', 'helm binary (default: HELM_BIN, .tools/bin/helm, `bbmesh setup`’s, then PATH)')
    .option(
      '--kube-version <v>',
      "Kubernetes version for .Capabilities (default: 1.33.0, or the highest minimum a chart's kubeVersion asks)",
    );
}

export function renderOptionsFrom(o: Flags): RenderOptions {
  const umbrella = list(o.umbrellaValues);
  return {
    umbrellaValues: umbrella.length ? umbrella : undefined,
    values: list(o.values),
    set: list(o.set),
    setString: list(o.setString),
    setFile: list(o.setFile),
    setJson: list(o.setJson),
    packageName: str(o.package),
    helm: str(o.helm),
    kubeVersion: str(o.kubeVersion),
    namespace: str(o.namespace),
  };
}

const FORMATS = new WeakMap<Command, string[]>();

/** `-o/--output <format>`; `--format` stays one release as a hidden, deprecated alias. */
export function addOutputOption(cmd: Command, formats: string[], fallback: string, help?: string): Command {
  FORMATS.set(cmd, formats);
  return cmd
    .addOption(new Option('-o, --output <format>', help ?? `output format: ${formats.join(', ')}`).choices(formats).default(fallback))
    .addOption(new Option('--format <format>', 'deprecated alias of -o/--output').hideHelp());
}

/** The chosen output format (validated). */
export function outputOf(cmd: Command): string {
  const o = cmd.opts();
  const formats = FORMATS.get(cmd) ?? [];
  const legacy = str(o.format);
  if (legacy === undefined) return String(o.output);
  note('--format is deprecated and will be removed in the next release: use -o/--output');
  if (!formats.includes(legacy)) throw new UserError(`unknown --format ${legacy}`, { hint: `use -o ${formats.join('|')}` });
  if (cmd.getOptionValueSource('output') === 'cli' && o.output !== legacy)
    throw new UserError(`-o ${String(o.output)} and --format ${legacy} disagree`, { hint: 'give -o only' });
  return legacy;
}

/** `-n/--namespace` for objects that name none, as kubectl and istioctl analyze read files. */
export function addNamespaceOption(
  cmd: Command,
  help = 'namespace of objects in manifest files that name none (default: default)',
): Command {
  return cmd.option('-n, --namespace <namespace>', help);
}

/** kubectl's connection flags (for commands that read a cluster). */
export function addKubeOptions(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: the current one)')
    .option('--request-timeout <duration>', 'give up on a single API request after this long, as kubectl: 0 (none), 30s, 1m, 2h', '0');
}

/** kubectl's `--request-timeout` value in milliseconds: a bare number is seconds; 0 means no timeout. */
export function requestTimeoutMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UserError(`bad --request-timeout ${text}`, { hint: 'use a duration such as 30s, 1m or 0 for none' });
  const scale = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000;
  return Math.round(Number(m[1]) * scale);
}

/**
 * What check, trace and diagram read: the inputs (positional), Helm's value flags for a package,
 * `-n` for manifest files, the Big Bang layout and the assumed platform.
 */
export function addMeshInputOptions(cmd: Command): Command {
  cmd
    .addOption(new Option('--file <file>', 'deprecated: pass manifest files as arguments').argParser(collect).hideHelp())
    .addOption(
      new Option(
        '--layout <layout>',
        'Big Bang layout: bb2 (1.x/2.x, the guide) or bb3 (3.x names: istiod, istio-gateway/public-ingressgateway); ' +
          "default: detected (--umbrella, chart/'s bb-common dependency, the umbrella values), else bb2",
      ).choices(['bb2', 'bb3']),
    )
    .option('--no-platform', 'do not add the assumed Big Bang platform (ingress gateway, public Gateway, public-cert)');
  addValuesOptions(cmd);
  addNamespaceOption(cmd);
  return cmd;
}

export const INPUTS_HELP =
  'a package directory (bigbang/ + chart/; with --umbrella chart/ only), or manifest files (- = stdin); ' +
  'none with --umbrella: the whole deployment';

/**
 * What the inputs name: one package directory, manifest files (`-` = stdin), or, with --umbrella and
 * no input, the whole deployment the umbrella's values enable.
 */
export type Inputs = { kind: 'package'; dir: string } | { kind: 'files'; files: string[] } | { kind: 'deployment' };

/** Resolves and checks the positional inputs (and the deprecated `--file`) against the other flags. */
export function inputsOf(args: string[], o: Flags, verb: string, command = verb): Inputs {
  const legacy = list(o.file);
  if (legacy.length) note(`--file is deprecated: pass manifest files as arguments (bbmesh ${command} a.yaml b.yaml, or - for stdin)`);
  const all = [...args, ...legacy];
  const umbrella = typeof o.umbrella === 'string';
  const hint = 'pass a package directory (bigbang/ + chart/), manifest files, - for stdin, or --umbrella DIR for a whole deployment';
  if (!all.length) {
    const values = list(o.values);
    // `check -f rendered.yaml`: -f is helm's values flag here too, which a kubectl user may not expect.
    if (!umbrella && values.length)
      throw new UserError(`nothing to ${verb}: -f ${escapeText(values[0])} is a values file (as with helm), not an input`, {
        hint: `to ${verb} manifests, name the files themselves: bbmesh ${command}${command === 'trace' ? ' URL' : ''} ${values.map(escapeText).join(' ')}`,
      });
    if (!umbrella) throw new UserError(`nothing to ${verb}`, { hint });
    if (o.namespace !== undefined)
      throw new UserError('-n/--namespace applies to manifest files', {
        hint: "a deployment's objects take the namespaces Flux gives them (each HelmRelease's targetNamespace)",
      });
    return { kind: 'deployment' };
  }
  // A dangling symlink or a loop is a file the reader names precisely (files.ts); only a missing path stops here.
  const present = (a: string) => existsSync(a) || lstatSync(a, { throwIfNoEntry: false }) !== undefined;
  for (const a of all) if (a !== '-' && !present(a)) throw new UserError(`not found: ${a}`, { hint });
  if (all.filter((a) => a === '-').length > 1) throw new UserError('stdin (-) given twice');
  const dirs = all.filter((a) => a !== '-' && existsSync(a) && statSync(a).isDirectory());
  if (dirs.length) {
    if (all.length > 1) throw new UserError(`give one package directory, or manifest files, not ${all.join(' ')}`, { hint });
    if (o.namespace !== undefined)
      throw new UserError('-n/--namespace applies to manifest files', {
        hint: "a package's objects take the namespaces Flux gives them (the HelmRelease's targetNamespace)",
      });
    return { kind: 'package', dir: dirs[0] };
  }
  // With --umbrella the value flags are the umbrella's (domain, gateways and layout of the platform).
  const valueFlags = VALUE_FLAGS.filter((k) => list(o[k]).length);
  if (valueFlags.length && !umbrella)
    throw new UserError('-f/--values and --set* are values for rendering a package directory; manifest files are read as they are', {
      hint: 'pass the package directory, or render first: bbmesh render pkg -f vals.yaml | bbmesh check -',
    });
  return { kind: 'files', files: all };
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
