// The `bbmesh` command line: parse flags, call the library, print. Command modules are
// loaded lazily so that `render` can start Helm before anything heavy is imported.
import type { Command } from 'commander';
import { UserError, EXIT_USAGE } from '../core/errors.js';

type Register = (program: Command) => void;

// One module per sub-command (src/cli/<name>.ts, exporting `register`), imported only when
// its command runs (all of them for --help and completion): start-up time matters for `render`.
const MODULES: Record<string, () => Promise<{ register: Register }>> = {
  render: () => import('./render.js'),
  integrate: () => import('./integrate.js'),
  check: () => import('./check.js'),
  trace: () => import('./trace.js'), // also registers `diagram`
  verify: () => import('./verify.js'),
  demo: () => import('./demo.js'),
  setup: () => import('./setup.js'),
  version: () => import('./version.js'),
};
const MODULE_OF: Record<string, string> = { diagram: 'trace' };

export async function main(argv: string[]): Promise<void> {
  // `bbmesh render <dir>`, plain: start Helm's stage 1 before building the flag parser.
  if (argv.length === 2 && argv[0] === 'render' && !argv[1].startsWith('-'))
    (await import('../sources/render/index.js')).startEarly(argv[1]);
  quietOnClosedPipe();
  const debug = argv.includes('--debug');
  if (debug) (await import('../sources/render/helm.js')).onCommand(printCommand);
  const { Command, CommanderError } = await import('commander');
  const program = new Command('bbmesh')
    .description("Big Bang's service-mesh integration, done, proven and explained: render, integrate, check, trace, diagram, verify.")
    .version((await import('../core/paths.js')).toolVersion(), '-V, --version')
    .option('--debug', 'show stack traces, and every Helm and git command with its duration')
    .option('--no-color', 'no colour, even on a terminal')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      // commander's own usage errors look like every other bbmesh error
      outputError: (s, write) => write(s.replace(/^error: /, 'bbmesh: ')),
    });
  const first = argv.find((a) => !a.startsWith('-'));
  const name = first ? (MODULE_OF[first] ?? first) : undefined;
  const one = name !== undefined && MODULES[name] !== undefined;
  for (const load of one ? [MODULES[name]] : Object.values(MODULES)) (await load()).register(program);
  if (!one) await (await import('./completion.js')).registerCompletion(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    process.exitCode = exitCodeFor(err, debug, CommanderError);
  }
}

function printCommand(command: string, ms: number, code: number): void {
  process.stderr.write(`bbmesh --debug: ${command}  (${ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`}, exit ${code})\n`);
}

/** `bbmesh check --help | head -1`: the reader went away; stop quietly, as cat and grep do. */
function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    });
}

function exitCodeFor(err: unknown, debug: boolean, CommanderError: new (...a: never[]) => { code: string }): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return EXIT_USAGE;
  }
  const stack = err instanceof Error ? err.stack : undefined;
  if (err instanceof UserError) {
    process.stderr.write(`bbmesh: ${err.format()}\n`);
    if (debug && stack) process.stderr.write(stack + '\n');
    const code = (err as UserError & { exitCode?: unknown }).exitCode;
    return typeof code === 'number' ? code : EXIT_USAGE;
  }
  process.stderr.write(`bbmesh: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
  if (debug && stack) process.stderr.write(stack + '\n');
  else process.stderr.write('(run again with --debug for the stack trace, and please report it)\n');
  return 3;
}
