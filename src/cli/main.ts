// The `bbmesh` command line: parse flags, call the library, print. Command modules are
// loaded lazily so that `render` can start Helm before anything heavy is imported.
import type { Command } from 'commander';
import { UserError, EXIT_USAGE, fileError, isFsError } from '../core/errors.js';
import { escapeText } from '../report/escape.js';

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
  await startRenderEarly(argv);
  quietOnClosedPipe();
  const debug = argv.includes('--debug');
  if (debug) (await import('../sources/render/helm.js')).onCommand(printCommand);
  // A promise nobody awaited that fails is still the command's failure, mapped like any other.
  process.on('unhandledRejection', (err) => process.exit(exitCodeFor(err, debug, UnknownCommanderError)));
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

/**
 * `bbmesh render <dir>` and `bbmesh check <dir>` in their plain forms start rendering before the flag
 * parser is even built (sources/render/early.ts; bin/bbmesh.js has usually started stage 1 already):
 * render its whole render, check its whole branches (Istio on and off, and the probe).
 */
async function startRenderEarly(argv: string[]): Promise<void> {
  if (argv[0] !== 'render' && argv[0] !== 'check') return;
  const sources = import('../sources/index.js');
  const { earlyForm, startEarly } = await import('../sources/render/early.js');
  startEarly(argv);
  const form = earlyForm(argv);
  if (form?.command === 'check') await (await sources).prefetchBranches(form.dir);
  else if (form?.command === 'render') await (await sources).prefetchRender(form.dir);
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

/** A message from outside bbmesh (V8, Node, a library) without what it quotes: it may be a value of a Secret. */
function withoutQuotes(message: string): string {
  return message.replace(/'[^']*'|"[^"]*"|`[^`]*`/g, '…');
}

/** The stack frames of an error, without its first line (the message, printed separately). */
function frames(err: Error): string {
  return (err.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .join('\n');
}

const SYSCALL_WORDS: Record<string, string> = {
  open: 'open',
  read: 'read',
  scandir: 'list the directory',
  opendir: 'list the directory',
  stat: 'access',
  lstat: 'access',
  readlink: 'follow the symbolic link',
  realpath: 'resolve',
  mkdir: 'create the directory',
  mkdtemp: 'create a temporary directory',
  write: 'write',
  rename: 'rename',
  unlink: 'remove',
  rm: 'remove',
  rmdir: 'remove',
  copyfile: 'copy',
  cp: 'copy',
  spawn: 'run',
};

type CommanderErrorClass = new (...a: never[]) => { code: string };
class UnknownCommanderError {
  code = '';
}

function exitCodeFor(err: unknown, debug: boolean, CommanderError: CommanderErrorClass): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return EXIT_USAGE;
  }
  if (err instanceof UserError) {
    process.stderr.write(`bbmesh: ${escapeText(err.format())}\n`);
    if (debug) process.stderr.write(escapeText(frames(err)) + '\n');
    const code = (err as UserError & { exitCode?: unknown }).exitCode;
    return typeof code === 'number' ? code : EXIT_USAGE;
  }
  // A file-system fault (permissions, a symlink loop, a name too long, a directory where a file
  // belongs) is the environment's, not a bug: exit 2 with the path and the reason.
  if (isFsError(err)) {
    const what = SYSCALL_WORDS[err.syscall ?? ''] ?? 'access';
    process.stderr.write(`bbmesh: ${escapeText(fileError(err, what).format())}\n`);
    if (debug) process.stderr.write(escapeText(frames(err)) + '\n');
    return EXIT_USAGE;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`bbmesh: internal error: ${escapeText(withoutQuotes(message))}\n`);
  if (debug && err instanceof Error) process.stderr.write(escapeText(frames(err)) + '\n');
  else process.stderr.write('(run again with --debug for the stack trace, and please report it)\n');
  return 3;
}
