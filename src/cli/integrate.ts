import { Option, type Command } from 'commander';
import { UserError } from '../core/errors.js';
import type { IntegrateResult } from '../integrate/index.js';
import {
  addNamespaceOption,
  addOutputOption,
  addValuesOptions,
  collect,
  examples,
  list,
  note,
  outputOf,
  renderOptionsFrom,
  str,
  useColor,
  write,
  type Flags,
} from './common.js';

/** The fields of `-o json`, in schema order (schemas/integrate.schema.json); nothing internal leaks. */
const JSON_FIELDS = [
  'packageDir',
  'packageName',
  'namespace',
  'layout',
  'dryRun',
  'alreadyIntegrated',
  'written',
  'renderChecked',
  'steps',
  'files',
  'diff',
  'recovered',
  'notes',
] as const satisfies readonly (keyof IntegrateResult)[];

function json(r: IntegrateResult): string {
  return JSON.stringify({ schemaVersion: 1, ...Object.fromEntries(JSON_FIELDS.map((k) => [k, r[k]])) }, null, 2);
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
  const renders = r.renderChecked ? 'the result renders with Istio on and off' : 'the result was not rendered (see the notes)';
  if (r.alreadyIntegrated) out.push('already integrated: nothing to change');
  else if (r.dryRun) out.push(`would change ${r.files.length} file(s), and ${renders}; nothing written`);
  else out.push(`changed ${r.files.length} file(s); ${renders}; review with git diff`);
  return out.join('\n');
}

export function register(program: Command): void {
  const cmd = program
    .command('integrate')
    .description(
      "Integrate a Big Bang package with Istio: the six edits of Big Bang's service-mesh guide (bb2), or bb-common's " +
        'routes, network and authorization policies (bb3), checked by rendering, transactionally',
    )
    .argument('<package-dir>', 'package directory holding chart/ (and bigbang/, scaffolded when missing)')
    .addOption(
      new Option('--layout <layout>', 'bb2 (Big Bang 1.x/2.x, the guide) or bb3 (Big Bang 3.x: bb-common routes)')
        .choices(['bb2', 'bb3'])
        .default('bb2'),
    );
  addNamespaceOption(cmd, "namespace the package deploys into (default: bigbang/'s HelmRelease, else the package name)")
    .option(
      '--service <name>',
      'Service to expose (a VirtualService, or a route with bb3), by its name (repeatable; needed when the chart renders several)',
      collect,
    )
    .option('--port <port>', 'HTTP port of the Service: a number or a values path such as service.port (default: read from the chart)')
    .option(
      '--bb-common-version <version>',
      'bb3: the bb-common version chart/Chart.yaml depends on (default: the newest in chart/charts/)',
    )
    .option('--bb-common-repository <url>', `bb3: where bb-common comes from (default: oci://registry1.dso.mil/bigbang)`)
    .option('--dry-run', 'print the unified diff and write nothing')
    .option(
      '--force',
      'bb2: regenerate the generated VirtualService template; bb3: add a route even where the chart hand-writes a VirtualService',
    )
    .option('--allow-dirty', 'write even if the files to edit have uncommitted git changes');
  addValuesOptions(cmd, false);
  addOutputOption(cmd, ['text', 'json'], 'text', 'output format: text, or json (schemas/integrate.schema.json)');
  cmd
    .addOption(new Option('--json', 'deprecated alias of -o json').hideHelp())
    .addHelpText(
      'after',
      examples([
        'bbmesh integrate examples/podinfo --dry-run',
        'bbmesh integrate . --layout bb3',
        'bbmesh integrate . --layout bb3 --bb-common-version 0.12.0',
        'bbmesh integrate . --service argocd-server',
        'bbmesh integrate ./grafana --package grafana -n monitoring',
        'bbmesh integrate . -o json',
      ]),
    )
    .action(async (dir: string, o: Flags, self: Command) => {
      let format = outputOf(self);
      if (o.json === true) {
        note('--json is deprecated and will be removed in the next release: use -o json');
        if (self.getOptionValueSource('output') === 'cli' && format !== 'json')
          throw new UserError(`-o ${format} and --json disagree`, { hint: 'give -o only' });
        format = 'json';
      }
      const asJson = format === 'json';
      const { integratePackage, IntegrateRefused, recoverTransactions } = await import('../integrate/index.js');
      // Settle what an interrupted run left before anything else, and say which way.
      const recovered = recoverTransactions(dir).filter((t) => t.outcome !== 'in-progress');
      for (const t of recovered) process.stderr.write(`bbmesh: ${t.message}\n`);
      const dryRun = o.dryRun === true;
      const ro = renderOptionsFrom(o);
      const { helm, kubeVersion, umbrellaValues, values, set, setString, setFile, setJson } = ro;
      const render = { helm, kubeVersion, umbrellaValues, values, set, setString, setFile, setJson };
      let r: IntegrateResult;
      try {
        r = await integratePackage(dir, {
          layout: str(o.layout),
          package: str(o.package),
          namespace: str(o.namespace),
          service: list(o.service),
          port: str(o.port),
          bbCommonVersion: str(o.bbCommonVersion),
          bbCommonRepository: str(o.bbCommonRepository),
          dryRun,
          force: o.force === true,
          allowDirty: o.allowDirty === true,
          render,
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
