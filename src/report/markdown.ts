// `bbmesh check -o markdown`: a report for a merge-request comment or a CI job summary. A findings
// table, then for every exposed host whose request fails the Mermaid diagram of its trace (GitLab
// and GitHub render ```mermaid blocks).
import type { CheckResult } from '../analysis/check.js';
import { SEVERITY_RANK } from '../analysis/rules/engine.js';
import { objectLabel, plural } from './common.js';
import { findingFile, type FileOptions } from './sarif.js';
import { placeText } from './position.js';

/** A failing host of the input and its trace, drawn by report/trace-mermaid.ts. */
export interface FailingHost {
  url: string;
  status: string;
  reason: string;
  mermaid: string;
}

export interface MarkdownOptions extends FileOptions {
  /** Failing hosts with their trace diagrams; undefined when they could not be traced. */
  hosts?: FailingHost[];
  /** Why hosts were not traced (shown instead of the section). */
  hostsNote?: string;
}

/** Text for one table cell: no pipe or line break can end the row; `<` is literal outside code spans. */
export function cell(s: string): string {
  return s
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>')
    .split('`')
    .map((part, i) => (i % 2 ? part : part.replace(/</g, '&lt;')))
    .join('`');
}

function inputLabel(r: CheckResult): string {
  if (r.input.kind === 'package') return `package \`${r.input.packageName}\``;
  const files = r.input.files.map((f) => (f === '-' ? 'stdin' : f));
  return `${files.length === 1 ? 'manifests' : 'manifest files'} ${files.map((f) => `\`${f}\``).join(', ')}`;
}

export function checkToMarkdown(r: CheckResult, opts: MarkdownOptions = {}): string {
  const failing = r.findings.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[r.failOn]);
  const verdict = failing.length ? `❌ fails (--fail-on ${r.failOn})` : `✅ passes (--fail-on ${r.failOn})`;
  const renders = r.summary.renders.map((x) => (x === 'input' ? 'as given' : x.replace('istio-', 'Istio '))).join(', ');
  const out: string[] = [
    `### bbmesh check: ${inputLabel(r)}`,
    '',
    `**${verdict}** · ${plural(r.summary.errors, 'error')}, ${plural(r.summary.warnings, 'warning')}, ` +
      `${plural(r.summary.infos, 'info')} · layout ${r.layout} · ${plural(r.summary.objects, 'object')} (${renders})`,
    '',
  ];
  if (r.findings.length) {
    out.push('| Severity | Rule | Object | Where | Finding | Fix |', '| --- | --- | --- | --- | --- | --- |');
    for (const f of r.findings) {
      const file = findingFile(f, opts);
      const where = file ? `${file.path}:${file.line}` : f.assumed ? 'assumed platform' : (placeText(f.source) ?? '');
      const code = where && !where.includes('`') ? `\`${cell(where)}\`` : cell(where);
      const disabled = f.render === 'istio-disabled' ? ' (Istio disabled)' : '';
      out.push(
        `| ${f.severity} | ${f.code} | ${cell(objectLabel(f.object))} | ${code} | ` + `${cell(f.message + disabled)} | ${cell(f.hint)} |`,
      );
    }
    out.push('');
  } else {
    out.push('No findings.', '');
  }
  if (opts.hosts?.length) {
    out.push(`#### Failing hosts (${opts.hosts.length})`, '');
    for (const h of opts.hosts) {
      const reason = h.reason.startsWith(`${h.status}: `) ? h.reason.slice(h.status.length + 2) : h.reason;
      out.push(`**${cell(h.url)}** → ${cell(h.status)}: ${cell(reason)}`, '', '```mermaid', h.mermaid.trimEnd(), '```', '');
    }
  } else if (opts.hostsNote) {
    out.push(`_${opts.hostsNote}_`, '');
  }
  return out.join('\n');
}
