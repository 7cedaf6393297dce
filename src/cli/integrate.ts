import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { collect, examples, useColor, write } from './common.js';

export function register(program: Command): void {
  program
    .command('integrate')
    .description("Integrate a Big Bang package with Istio: the six edits of Big Bang's service-mesh guide, transactionally")
    .argument('<package-dir>', 'package directory holding chart/ (and bigbang/, scaffolded when missing)')
    .option('--layout <layout>', 'bb2 (Big Bang 1.x/2.x, the guide) or bb3 (Big Bang 3.x names)', 'bb2')
    .option('--package <name>', 'package name (default: from bigbang/Chart.yaml, else chart/Chart.yaml)')
    .option('--service <name>', 'Service to expose through a VirtualService (repeatable; needed when the chart has several)', collect)
    .option('--port <port>', 'HTTP port of the Service: a number or a values path such as service.port (default: read from the chart)')
    .option('--dry-run', 'print the unified diff and write nothing')
    .option('--force', 'regenerate the generated VirtualService template')
    .option('--allow-dirty', 'write even if the files to edit have uncommitted git changes')
    .option('--json', 'JSON output (schemas/integrate.schema.json)')
    .option('--format <format>', 'text or json (alias of --json)', 'text')
    .addHelpText(
      'after',
      examples([
        'bbmesh integrate examples/podinfo --dry-run',
        'bbmesh integrate . --layout bb3',
        'bbmesh integrate . --service ui --service api',
        'bbmesh integrate . --json',
      ]),
    )
    .action(async (dir: string, o: Record<string, any>) => {
      if (o.format !== 'text' && o.format !== 'json') throw new UserError(`unknown --format ${o.format}`, { hint: 'use text or json' });
      const json = o.json || o.format === 'json';
      const { integratePackage } = await import('../integrate/index.js');
      const r = await integratePackage(dir, {
        layout: o.layout,
        package: o.package,
        service: o.service ?? [],
        port: o.port,
        dryRun: !!o.dryRun,
        force: !!o.force,
        allowDirty: !!o.allowDirty,
      });
      if (json) {
        write(
          JSON.stringify(
            {
              schemaVersion: 1,
              packageDir: r.packageDir,
              packageName: r.packageName,
              layout: r.layout,
              dryRun: r.dryRun,
              alreadyIntegrated: r.alreadyIntegrated,
              written: r.written,
              steps: r.steps,
              files: r.files,
              diff: r.diff,
            },
            null,
            2,
          ),
        );
        return;
      }
      const pc = (await import('picocolors')).default.createColors(useColor());
      const out: string[] = [];
      if (r.dryRun && r.diff) out.push(r.diff.trimEnd(), '');
      out.push(`${r.dryRun ? 'Dry run: ' : ''}integrate ${dir} (package ${r.packageName}, layout ${r.layout})`);
      for (const s of r.steps) {
        const mark = s.status === 'done' ? pc.green('✓') : s.status === 'present' ? pc.dim('=') : pc.yellow('-');
        const label = s.step === 'scaffold' ? '0' : String(s.step);
        const status = s.status === 'done' ? (r.dryRun ? 'would do' : 'done') : s.status === 'present' ? 'already present' : 'skipped';
        const files = s.files.length ? `  ${s.files.length > 3 ? `${s.files.length} files` : s.files.join(', ')}` : '';
        out.push(`${mark} ${label} ${s.title.padEnd(19)} ${status}${s.reason ? ` (${s.reason})` : ''}${files}`);
      }
      if (r.alreadyIntegrated) out.push('already integrated: nothing to change');
      else if (r.dryRun) out.push(`would change ${r.files.length} file(s); nothing written`);
      else out.push(`changed ${r.files.length} file(s); review with git diff`);
      write(out.join('\n'));
    });
}
