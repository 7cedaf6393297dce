// Runs one TraceCase of the realistic corpus and asserts its verdict and hops.
import assert from 'node:assert/strict';
import { tracePackage } from '../../src/analysis/trace/run.js';
import type { Finding } from '../../src/analysis/rules/types.js';
import type { TraceCase } from './corpus.js';

export function showFindings(findings: Finding[]): string {
  return findings
    .map((f) => `${f.code} ${f.severity} [${f.render}] ${f.object.kind} ${f.object.namespace}/${f.object.name}: ${f.message}`)
    .join('\n');
}

export async function assertTrace(dir: string, c: TraceCase): Promise<void> {
  const res = await tracePackage(c.url, dir, c.set ? { render: { set: c.set } } : {});
  const hops = res.hops.map((h) => `  ${h.ok ? 'ok ' : 'BAD'} ${h.kind}: ${h.title}${h.ports ? ` (${h.ports})` : ''}`).join('\n');
  const ctx = `verdict ${JSON.stringify(res.verdict)}\n${hops}`;
  assert.equal(res.verdict.status, c.status, ctx);
  assert.equal(res.verdict.ok, c.ok, ctx);
  if (c.flag) assert.equal(res.verdict.flag, c.flag, ctx);
  for (const k of c.hops ?? [])
    assert.ok(
      res.hops.some((h) => h.kind === k),
      `hop ${k} expected\n${ctx}`,
    );
  if (c.route) {
    const route = res.hops.filter((h) => h.kind === 'route').at(-1);
    assert.ok(route?.title.includes(c.route), `route ${c.route} expected\n${ctx}`);
  }
  if (c.destinationPort !== undefined) {
    const dest = res.hops.filter((h) => h.kind === 'destination').at(-1);
    assert.equal(dest?.ports, String(c.destinationPort), `destination port ${c.destinationPort} expected\n${ctx}`);
    assert.equal(res.hops.at(-1)?.kind, 'container', ctx);
  }
}
