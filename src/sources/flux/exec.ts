// Running git and helm for the Flux sources: timed, reported to --debug, never echoing credentials.
import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import { logCommand } from '../render/helm.js';

/** Called once per finished command with its printable (redacted) command line and duration. */
export type CommandLog = (cmd: string, ms: number) => void;

export interface ExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  onCommand?: CommandLog;
}

/**
 * Hides the userinfo of URLs: `https://user:token@host` and `https://token@host` become
 * `https://***@host`. An SSH user without a password (`ssh://git@host`) is kept: it is no secret.
 */
export function redactUrls(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s:]*:[^/@\s]*@/gi, '$1***@').replace(/\b(https?:\/\/)[^/@\s]+@/gi, '$1***@');
}

/** The URL without any userinfo: the identity of a source in the cache. */
export function stripCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, (all, scheme: string) => (/^ssh:/i.test(scheme) ? all : scheme));
}

function quote(arg: string): string {
  return /^[\w@%+=:,./^{}*-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function commandLine(bin: string, args: string[]): string {
  return redactUrls([basename(bin), ...args.map(quote)].join(' '));
}

export function exec(bin: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(bin, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGTERM');
        }, opts.timeoutMs)
      : undefined;
    let done = false;
    const finish = (code: number, extra = '') => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      const line = commandLine(bin, args);
      opts.onCommand?.(line, Date.now() - started);
      logCommand(bin, args, Date.now() - started, code, line);
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') + extra, code });
    };
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => finish(127, `cannot run ${bin}: ${e.code ?? e.message}`));
    child.on('close', (code) => {
      const secs = Math.round((opts.timeoutMs ?? 0) / 1000);
      finish(timedOut ? 124 : (code ?? 1), timedOut ? `\ntimed out after ${secs}s` : '');
    });
  });
}

/** The line of a tool's error output that says what went wrong, with credentials hidden. */
export function errorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(WARNING|hint:|Use --debug)/.test(l));
  const pick = lines.find((l) => /^(fatal|error):/i.test(l)) ?? lines.find((l) => /timed out|cannot run/.test(l)) ?? lines[0] ?? 'failed';
  return redactUrls(pick.replace(/^(fatal|error):\s*/i, ''));
}

/** A failure with a one-line, user-facing reason (no package name, no hint: the caller adds those). */
export class SourceError extends Error {
  constructor(reason: string) {
    super(redactUrls(reason));
    this.name = 'SourceError';
  }
}
