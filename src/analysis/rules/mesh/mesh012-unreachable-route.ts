// MESH012: an http route after a catch-all route of the same VirtualService.
import type { HttpRoute } from '../../../model/types.js';
import type { FindingDraft, Rule, RuleContext } from '../types.js';
import { matchesEverything } from '../../../model/match.js';

function describe(r: HttpRoute): string {
  const name = r.name ? `route "${r.name}" (#${r.index})` : `route #${r.index}`;
  if (!r.match?.length) return `${name} has no match`;
  const m = r.match.find(matchesEverything);
  const u = m?.uri;
  return u?.prefix !== undefined
    ? `${name} matches prefix ${u.prefix}`
    : u?.regex !== undefined
      ? `${name} matches regex ${u.regex}`
      : `${name} matches everything`;
}

export const mesh012: Rule = {
  meta: {
    code: 'MESH012',
    severity: 'warning',
    title: 'Route can never match: an earlier route catches everything',
    explanation:
      'Routes are tried in order and the first match wins. A route without `match`, or with prefix `/` or regex `.*` and no ' +
      'other condition, takes every request, and istiod stops generating routes for the VirtualService after it.',
    symptom: "requests meant for the later route go to the catch-all route's destination",
    hint: 'Move the catch-all route last (or give it a narrower match).',
    reads: ['VirtualService'],
  },
  check(ctx: RuleContext): FindingDraft[] {
    const out: FindingDraft[] = [];
    for (const vs of ctx.model.virtualServices) {
      const c = vs.http.findIndex((r) => !r.match?.length || r.match.some(matchesEverything));
      if (c < 0) continue;
      for (let j = c + 1; j < vs.http.length; j++) {
        const r = vs.http[j];
        out.push({
          object: vs.m,
          path: r.path,
          message: `${r.name ? `route "${r.name}" (#${j})` : `route #${j}`} can never match: ${describe(vs.http[c])}`,
        });
      }
    }
    return out;
  },
};
