// Builds the sources the Flux tests resolve: a bare Git repository with Big Bang-style tags and a
// branch, and a Helm chart repository (helm package + helm repo index) served on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join, normalize } from 'node:path';
import type { K8sObject } from '../../../src/manifest/types.js';
import { findHelm } from '../../../src/sources/render/helm.js';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.test',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.test',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args], {
    cwd,
    env: GIT_ENV,
    encoding: 'utf8',
  }).trim();
}

export function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

const chartYaml = (version: string, deps = '') => `apiVersion: v2\nname: demo\nversion: ${version}\n${deps}`;

export interface GitFixture {
  url: string;
  commits: Record<string, string>;
}

/**
 * main: 1.0.0-bb.0 (annotated tag) → 1.1.0 → 1.2.0-bb.1 (annotated) → 1.3.0 → 2.0.0;
 * develop branches off at 1.2.0-bb.1 with one commit of its own (version 1.2.1-dev).
 * Each commit's chart/Chart.yaml carries the version, so a checkout tells which commit it is.
 */
export function makeGitRepo(root: string): GitFixture {
  const bare = join(root, 'pkg.git');
  const work = join(root, 'work');
  mkdirSync(work, { recursive: true });
  git(root, 'init', '-q', '--bare', bare);
  git(work, 'init', '-q', '-b', 'main');
  write(work, {
    'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n',
    'chart/templates/skip.yaml': 'not: rendered\n',
    'chart/README.md': '# demo\n',
    'chart/logo.png': 'png',
    'chart/tests/scripts/test.sh': 'echo kept\n',
    'scripts/build.sh': 'echo dropped\n',
    'docs/notes.txt': 'dropped\n',
    '.gitlab-ci.yml': 'stages: []\n',
    '.sourceignore': '/chart/templates/skip.yaml\n',
  });
  const commits: Record<string, string> = {};
  const commit = (version: string, tag?: { name: string; annotated: boolean }) => {
    write(work, { 'chart/Chart.yaml': chartYaml(version) });
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', version);
    commits[version] = git(work, 'rev-parse', 'HEAD');
    if (tag) git(work, 'tag', ...(tag.annotated ? ['-a', '-m', tag.name] : []), tag.name);
  };
  commit('1.0.0-bb.0', { name: '1.0.0-bb.0', annotated: true });
  commit('1.1.0', { name: '1.1.0', annotated: false });
  commit('1.2.0-bb.1', { name: '1.2.0-bb.1', annotated: true });
  git(work, 'branch', 'develop');
  commit('1.3.0', { name: '1.3.0', annotated: false });
  commit('2.0.0', { name: '2.0.0', annotated: true });
  git(work, 'checkout', '-q', 'develop');
  commit('1.2.1-dev');
  git(work, 'push', '-q', '--tags', bare, 'main', 'develop');
  return { url: `file://${bare}`, commits };
}

/** A repository whose chart needs a `file://` dependency that is not vendored. */
export function makeDependencyRepo(root: string): string {
  const bare = join(root, 'deps.git');
  const work = join(root, 'deps-work');
  mkdirSync(work, { recursive: true });
  git(root, 'init', '-q', '--bare', bare);
  git(work, 'init', '-q', '-b', 'main');
  write(work, {
    'chart/Chart.yaml': chartYaml('0.1.0', 'dependencies:\n  - name: common\n    version: 0.1.0\n    repository: file://../common\n'),
    'chart/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n',
    'common/Chart.yaml': 'apiVersion: v2\nname: common\nversion: 0.1.0\n',
  });
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'init');
  git(work, 'push', '-q', bare, 'main');
  return `file://${bare}`;
}

export function gitRepository(name: string, url: string, ref: Record<string, string>, ignore?: string): K8sObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name, namespace: 'bigbang' },
    spec: { interval: '5m', url, ref, ...(ignore ? { ignore } : {}) },
  };
}

