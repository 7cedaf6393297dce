// Seeded faults on the realistic corpus: a copy of a correct package with one real defect. check must
// still catch each (a warning or error, so the default --fail-on fails), and trace must see its effect.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { checkPackage } from '../../src/analysis/check.js';
import { PACKAGES } from './corpus.js';
import { MORE_PACKAGES } from './corpus-more.js';
import { seededCopy } from './seed.js';
import { assertTrace, showFindings } from './trace-case.js';

const tmp = mkdtempSync(join(tmpdir(), 'bbmesh-faults-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

for (const pkg of [...PACKAGES, ...MORE_PACKAGES]) {
  describe(`${pkg.name} seeded faults`, () => {
    for (const fault of pkg.faults) {
      test(`${fault.name}: ${fault.refuses ? 'check refuses' : fault.code}`, async () => {
        const dir = seededCopy(tmp, pkg.name, fault.edits, fault.name);
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
