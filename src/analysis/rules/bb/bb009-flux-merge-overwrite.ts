// BB009: sprig's merge functions mutate their first argument. `mergeOverwrite .Values.flux
// (...)` in one package's HelmRelease template rewrites the global flux defaults for every
// template rendered after it; Big Bang writes `merge .Values.<pkg>.flux .Values.flux`.
import { join } from 'node:path';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { display, packageHelmRelease, posAt } from './util.js';

const MUTATING = /\b(mustMergeOverwrite|mergeOverwrite|mustMerge|merge)\s+\(?\s*\.Values\.flux\b(?!\.)/g;

export const bb009: Rule = {
  meta: {
    code: 'BB009',
    severity: 'warning',
    title: "`mergeOverwrite` on the global `.Values.flux` leaks one package's Flux settings into others",
    explanation:
      "sprig's `merge`/`mergeOverwrite` write into their first argument. With `.Values.flux` first, one package's `flux:` overrides (timeouts, retries, test) become the global defaults for every HelmRelease rendered after it in the umbrella chart. " +
      "Big Bang's templates merge into the package's own map: `merge .Values.<pkg>.flux .Values.flux` (package settings win, globals untouched).",
    symptom: "other packages' HelmReleases get this package's timeout/retry/test settings, depending on template order",
    hint: 'use `{{- $fluxSettings<Pkg> := merge .Values.<pkg>.flux .Values.flux -}}` (or `merge (deepCopy .Values.flux) ...`), never `.Values.flux` as the first argument',
    reads: ['bigbang/templates/**'],
    needsPackage: true,
  },
  check(ctx: RuleContext): FindingDraft[] {
    if (!ctx.pkg) return [];
    const hr = packageHelmRelease(ctx.model, ctx.pkg.name);
    if (!hr) return [];
    const out: FindingDraft[] = [];
    for (const f of ctx.pkg.files.list(join(ctx.pkg.dir, 'bigbang', 'templates'))) {
      const text = ctx.pkg.files.text(f);
      if (!text || !text.includes('.Values.flux')) continue;
      for (const m of text.matchAll(MUTATING)) {
        const pos = posAt(text, m.index);
        out.push({
          object: hr,
          file: { path: display(f), line: pos.line, column: pos.column },
          message: `\`${m[1]} .Values.flux ...\` mutates the global flux defaults shared by every package`,
        });
      }
    }
    return out;
  },
};
