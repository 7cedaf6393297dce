// Running the built CLI without blocking the test process (its servers on 127.0.0.1 keep answering),
// and validating a JSON output against its published schema.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { ROOT, type CliResult } from './pkg.js';

/** `cli` of pkg.ts, asynchronously; killed after `timeoutMs`. */
export function cliAsync(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'bbmesh.js'), ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? -1, stdout, stderr });
    });
  });
}

const Ajv = Ajv2020 as unknown as new (o: Record<string, unknown>) => {
  compile(schema: unknown): ValidateFunction;
  errorsText(e: unknown, o: Record<string, unknown>): string;
};
const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<string, ValidateFunction>();

/** Parses `text` and asserts it follows schemas/<name>.schema.json; returns the parsed document. */
export function validJson(
  name: 'check' | 'render' | 'trace' | 'verify' | 'integrate' | 'diagram' | 'demo',
  text: string,
): Record<string, unknown> {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', `${name}.schema.json`), 'utf8')));
    compiled.set(name, validate);
  }
  const data = JSON.parse(text) as Record<string, unknown>;
  assert.ok(validate(data), `${name}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
  return data;
}