export function helmRelease(name: string, chart: Record<string, unknown>): K8sObject {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name, namespace: 'bigbang' },
    spec: { targetNamespace: name, chart: { spec: { interval: '5m', ...chart } } },
  };
}

export const gitChart = (source: string, path = './chart') => ({
  chart: path,
  sourceRef: { kind: 'GitRepository', name: source, namespace: 'bigbang' },
});

export const versionOf = (dir: string) => /version: (\S+)/.exec(readFileSync(join(dir, 'Chart.yaml'), 'utf8'))?.[1];

/** Packages the `demo` chart at each version and indexes the directory. */
export function makeChartRepo(root: string, versions: string[]): string {
  const helm = findHelm();
  const src = join(root, 'demo');
  const repo = join(root, 'repo');
  mkdirSync(repo, { recursive: true });
  write(src, { 'Chart.yaml': chartYaml('0.0.0'), 'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n' });
  for (const v of versions) execFileSync(helm, ['package', src, '--version', v, '-d', repo], { stdio: 'ignore' });
  execFileSync(helm, ['repo', 'index', repo], { stdio: 'ignore' });
  return repo;
}

/** Serves `dir` read-only on 127.0.0.1; closes itself after `lifetimeMs` at the latest. */
export async function serveDir(dir: string, lifetimeMs = 60_000): Promise<{ url: string; server: Server; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    requests.push(path);
    try {
      const body = readFileSync(join(dir, path));
      res.writeHead(200, { 'content-length': body.length });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  setTimeout(() => server.close(), lifetimeMs).unref();
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { url: `http://127.0.0.1:${port}`, server, requests };
}

export interface Registry {
  /** `oci://127.0.0.1:PORT/charts` (the demo chart is `.../charts/demo`). */
  url: string;
  server: Server;
  /** Manifest digest of each version. */
  digests: Record<string, string>;
  requests: string[];
}

/**
 * The smallest OCI distribution registry Helm can pull from, over plain HTTP on 127.0.0.1: tags/list,
 * manifests by tag or digest, blobs. It serves the demo chart archives of `makeChartRepo`.
 */
export async function serveRegistry(chartRepo: string, versions: string[], lifetimeMs = 60_000): Promise<Registry> {
  const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, Buffer>();
  const digests: Record<string, string> = {};
  for (const v of versions) {
    const layer = readFileSync(join(chartRepo, `demo-${v}.tgz`));
    const config = Buffer.from(JSON.stringify({ apiVersion: 'v2', name: 'demo', version: v }));
    blobs.set(sha(layer), layer);
    blobs.set(sha(config), config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: sha(config), size: config.length },
        layers: [{ mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', digest: sha(layer), size: layer.length }],
      }),
    );
    digests[v] = sha(manifest);
    manifests.set(v, manifest);
    manifests.set(sha(manifest), manifest);
  }
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(`${req.method} ${path}`);
    const send = (status: number, body: Buffer, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-length': String(body.length), ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    let m: RegExpExecArray | null;
    if (path === '/v2/' || path === '/v2') send(200, Buffer.from('{}'), { 'content-type': 'application/json' });
    else if (path === '/v2/charts/demo/tags/list') send(200, Buffer.from(JSON.stringify({ name: 'charts/demo', tags: versions })));
    else if ((m = /^\/v2\/charts\/demo\/manifests\/(.+)$/.exec(path)) && manifests.has(m[1])) {
      const body = manifests.get(m[1])!;
      send(200, body, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': sha(body) });
    } else if ((m = /^\/v2\/charts\/demo\/blobs\/(.+)$/.exec(path)) && blobs.has(m[1])) {
      send(200, blobs.get(m[1])!, { 'content-type': 'application/octet-stream', 'docker-content-digest': m[1] });
    } else send(404, Buffer.from('{"errors":[{"code":"NOT_FOUND"}]}'), { 'content-type': 'application/json' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  setTimeout(() => server.close(), lifetimeMs).unref();
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { url: `oci://127.0.0.1:${port}/charts`, server, digests, requests };
}
