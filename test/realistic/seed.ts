// A copy of a corpus package with edits applied (a seeded fault); each edit's text must be in its file.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Edit } from './corpus.js';
import { FIXTURES } from './fixtures-dir.js';

export function seededCopy(tmp: string, pkgName: string, edits: Edit[], label = pkgName): string {
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
