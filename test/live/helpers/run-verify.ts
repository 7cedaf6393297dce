// Runs `bbmesh verify` from source (src/cli/verify.ts) the way src/cli/main.ts does, so CLI tests
// do not depend on a build or on the other commands: UserError -> one line, exit 2.
import { Command, CommanderError } from 'commander';
import { register } from '../../../src/cli/verify.js';
import { UserError } from '../../../src/core/errors.js';

const program = new Command('bbmesh')
  .exitOverride()
  .option('--debug')
  .option('--no-color')
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });
register(program);
try {
  await program.parseAsync(process.argv.slice(2), { from: 'user' });
} catch (err: any) {
  if (err instanceof CommanderError) {
    process.exitCode = ['commander.helpDisplayed', 'commander.help'].includes(err.code) ? 0 : 2;
  } else if (err instanceof UserError) {
    process.stderr.write(`bbmesh: ${err.format()}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`bbmesh: internal error: ${err?.stack ?? err}\n`);
    process.exitCode = 3;
  }
}
