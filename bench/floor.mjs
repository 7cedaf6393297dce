// The floor of `bbmesh check <stream>`: the fastest plain parse of the same stream (js-yaml loadAll).
import { readFileSync } from 'node:fs';
import jsyaml from 'js-yaml';

const docs = jsyaml.loadAll(readFileSync(process.argv[2], 'utf8'));
if (!docs.length) process.exit(1);
