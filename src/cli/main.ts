// The `bbmesh` command line: parse flags, call the library, print. Command modules are
// loaded lazily so that `render` can start Helm before anything heavy is imported.
import type { Command } from 'commander';
import { UserError, EXIT_USAGE } from '../core/errors.js';

type Register = (program: Command) => void;

// One module per sub-command (src/cli/<name>.ts, exporting `register`), imported only when
// its command runs (all of them for --help): start-up time matters for `render`.
const MODULES: Record<string, () => Promise<{ register: Register }>> = {
  render: () => import('./render.js'),
  integrate: () => import('./integrate.js'),
  check: () => import('./check.js'),
  trace: () => import('./trace.js'), // also registers `diagram`
  verify: () => import('./verify.js'),
  demo: () => import('./demo.js'),
};
const MODULE_OF: Record<string, string> = { diagram: 'trace' };

export async function main(argv: string[]): Promise<void> {
  // `bbmesh render <dir>`, plain: start Helm's stage 1 before building the flag parser.
  if (argv.length === 2 && argv[0] === 'render' && !argv[1].startsWith('-'))
    (await import('../sources/render/index.js')).startEarly(argv[1]);
  const debug = argv.includes('--debug');
  const { Command, CommanderError } = await import('commander');
  const program = new Command('bbmesh')
    .description("Big Bang's service-mesh integration, done, proven and explained: render, integrate, check, trace, verify.")
    .version(await version(), '-V, --version')
    .option('--debug', 'show stack traces and Helm commands')
    .option('--no-color', 'no colour, even on a terminal')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  // Load only the command being run (all of them for help).
  const first = argv.find((a) => !a.startsWith('-'));
  const name = first ? (MODULE_OF[first] ?? first) : undefined;
  const loaders = name && MODULES[name] ? [MODULES[name]] : Object.values(MODULES);
  for (const load of loaders) (await load()).register(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err: any) {
    process.exitCode = exitCodeFor(err, debug, CommanderError);
  }
}

function exitCodeFor(err: any, debug: boolean, CommanderError: new (...a: any[]) => { code: string }): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return EXIT_USAGE;
  }
  if (err instanceof UserError) {
    process.stderr.write(`bbmesh: ${err.format()}\n`);
    if (debug && err.stack) process.stderr.write(err.stack + '\n');
    return EXIT_USAGE;
  }
  process.stderr.write(`bbmesh: internal error: ${err?.message ?? err}\n`);
  if (debug && err?.stack) process.stderr.write(err.stack + '\n');
  else process.stderr.write('(run again with --debug for the stack trace, and please report it)\n');
  return 3;
}

async function version(): Promise<string> {
  return (await import('../core/paths.js')).toolVersion();
}
