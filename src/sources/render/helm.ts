// Finding and running the real `helm`. We never render templates ourselves.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError, fsReason } from '../../core/errors.js';
import { limitAmount, overLimit } from '../../core/limits.js';
import { PROJECT_ROOT } from '../../core/paths.js';

export { PROJECT_ROOT };

export const HOW_TO_GET =
  'run `bbmesh setup` to install the pinned Helm, install Helm 3.12+ (https://helm.sh/docs/intro/install/), or pass --helm PATH / set HELM_BIN';

/** Where `bbmesh setup` puts Helm: `$XDG_DATA_HOME/bbmesh/bin` (default ~/.local/share/bbmesh/bin). */
export function dataBinDir(): string {
  const xdg = process.env.XDG_DATA_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.local', 'share'), 'bbmesh', 'bin');
}

/** Why `bin` cannot be run as Helm, or undefined when it can: it exists, is a file, and is executable. */
function unusable(bin: string): string | undefined {
  let st;
  try {
    st = statSync(bin);
  } catch (err) {
    return fsReason(err);
  }
  if (st.isDirectory()) return 'it is a directory';
  if (!st.isFile()) return 'it is not a regular file';
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    return 'it is not executable (chmod +x it)';
  }
  return undefined;
}

function usable(bin: string, where: string): string {
  const why = unusable(bin);
  if (why) throw new UserError(`cannot use helm at ${where}: ${why}`, { hint: HOW_TO_GET });
  return bin;
}

/** Order: --helm PATH, HELM_BIN, .tools/bin/helm (bbmesh's own, then the current directory's), `bbmesh setup`'s, PATH. */
export function findHelm(explicit?: string): string {
  if (explicit) return usable(resolve(explicit), `--helm ${explicit}`);
  const env = process.env.HELM_BIN;
  if (env) return usable(env, `HELM_BIN=${env}`);
  for (const c of [join(PROJECT_ROOT, '.tools', 'bin', 'helm'), join(process.cwd(), '.tools', 'bin', 'helm'), join(dataBinDir(), 'helm')]) {
    if (existsSync(c)) return usable(c, c);
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && !unusable(join(dir, 'helm'))) return join(dir, 'helm');
  }
  throw new UserError('helm was not found', { hint: HOW_TO_GET });
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Told of every finished external command (Helm, git): its printable command line, duration and exit code. */
export type CommandListener = (command: string, ms: number, code: number) => void;
let listener: CommandListener | undefined;

