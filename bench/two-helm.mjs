// The least a Node CLI can do for one two-stage render: start, then run the two raw `helm template`
// calls one after the other and exit. `node two-helm.mjs <helm> <stage1 args JSON> <stage2 args JSON>`.
import { execFileSync } from 'node:child_process';

const [helm, a, b] = process.argv.slice(2);
execFileSync(helm, JSON.parse(a), { stdio: ['ignore', 'ignore', 'inherit'] });
execFileSync(helm, JSON.parse(b), { stdio: ['ignore', 'ignore', 'inherit'] });
