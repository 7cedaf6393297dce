// Seeded faults on the realistic corpus: a copy of a correct package with one real defect. check must
// still catch each (a warning or error, so the default --fail-on fails), and trace must see its effect.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { checkPackage } from '../../src/analysis/check.js';
import { PACKAGES, type Edit } from './corpus.js';
import { MORE_PACKAGES } from './corpus-more.js';
import { FIXTURES } from './fixtures-dir.js';
import { assertTrace, showFindings } from './trace-case.js';

const tmp = mkdtempSync(join(tmpdir(), 'bbmesh-faults-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of the package with the edits applied; each edit's text must be there. */
export function seeded(pkgName: string, edits: Edit[], label: string): string {
  const dir = mkdtempSync(join(tmp, `${pkgName}-`));
  cpSync(join(FIXTURES, pkgName), dir, { recursive: true });
  for (const e of edits) {
    const f = join(dir, e.file);
    const text = readFileSync(f, 'utf8');
    assert.ok(text.includes(e.find), `${label}: ${e.file} contains ${JSON.stringify(e.find)}`);
    writeFileSync(f, text.replace(e.find, e.replace));
  }
  return dir;
}

for (const pkg of [...PACKAGES, ...MORE_PACKAGES]) {
  describe(`${pkg.name} seeded faults`, () => {
    for (const fault of pkg.faults) {
      test(`${fault.name}: ${fault.refuses ? 'check refuses' : fault.code}`, async () => {
        const dir = seeded(pkg.name, fault.edits, fault.name);
        if (fault.refuses) {
          await assert.rejects(checkPackage(dir), fault.refuses);
          return;
        }
        const res = await checkPackage(dir);
        const show = showFindings(res.findings);
        const hit = res.findings.find(
          (f) =>
            f.code === fault.code &&
            f.severity !== 'info' &&
            (!fault.severity || f.severity === fault.severity) &&
            (!fault.render || f.render === fault.render) &&
            (!fault.message || fault.message.test(f.message)),
        );
        assert.ok(hit, `expected ${fault.code} ${fault.severity ?? ''} ${fault.render ?? ''}:\n${show}`);
        assert.equal(res.exitCode, 1, show);
        if (fault.trace) await assertTrace(dir, fault.trace);
      });
    }
  });
}
