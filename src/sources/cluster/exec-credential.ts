// The kubeconfig's exec credential plugin (users[].user.exec), run by bbmesh instead of the client
// library so that it is bounded: a plugin that hangs is killed at the request timeout and can never
// keep the process alive after the report. The credential stays in memory; errors never quote it.
import { spawn } from 'node:child_process';

export interface ExecConfig {
  command?: unknown;
  args?: unknown;
  env?: unknown;
  apiVersion?: unknown;
}

export interface ExecCredential {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  /** ms since the epoch; undefined: valid for the whole run. */
  expiresAt?: number;
}

export class CredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialError';
  }
}

const MAX_OUTPUT = 1024 * 1024;

/** Runs the plugin once; rejects with a CredentialError naming the plugin and what went wrong. */
export function runExecPlugin(exec: ExecConfig, timeoutMs: number): Promise<ExecCredential> {
  const command = typeof exec.command === 'string' ? exec.command : '';
  const label = `the kubeconfig's credential plugin ${command || '(no command)'}`;
  if (!command) return Promise.reject(new CredentialError(`${label}: users[].user.exec has no command`));
  const args = Array.isArray(exec.args) ? exec.args.map(String) : [];
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (Array.isArray(exec.env)) {
    for (const e of exec.env as Array<{ name?: unknown; value?: unknown }>)
      if (typeof e?.name === 'string') env[e.name] = String(e.value ?? '');
  }
  const apiVersion = typeof exec.apiVersion === 'string' ? exec.apiVersion : 'client.authentication.k8s.io/v1';
  env.KUBERNETES_EXEC_INFO = JSON.stringify({ apiVersion, kind: 'ExecCredential', spec: { interactive: false } });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const finish = (err: Error | undefined, cred?: ExecCredential) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(cred!);
    };
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            // Kill it and let go of its pipes: nothing of it may hold the event loop.
            child.kill('SIGKILL');
            child.stdout.destroy();
            child.stderr.destroy();
            child.unref();
            finish(new CredentialError(`${label} gave no answer within ${timeoutMs / 1000} s (--request-timeout)`));
          }, timeoutMs)
        : undefined;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < MAX_OUTPUT) stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 4096) stderr += d;
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ENOENT' ? 'was not found (install it, or fix users[].user.exec.command)' : `failed to start (${err.code})`;
      finish(new CredentialError(`${label} ${why}`));
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      if (code !== 0) {
        const said = stderr.split('\n').find((l) => l.trim()) ?? '';
        return finish(
          new CredentialError(`${label} exited with ${signal ?? `code ${code}`}${said ? `: ${said.trim().slice(0, 200)}` : ''}`),
        );
      }
      try {
        finish(undefined, parseCredential(stdout));
      } catch (err) {
        finish(new CredentialError(`${label} printed no ExecCredential: ${(err as Error).message}`));
      }
    });
  });
}

function parseCredential(text: string): ExecCredential {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    throw new Error('its output is not JSON');
  }
  const status = (obj as { status?: Record<string, unknown> } | null)?.status;
  if (!status || typeof status !== 'object') throw new Error('no status');
  const str = (k: string) => (typeof status[k] === 'string' && status[k] ? (status[k] as string) : undefined);
  const cred: ExecCredential = {
    token: str('token'),
    clientCertificateData: str('clientCertificateData'),
    clientKeyData: str('clientKeyData'),
  };
  const exp = str('expirationTimestamp');
  if (exp && Number.isFinite(Date.parse(exp))) cred.expiresAt = Date.parse(exp);
  if (!cred.token && !(cred.clientCertificateData && cred.clientKeyData)) throw new Error('neither a token nor a client certificate');
  return cred;
}
