// `bbmesh completion bash|zsh|fish|powershell`: the shell script comes from @bomb.sh/tab, which reads
// the commander definitions (commands, flags, choices); the script asks `bbmesh complete -- <words>`
// for candidates at every TAB, so completion follows the installed version with nothing to regenerate.
import type { Command } from 'commander';
import { examples } from './common.js';

/** Adds `completion <shell>` and the hidden `complete` it calls back; every command must be registered first. */
export async function registerCompletion(program: Command): Promise<void> {
  const tab = (await import('@bomb.sh/tab/commander')).default;
  const root = tab(program, { completionCommandName: 'completion' });
  const completion = program.commands.find((c) => c.name() === 'completion');
  completion
    ?.description('Print a shell completion script (bash, zsh, fish or powershell), generated from the command definitions')
    .addHelpText(
      'after',
      examples([
        'source <(bbmesh completion bash)                       # this shell; add the line to ~/.bashrc to keep it',
        'bbmesh completion zsh > "${fpath[1]}/_bbmesh"',
        'bbmesh completion fish > ~/.config/fish/completions/bbmesh.fish',
      ]),
    );
  // Where no flag value or command name matches, let the shell complete file names: inputs and
  // values files are paths (the library always says "no file completion").
  const parse = root.parse.bind(root);
  root.parse = (args: string[]) => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (...parts: unknown[]) => void lines.push(parts.map(String).join(' '));
    try {
      parse(args);
    } finally {
      console.log = log;
    }
    const last = args[args.length - 1] ?? '';
    const candidates = lines.filter((l) => !/^:\d+$/.test(l));
    if (!candidates.length && !last.startsWith('-')) lines.splice(0, lines.length, ':0');
    process.stdout.write(lines.map((l) => `${l}\n`).join(''));
  };
}
