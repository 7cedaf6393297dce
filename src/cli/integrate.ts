import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import type { IntegrateResult } from '../integrate/index.js';
import { collect, examples, useColor, write } from './common.js';

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function json(r: IntegrateResult): string {
  const { packageDir, packageName, namespace, layout, dryRun, alreadyIntegrated, written, steps, files, diff, recovered, notes } = r;
  const out = {
    schemaVersion: 1,
    packageDir,
    packageName,
    namespace,
    layout,
    dryRun,
    alreadyIntegrated,
    written,
    steps,
    files,
    diff,
    recovered,
    notes,
  };
  return JSON.stringify(out, null, 2);
}

async function text(r: IntegrateResult, dir: string): Promise<string> {
  const pc = (await import('picocolors')).default.createColors(useColor());
  const out: string[] = [];
  if (r.dryRun && r.diff) out.push(r.diff.trimEnd(), '');
  out.push(`${r.dryRun ? 'Dry run: ' : ''}integrate ${dir} (package ${r.packageName}, namespace ${r.namespace}, layout ${r.layout})`);
  for (const s of r.steps) {
    const mark = s.status === 'done' ? pc.green('✓') : s.status === 'present' ? pc.dim('=') : pc.yellow('-');
    const label = s.step === 'scaffold' ? '0' : String(s.step);
    const status = s.status === 'done' ? (r.dryRun ? 'would do' : 'done') : s.status === 'present' ? 'already present' : 'skipped';
    const files = s.files.length ? `  ${s.files.length > 3 ? `${s.files.length} files` : s.files.join(', ')}` : '';
    out.push(`${mark} ${label} ${s.title.padEnd(19)} ${status}${s.reason ? ` (${s.reason})` : ''}${files}`);
  }
  for (const n of r.notes) out.push(`${pc.dim('note:')} ${n}`);
  if (r.alreadyIntegrated) out.push('already integrated: nothing to change');
  else if (r.dryRun) out.push(`would change ${r.files.length} file(s), and the result renders with Istio on and off; nothing written`);
  else out.push(`changed ${r.files.length} file(s); the result renders with Istio on and off; review with git diff`);
  return out.join('\n');
}

export function register(program: Command): void {
  program
    .command('integrate')
    .description(
      "Integrate a Big Bang package with Istio: the six edits of Big Bang's service-mesh guide, checked by rendering, transactionally",
    )
    .argument('<package-dir>', 'package directory holding chart/ (and bigbang/, scaffolded when missing)')
    .option('--layout <layout>', 'bb2 (Big Bang 1.x/2.x, the guide) or bb3 (Big Bang 3.x names)', 'bb2')
    .option('--package <name>', "package name, the umbrella's (default: from bigbang/Chart.yaml, else chart/Chart.yaml)")
    .option('--namespace <ns>', "namespace the package deploys into (default: bigbang/'s HelmRelease, else the package name)")
    .option(
      '--service <name>',
      'Service to expose through a VirtualService, by its name (repeatable; needed when the chart renders several)',
      collect,
    )
    .option('--port <port>', 'HTTP port of the Service: a number or a values path such as service.port (default: read from the chart)')
    .option('--dry-run', 'print the unified diff and write nothing')
    .option('--force', 'regenerate the generated VirtualService template')
    .option('--allow-dirty', 'write even if the files to edit have uncommitted git changes')
    .option('--helm <path>', 'helm binary (default: HELM_BIN, .tools/bin/helm, then PATH)')
    .option('--kube-version <v>', 'Kubernetes version for .Capabilities in the renders (default 1.31.0)')
    .option('--umbrella-values <file>', "umbrella chart values for the renders (repeatable; default: bbmesh's built-in)", collect)
    .option('--json', 'JSON output (schemas/integrate.schema.json)')
    .option('--format <format>', 'text or json (alias of --json)', 'text')
    .addHelpText(
      'after',
      examples([
        'bbmesh integrate examples/podinfo --dry-run',
        'bbmesh integrate . --layout bb3',
        'bbmesh integrate . --service argocd-server',
        'bbmesh integrate ./grafana --package grafana --namespace monitoring',
        'bbmesh integrate . --json',
      ]),
    )
    .action(async (dir: string, o: Record<string, unknown>) => {
      if (o.format !== 'text' && o.format !== 'json')
        throw new UserError(`unknown --format ${String(o.format)}`, { hint: 'use text or json' });
      const asJson = o.json === true || o.format === 'json';
      const { integratePackage, IntegrateRefused, recoverTransactions } = await import('../integrate/index.js');
      // Settle what an interrupted run left before anything else, and say which way.
      const recovered = recoverTransactions(dir).filter((t) => t.outcome !== 'in-progress');
      for (const t of recovered) process.stderr.write(`bbmesh: ${t.message}\n`);
      const dryRun = o.dryRun === true;
      let r: IntegrateResult;
      try {
        r = await integratePackage(dir, {
          layout: str(o.layout),
          package: str(o.package),
          namespace: str(o.namespace),
          service: strs(o.service),
          port: str(o.port),
          dryRun,
          force: o.force === true,
          allowDirty: o.allowDirty === true,
          helm: str(o.helm),
          kubeVersion: str(o.kubeVersion),
          umbrellaValues: strs(o.umbrellaValues),
        });
      } catch (err) {
        // A dry run that would be refused still shows what it would have written.
        if (err instanceof IntegrateRefused && dryRun && !asJson && err.diff) write(err.diff.trimEnd());
        throw err;
      }
      r.recovered = [...recovered, ...r.recovered];
      write(asJson ? json(r) : await text(r, dir));
    });
}
