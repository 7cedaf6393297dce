// Runs a Node script as the main module and prints its peak resident memory (KB) on stderr at exit,
// for benches that compare bbmesh's memory with a floor's: `node measure.mjs <script> [args...]`.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], resolve(script), ...args];
process.on('exit', () => process.stderr.write(`\nbbmesh-bench-maxrss ${process.resourceUsage().maxRSS}\n`));
await import(pathToFileURL(resolve(script)).href);
