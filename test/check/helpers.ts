// Shared by the check tests: temp copies of fixture packages with one text edit, and
// line lookups in rendered streams and files.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'check');
export const INTEGRATED = join(FIXTURES, 'podinfo-integrated');

export interface Edit {
  /** File relative to the package root. */
  file: string;
  from: string;
  /** Replacement; undefined deletes the file. */
  to?: string;
}

/** A temp copy of a fixture package with edits applied (each `from` must occur). */
export function mutatedCopy(edits: Edit[], src = INTEGRATED): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bbmesh-check-'));
  cpSync(src, dir, { recursive: true });
  for (const e of edits) {
    const f = join(dir, e.file);
    if (e.to === undefined) {
      rmSync(f);
      continue;
    }
    const text = readFileSync(f, 'utf8');
    assert.ok(text.includes(e.from), `mutation target not found in ${e.file}: ${JSON.stringify(e.from)}`);
    writeFileSync(f, text.replace(e.from, e.to));
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** 1-based line of the first line containing `marker`, after the first line containing `after`. */
export function lineOf(text: string, marker: string, after?: string): number {
  const lines = text.split('\n');
  let start = 0;
  if (after !== undefined) {
    start = lines.findIndex((l) => l.includes(after));
    assert.ok(start >= 0, `anchor not found: ${after}`);
  }
  const i = lines.findIndex((l, n) => n >= start && l.includes(marker));
  assert.ok(i >= 0, `marker not found: ${marker}${after ? ` after ${after}` : ''}`);
  return i + 1;
}
