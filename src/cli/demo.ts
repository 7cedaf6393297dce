// `bbmesh demo`: the whole flow on the bundled example package, on a temp copy:
// render, check (finds the missing integration), integrate, check again (clean),
// trace https and http (and a host nobody serves), diagram, and verify on a snapshot.
import type { Command } from 'commander';
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { addOutputOption, addValuesOptions, examples, outputOf, renderOptionsFrom, useColor, write, type Flags } from './common.js';
import type { RenderOptions } from '../sources/render/types.js';

type DemoCommand = 'render' | 'check' | 'integrate' | 'trace' | 'diagram' | 'verify';

interface DemoStep {
  step: number;
  command: DemoCommand;
  title: string;
  ok: boolean;
  lines: string[];
  unexpected?: string[];
}

export function register(program: Command): void {
  const cmd = program
    .command('demo')
    .description('Run the whole flow on the bundled example package (a temp copy): render, check, integrate, check, trace, diagram, verify')
    .option(
      '--dir <dir>',
      'work in this new directory instead of a temp one (it must not exist); a git repository, so git diff shows the edits',
    )
    .addHelpText(
      'after',
      examples([
        'bbmesh demo',
        'bbmesh demo --dir /tmp/podinfo-demo && git -C /tmp/podinfo-demo diff',
        'bbmesh demo -o json --set-string domain=dev.bigbang.mil   # the value flags apply to every render of the demo',
      ]) + '\nExit status: 0 when every step went as expected, 1 otherwise (schemas/demo.schema.json for -o json).\n',
    );
  addOutputOption(cmd, ['text', 'json'], 'text');
  addValuesOptions(cmd, false).action(async (o: Flags & { dir?: string }, self: Command) => {
    const json = outputOf(self) === 'json';
    const ok = await runDemo(o.dir, renderOptionsFrom(o), json);
    process.exitCode = ok ? 0 : 1;
  });
}

