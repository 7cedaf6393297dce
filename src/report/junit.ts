// `bbmesh check --format junit`: one testcase per rule; a rule fails when it reported a
// finding at or above --fail-on (lower ones go to system-out); skipped rules are skipped. Each
// testcase names a `file` (relative to the repository root): its first failing finding's, else the input.
import { isAbsolute, relative } from 'node:path';
import type { CheckResult } from '../analysis/check.js';
import { SEVERITY_RANK } from '../analysis/rules/engine.js';
import type { Rule } from '../analysis/rules/types.js';
import { findingText, xmlEscape } from './common.js';
import { findingFile, type FileOptions } from './sarif.js';

export function checkToJunit(r: CheckResult, rules: Rule[], opts: FileOptions & { inputPath?: string } = {}): string {
  // As the user would type it: relative to the working directory (the testcases' files are relative too).
  const shown = (p: string) => (isAbsolute(p) ? relative(process.cwd(), p) || '.' : p);
  const target = r.input.kind === 'package' ? shown(r.input.dir) : r.input.files.map(shown).join(' ');
  const fileAttr = (path: string | undefined) => (path ? ` file="${xmlEscape(path)}"` : '');
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const rule of rules) {
    const code = rule.meta.code;
    const name = `${code} ${rule.meta.title}`;
    const fs = r.findings.filter((f) => f.code === code);
    const failing = fs.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[r.failOn]);
    const file = failing.map((f) => findingFile(f, opts)).find((x) => x)?.path ?? opts.inputPath;
    const open = `    <testcase classname="bbmesh.check.${code}" name="${xmlEscape(name)}"${fileAttr(file)}>`;
    if (r.rulesSkipped.includes(code)) {
      skipped++;
      cases.push(
        `${open}\n      <skipped message="${xmlEscape(rule.meta.needsPackage && r.input.kind === 'manifests' ? 'needs a package directory' : 'ignored')}"/>\n    </testcase>`,
      );
      continue;
    }
    const rest = fs.filter((f) => !failing.includes(f));
    let body = '';
    if (failing.length) {
      failures++;
      body += `\n      <failure message="${xmlEscape(`${failing.length} finding(s): ${failing[0].message}`)}" type="${failing.some((f) => f.severity === 'error') ? 'error' : failing[0].severity}">${xmlEscape(failing.map(findingText).join('\n'))}</failure>`;
    }
    if (rest.length) body += `\n      <system-out>${xmlEscape(rest.map(findingText).join('\n'))}</system-out>`;
    cases.push(body ? `${open}${body}\n    </testcase>` : `${open}</testcase>`);
  }
  const attrs = `tests="${rules.length}" failures="${failures}" errors="0" skipped="${skipped}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="bbmesh check" ${attrs}>`,
    `  <testsuite name="${xmlEscape(`bbmesh check ${target}`)}" ${attrs}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
