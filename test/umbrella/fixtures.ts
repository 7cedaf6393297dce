// The sources a whole-deployment render fetches: each package of test/fixtures/umbrella/packages as a
// bare git repository on a file:// URL (tagged with its chart version; dashboard at 1.2.0, 1.2.3 and
// 1.3.0), whoami packaged into a Helm repository served on 127.0.0.1, and the environment values file
// that points the fixture umbrella at them.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { findHelm } from '../../src/sources/render/helm.js';
import { mergeValues } from '../../src/sources/render/values.js';
import { git, serveDir } from '../sources/flux/fixtures.js';

export const FIXTURE = fileURLToPath(new URL('../fixtures/umbrella/', import.meta.url));
export const UMBRELLA = join(FIXTURE, 'bigbang');
export const PACKAGES = join(FIXTURE, 'packages');

export interface Sources {
  root: string;
  /** file:// URL of each package repository. */
  urls: Record<'istiod' | 'istio-gateway' | 'podinfo' | 'dashboard', string>;
  /** Commit of each dashboard version, and of the others' only commit. */
  commits: Record<string, string>;
  helmRepo: { url: string; server: Server };
  /** The environment values file pointing the umbrella at these sources. */
  env: string;
}

function versionChart(dir: string, version: string): void {
  const f = join(dir, 'chart', 'Chart.yaml');
  writeFileSync(
    f,
    readFileSync(f, 'utf8')
      .replace(/^version: .*$/m, `version: ${version}`)
      .replace(/^appVersion: .*$/m, `appVersion: ${version}`),
  );
}

function repository(root: string, name: string, versions: string[], commits: Record<string, string>): string {
  const bare = join(root, 'git', `${name}.git`);
  const work = join(root, 'work', name);
  mkdirSync(work, { recursive: true });
  git(root, 'init', '-q', '--bare', bare);
  git(work, 'init', '-q', '-b', 'main');
  cpSync(join(PACKAGES, name, 'chart'), join(work, 'chart'), { recursive: true });
  writeFileSync(join(work, 'README.md'), `# ${name}\n`);
  for (const v of versions) {
    versionChart(work, v);
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', `${name} ${v}`);
    git(work, 'tag', '-a', '-m', v, v);
    commits[`${name}@${v}`] = git(work, 'rev-parse', 'HEAD');
  }
  git(work, 'push', '-q', '--tags', bare, 'main');
  return `file://${bare}`;
}

/** Values for the umbrella: the package repositories and the Helm repository of this fixture. */
export function envValues(s: Pick<Sources, 'urls' | 'helmRepo'>, ...extra: Record<string, unknown>[]): Record<string, unknown> {
  const base: Record<string, unknown> = {
    helmRepositories: [{ name: 'registry1', repository: s.helmRepo.url }],
    istiod: { git: { repo: s.urls.istiod } },
    istioGateway: { git: { repo: s.urls['istio-gateway'] } },
    podinfo: { git: { repo: s.urls.podinfo } },
    addons: { dashboard: { git: { repo: s.urls.dashboard } }, whoami: { enabled: true } },
  };
  return extra.reduce((acc, e) => mergeValues(acc, e), base);
}

export function writeValues(file: string, values: Record<string, unknown>): string {
  writeFileSync(file, yaml.dump(values));
  return file;
}

export async function makeSources(root: string, lifetimeMs = 120_000): Promise<Sources> {
  const commits: Record<string, string> = {};
  const urls = {
    istiod: repository(root, 'istiod', ['1.29.0-bb.0'], commits),
    'istio-gateway': repository(root, 'istio-gateway', ['1.29.0-bb.0'], commits),
    podinfo: repository(root, 'podinfo', ['6.9.0-bb.0'], commits),
    dashboard: repository(root, 'dashboard', ['1.2.0', '1.2.3', '1.3.0'], commits),
  };
  const charts = join(root, 'charts');
  mkdirSync(charts, { recursive: true });
  const helm = findHelm();
  execFileSync(helm, ['package', join(PACKAGES, 'whoami', 'chart'), '-d', charts], { stdio: 'ignore' });
  execFileSync(helm, ['repo', 'index', charts], { stdio: 'ignore' });
  const served = await serveDir(charts, lifetimeMs);
  const helmRepo = { url: served.url, server: served.server };
  const env = writeValues(join(root, 'env.yaml'), envValues({ urls, helmRepo }));
  return { root, urls, commits, helmRepo, env };
}

/** A copy of test/fixtures/umbrella/packages/<name> (chart/ only) in `root`. */
export function packageCopy(root: string, name: string, as = name): string {
  const dir = join(root, as);
  cpSync(join(PACKAGES, name), dir, { recursive: true });
  return dir;
}

/** A self-signed certificate for `names` (openssl), as PEM texts. */
export function certificate(root: string, names: string[]): { cert: string; key: string } {
  const key = join(root, `key-${names[0].replace(/\W/g, '_')}.pem`);
  const crt = join(root, `crt-${names[0].replace(/\W/g, '_')}.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '30',
      '-subj',
      `/CN=${names[0]}`,
      '-addext',
      `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
      '-keyout',
      key,
      '-out',
      crt,
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(crt, 'utf8'), key: readFileSync(key, 'utf8') };
}

/** Environment values giving the public gateway a certificate for `names`. */
export function publicCert(root: string, names: string[]): Record<string, unknown> {
  const { cert, key } = certificate(root, names);
  return { istioGateway: { values: { gateways: { public: { gatewayCerts: [{ name: 'public-cert', tls: { cert, key } }] } } } } };
}

export const UMBRELLA_2X = join(FIXTURE, 'bigbang-2x');

/** The sources of the 2.x umbrella (Istio operator, controlplane, podinfo) and its environment values. */
export function makeSources2x(root: string): { env: string; commits: Record<string, string> } {
  const commits: Record<string, string> = {};
  const values = {
    istioOperator: { git: { repo: repository(root, 'istio-operator', ['1.20.4-bb.0'], commits) } },
    istio: { git: { repo: repository(root, 'istio-controlplane', ['1.20.4-bb.0'], commits) } },
    podinfo: { enabled: true, git: { repo: repository(root, 'podinfo', ['6.5.0-bb.0'], commits) } },
  };
  return { env: writeValues(join(root, 'env-2x.yaml'), values), commits };
}