async function runDemo(dirOpt: string | undefined, render: RenderOptions, json: boolean): Promise<boolean> {
  const pc = (await import('picocolors')).default.createColors(useColor() && !json);
  const { PROJECT_ROOT } = await import('../sources/render/helm.js');
  const example = join(PROJECT_ROOT, 'examples', 'podinfo');
  if (dirOpt && existsSync(dirOpt))
    throw new UserError(`--dir ${dirOpt} already exists`, { hint: 'give a new directory; demo never overwrites files' });
  const work = dirOpt ? resolve(dirOpt) : join(mkdtempSync(join(tmpdir(), 'bbmesh-demo-')), 'podinfo');
  if (!existsSync(example))
    throw new UserError(`the bundled example is missing: ${example}`, { hint: 'reinstall bbmesh (the package ships examples/)' });
  cpSync(example, work, { recursive: true });
  const tracked = await commitCopy(work);
  const steps: DemoStep[] = [];
  // Text mode prints as it goes; JSON mode keeps each step's lines and prints one document at the end.
  const say = (line: string) => {
    if (!json) write(line);
    else steps.at(-1)?.lines.push(...line.split('\n').map((l) => l.replace(/^ {3}/, ''))); // no colour in JSON mode
  };
  const expect = (cond: boolean, what: string) => {
    const cur = steps.at(-1);
    if (cond || !cur) return;
    cur.ok = false;
    (cur.unexpected ??= []).push(what);
    if (!json) write(pc.red(`   ✗ unexpected: ${what}`));
  };
  const title = (n: number, command: DemoCommand, s: string) => {
    steps.push({ step: n, command, title: `bbmesh ${command}: ${s}`, ok: true, lines: [] });
    if (!json) write(`\n${pc.bold(`${n}. bbmesh ${command}: ${s}`)}`);
  };

  if (!json) {
    write(pc.bold('bbmesh demo: Big Bang service-mesh integration of the podinfo example, end to end'));
    write(
      `working copy: ${work} (examples/podinfo itself is not modified${tracked ? '; a git repository: git diff shows the edits' : ''})`,
    );
  }

  title(1, 'render', 'the package as Flux renders it (bigbang/ chart, then chart/ with the merged values)');
  const { renderPackage } = await import('../sources/render/index.js');
  const r = await renderPackage(work, render);
  const stage = (s: string) => r.manifests.filter((m) => m.origin.stage === s).map((m) => m.kind);
  say(`   stage 1 bigbang-podinfo in bigbang: ${stage('bigbang').join(', ')}`);
  for (const rel of r.releases) say(`   stage 2 release ${rel.releaseName} in ${rel.namespace}: ${stage('package').join(', ')}`);

  title(2, 'check', 'before integration (Istio on and off)');
  const { checkPackage } = await import('../analysis/check.js');
  const { formatText } = await import('../report/text.js');
  const before = await checkPackage(work, { render });
  for (const f of before.findings) say(`   ${f.severity.padEnd(7)} ${f.code.padEnd(7)} ${f.message}`);
  expect(
    before.findings.some((f) => f.code === 'BB006'),
    'check should find the missing Istio dependency before integration',
  );

  title(3, 'integrate', 'the six edits of the guide, learned from the chart');
  const { integratePackage } = await import('../integrate/index.js');
  const integ = await integratePackage(work, { allowDirty: true, render });
  for (const s of integ.steps)
    say(
      `   ${s.status === 'done' ? pc.green('✓') : '='} ${String(s.step).padEnd(8)} ${s.title.padEnd(20)} ${s.status}${s.files.length ? `  ${s.files.join(', ')}` : ''}${s.reason ? `  (${s.reason})` : ''}`,
    );

  title(4, 'check', 'after integration');
  const after = await checkPackage(work, { render });
  say(
    formatText(after, { color: useColor() && !json })
      .replace(/^/gm, '   ')
      .trimEnd(),
  );
  expect(after.exitCode === 0, 'the integrated package should check clean');

  title(5, 'trace', 'the request path, hop by hop');
  const { loadMesh } = await import('../sources/index.js');
  const { traceRequest } = await import('../analysis/trace/index.js');
  const { statusText } = await import('../report/trace-text.js');
  const { model } = await loadMesh({ dir: work }, { render });
  const traces: Array<[string, boolean]> = [
    ['https://podinfo.bigbang.dev/', true],
    ['http://podinfo.bigbang.dev/', true],
    ['https://unknown.bigbang.dev/', false],
  ];
  for (const [url, shouldPass] of traces) {
    const t = traceRequest(model, { url });
    const path = t.hops
      .filter((h) => h.kind !== 'client')
      .map((h) => (h.ports ? `${h.kind}[${h.ports}]` : h.kind))
      .join(' → ');
    const status = statusText(t.verdict.status, t.verdict.flag);
    const reason = t.verdict.reason.startsWith(`${status}: `) ? t.verdict.reason.slice(status.length + 2) : t.verdict.reason;
    say(
      `   ${url}\n     ${path}\n     ${t.verdict.ok ? pc.green('✓') : pc.red('✗')} ${status}  ${reason}${shouldPass ? '' : pc.dim('  (expected: no VirtualService serves this host)')}`,
    );
    expect(t.verdict.ok === shouldPass, `trace ${url} should ${shouldPass ? 'succeed' : 'fail'}`);
  }

  title(6, 'diagram', 'every exposed host as a Mermaid flowchart');
  const { buildDiagram } = await import('../analysis/trace/diagram.js');
  const d = buildDiagram(model);
  const mmd = join(work, 'mesh.mmd');
  writeFileSync(mmd, d.mermaid);
  say(`   ${d.hosts.length} host(s): ${d.hosts.map((h) => `${h.host} ${h.ok ? '✓' : '✗'} ${h.status}`).join(', ')}; written to ${mmd}`);

  title(7, 'verify', "the guide's validation steps, here on a snapshot of a cluster running the package");
  const snapshot = join(PROJECT_ROOT, 'examples', 'podinfo-cluster-snapshot.yaml');
  if (existsSync(snapshot)) {
    const { verifySnapshot } = await import('../analysis/verify/index.js');
    const rep = await verifySnapshot(snapshot, { packageName: 'podinfo' });
    for (const s of rep.steps)
      say(
        `   ${s.status === 'pass' ? pc.green('✓') : s.status === 'warn' ? pc.yellow('!') : s.status === 'fail' ? pc.red('✗') : '-'} ${String(s.step).padStart(2)} ${s.title}: ${s.status}`,
      );
    say(
      `   findings of the check rules on the live objects: ${rep.findings.length ? rep.findings.map((f) => `${f.code} ${f.object.kind}/${f.object.name}`).join(', ') : 'none'}`,
    );
    expect(rep.ok, 'verify on the example snapshot should pass');
  } else {
    say('   (no example snapshot bundled)');
  }

  const ok = steps.every((st) => st.ok);
  const review = tracked ? `git -C ${work} diff` : `git diff --no-index ${example} ${work}`;
  if (json) write(JSON.stringify({ schemaVersion: 1, dir: work, gitRepository: tracked, ok, steps, review }, null, 2));
  else
    write(
      `\n${ok ? pc.green('demo complete: integrated, checked clean, traced.') : pc.red('demo finished with unexpected results (see ✗ above)')} Review the change: ${review}`,
    );
  return ok;
}

/** Makes the copy a git repository with the example committed, so `git -C <dir> diff` shows what integrate changed. */
async function commitCopy(dir: string): Promise<boolean> {
  const { run } = await import('../sources/render/helm.js');
  const id = ['-c', 'user.name=bbmesh demo', '-c', 'user.email=demo@bbmesh.invalid', '-c', 'commit.gpgsign=false'];
  try {
    for (const args of [
      ['init', '-q'],
      ['add', '-A'],
      [...id, 'commit', '-q', '-m', 'examples/podinfo as bundled'],
    ]) {
      const r = await run('git', args, { cwd: dir });
      if (r.code !== 0) return false;
    }
    return true;
  } catch {
    return false; // no git: the demo runs without it
  }
}
