// Installing bbmesh as a user (or an image build) would: the packed tarball, made once for a given
// content and shared by the test files that install it (they run in separate processes), npm from the
// local cache first, and an environment with no Helm in it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from './pkg.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function sh(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number; timeoutMs?: number } = {},
): Run {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    timeout: opts.timeoutMs ?? 240_000,
    uid: opts.uid,
    gid: opts.gid,
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

/** npm from the local cache first (the project's dependencies are in it), the registry only if it must. */
export function npm(args: string[], cwd: string, env?: NodeJS.ProcessEnv): Run {
  const offline = sh('npm', [...args, '--offline', '--no-audit', '--no-fund'], { cwd, env });
  return offline.code === 0 ? offline : sh('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], { cwd, env });
}

/** Every file `npm pack` ships (package.json `files`), for the content key of the tarball. */
function packedFiles(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
  const out: string[] = [join(ROOT, 'package.json')];
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) for (const n of readdirSync(p).sort()) walk(join(p, n));
    else out.push(p);
  };
  for (const f of pkg.files) walk(join(ROOT, f));
  return out;
}

/**
 * `npm pack --ignore-scripts` of the built tree, made once per content: the install and Containerfile
 * tests share it. Packed under a per-checkout directory of the system's temp dir (older packs of this
 * checkout are removed); the rename makes a pack appear whole or not at all.
 */
export function packedTarball(): string {
  const hash = createHash('sha256');
  for (const f of packedFiles()) hash.update(f).update('\0').update(readFileSync(f));
  const key = hash.digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `bbmesh-pack-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`);
  const tgz = join(dir, `bbmesh-${key}.tgz`);
  if (existsSync(tgz)) return tgz;
  const staging = mkdtempSync(join(tmpdir(), 'bbmesh-pack-staging-'));
  try {
    const packed = npm(['pack', '--ignore-scripts', '--pack-destination', staging], ROOT);
    if (packed.code !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
    const made = readdirSync(staging).find((f) => /^bbmesh-.*\.tgz$/.test(f));
    if (!made) throw new Error('npm pack wrote no bbmesh-*.tgz');
    mkdirSync(dir, { recursive: true });
    for (const old of readdirSync(dir)) if (old !== `bbmesh-${key}.tgz`) rmSync(join(dir, old), { force: true });
    renameSync(join(staging, made), tgz);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return tgz;
}

/** `npm install -g --prefix <prefix> <tgz> [...extra]`; the installed package directory. */
export function installGlobal(tgz: string, prefix: string, extra: string[] = []): { dir: string; run: Run } {
  const run = npm(['install', '--global', '--prefix', prefix, ...extra, tgz], dirname(tgz));
  return { dir: join(prefix, 'lib', 'node_modules', 'bbmesh'), run };
}

/** The process environment without HELM_BIN, and a PATH of `dirs` plus Node's and the system's. */
export function envWithoutHelm(dirs: string[], extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { HELM_BIN: _ignored, ...inherited } = process.env;
  return { ...inherited, PATH: [...dirs, dirname(process.execPath), '/usr/bin', '/bin'].join(':'), NO_COLOR: '1', ...extra };
}