/** `--debug` sets one; undefined removes it. */
export function onCommand(l: CommandListener | undefined): void {
  listener = l;
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./^{}*-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Reports a finished command to the listener; `line` when the caller already made a printable (redacted) one. */
export function logCommand(bin: string, args: string[], ms: number, code: number, line?: string): void {
  listener?.(line ?? [bin, ...args].map(quoteArg).join(' '), ms, code);
}

/** Why a spawn failed, in words: `permission denied (EACCES)`. */
function spawnFailure(bin: string, e: NodeJS.ErrnoException): UserError {
  const why = e.code === 'ENOEXEC' ? 'not an executable (no #! line, or built for another system)' : fsReason(e);
  return new UserError(`cannot run ${bin}: ${why}`, { hint: HOW_TO_GET });
}

/**
 * Runs `bin` and collects its output. A failure to start rejects with a UserError (exit 2); the
 * rejection is marked handled here, so a run nobody awaits yet (render starts Helm early) never
 * ends the process as an unhandled rejection with a stack trace.
 */
export function run(bin: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  const started = Date.now();
  const p = new Promise<RunResult>((res, rej) => {
    let child;
    try {
      child = spawn(bin, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: opts.timeoutMs });
    } catch (e) {
      rej(spawnFailure(bin, e as NodeJS.ErrnoException));
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const max = limitAmount('input');
    let size = 0;
    child.stdout.on('data', (b: Buffer) => {
      size += b.length;
      if (size <= max) out.push(b);
      else if (!child.killed) {
        child.kill('SIGKILL');
        rej(overLimit('input', {}, `${bin} ${args.slice(0, 2).join(' ')} printed more than ${max.toLocaleString('en-US')} bytes`));
      }
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => rej(spawnFailure(bin, e)));
    child.on('close', (code, signal) => {
      logCommand(bin, args, Date.now() - started, code ?? 1);
      res({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8') + (signal ? `\n(killed by ${signal})` : ''),
        code: code ?? 1,
      });
    });
  });
  p.catch(() => undefined);
  return p;
}

/** `helm version` answers at once; one that hangs is not a working Helm. */
const VERSION_TIMEOUT_MS = 20_000;

const checked = new Map<string, Promise<string>>();

/** 64-bit FNV-1a of a string, as 16 hex digits: a file name, not a secret (node:crypto costs 9 ms to load). */
export function nameHash(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x050c5d1f;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h1 >>> 15);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

/** A per-binary memo in the temp dir, keyed by path, size and mtime: checked once, not on every run. */
function memoFile(bin: string): string | undefined {
  try {
    const st = statSync(bin);
    return join(tmpdir(), `bbmesh-helm-${nameHash(`${resolve(bin)}:${st.size}:${st.mtimeMs}`)}`);
  } catch {
    return undefined;
  }
}

/** Checks that `bin` is Helm 3.12+ or 4.x (once per binary); resolves to its version. */
export function checkHelmVersion(bin: string): Promise<string> {
  let p = checked.get(bin);
  const memo = memoFile(bin);
  if (!p && memo && existsSync(memo)) {
    const v = readFileSync(memo, 'utf8').trim();
    if (/^v\d+\.\d+\.\d+/.test(v)) p = Promise.resolve(v);
  }
  if (!p) {
    p = run(bin, ['version', '--short'], { timeoutMs: VERSION_TIMEOUT_MS }).then((r) => {
      const m = /^v(\d+)\.(\d+)\.(\d+)/.exec(r.stdout.trim());
      if (r.code !== 0 || !m) {
        const said = (r.stderr.trim() || r.stdout.trim()).split('\n')[0].slice(0, 200);
        const how = r.code !== 0 ? `exited with status ${r.code}` : 'printed no version';
        throw new UserError(`${bin} is not a working Helm: \`${bin} version --short\` ${how}${said ? `: ${said}` : ''}`, {
          hint: HOW_TO_GET,
        });
      }
      const [maj, min] = [Number(m[1]), Number(m[2])];
      if (!(maj === 4 || (maj === 3 && min >= 12))) {
        throw new UserError(`helm ${m[0]} at ${bin} is too old: bbmesh needs Helm 3.12+ or 4.x`, {
          hint: `upgrade it: ${HOW_TO_GET}`,
        });
      }
      if (memo) {
        try {
          writeFileSync(memo, m[0]);
        } catch {
          /* a memo is optional */
        }
      }
      return m[0];
    });
    p.catch(() => undefined); // awaited later (render starts Helm first): never an unhandled rejection
    checked.set(bin, p);
  }
  return p;
}

/**
 * Helm's message, readable and safe to print: a path that repeats itself (a symlink loop) once
 * with `…`; in a YAML parse error, nothing the parser quotes from the document (it may be a Secret).
 */
function shortened(msg: string): string {
  let out = msg.replace(/((?:\/[^/\s]+){1,4}?)\1{2,}/g, '$1$1/…');
  if (/YAML parse error/.test(out)) out = out.replace(/'[^']*'|"[^"]*"|`[^`]*`/g, '…').replace(/map\[.*$/, 'map[…]');
  return out.length > 600 ? `${out.slice(0, 600)}…` : out;
}

/** Turns Helm's error output into one line that names the template file and line. */
export function helmErrorMessage(stderr: string, chartDir: string): UserError {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('WARNING') && !/^Use --debug/.test(l));
  // Helm's complete message: the Error line and what follows it (a schema failure lists every field after it).
  const first = Math.max(
    0,
    lines.findIndex((l) => l.startsWith('Error:')),
  );
  let msg = shortened((lines.slice(first).join(' ') || 'helm template failed').replace(/^Error:\s*/, ''));
  if (/requires kubeVersion/.test(msg)) msg += '; pass --kube-version <version> to render for that Kubernetes release';
  // e.g. "execution error at (podinfo/templates/x.yaml:6:8): need .Values.foo"
  //      "template: podinfo/templates/x.yaml:12:3: executing ... "
  //      "YAML parse error on podinfo/templates/x.yaml: error converting YAML to JSON: yaml: line 7: ..."
  const m =
    /\(([^():\s]+\.(?:ya?ml|tpl|txt)):(\d+):(\d+)\)/.exec(msg) ??
    /([\w./-]+\/templates\/[\w./-]+\.(?:ya?ml|tpl)):(\d+)(?::(\d+))?/.exec(msg);
  if (m) {
    const file = join(chartDir, m[1].split('/').slice(1).join('/'));
    return new UserError(`helm template failed: ${msg}`, {
      file,
      line: Number(m[2]),
      column: m[3] ? Number(m[3]) : undefined,
      hint: 'fix the template or the values it reads',
    });
  }
  const y = /YAML parse error on ([^:]+): .*?line (\d+)/.exec(msg);
  if (y) {
    const file = join(chartDir, y[1].split('/').slice(1).join('/'));
    return new UserError(`helm template failed: ${msg}`, { file, hint: `the template renders invalid YAML at rendered line ${y[2]}` });
  }
  return new UserError(`helm template failed in ${chartDir}: ${msg}`);
}
