// Best-effort mapping from a path in a rendered object back to the line of the Helm template that
// wrote it. Templates are YAML with Go-template actions; the key finder (keys.ts) reads them as
// indented keys, skipping action-only lines, and we pick the line whose chain of keys ends with the
// longest run of the path's keys. Rendered line/column stay exact; this adds the line a user edits.
import { scanKeys, type KeyLine } from './keys.js';

const keysOnly = (kl: KeyLine) => kl.chain.filter((k): k is string => typeof k === 'string');

/** The template line that most likely wrote the value at `path`, or undefined (`text` undefined: no template). */
export function templateLine(text: string | undefined, path: ReadonlyArray<string | number>): { line: number; column: number } | undefined {
  if (text === undefined) return undefined;
  const lines = scanKeys(text).filter((kl) => kl.kind === 'key');
  // First the exact chain with list ordinals (right when the template has no range).
  const exact = lines.find((kl) => kl.chain.length === path.length && kl.chain.every((k, i) => k === path[i]));
  if (exact) return { line: exact.line, column: exact.column };
  const want = path.filter((p): p is string => typeof p === 'string');
  for (let len = want.length; len > 0; len--) {
    const target = want.slice(0, len);
    let best: KeyLine | undefined;
    let bestScore = 0;
    for (const kl of lines) {
      const keys = keysOnly(kl);
      if (keys[keys.length - 1] !== target[target.length - 1]) continue;
      let score = 0;
      while (score < keys.length && score < target.length && keys[keys.length - 1 - score] === target[target.length - 1 - score]) score++;
      // the whole chain must agree unless the template's chain is shorter (content from a helper)
      if (score === Math.min(keys.length, target.length) && score > bestScore) {
        best = kl;
        bestScore = score;
      }
    }
    if (best) return { line: best.line, column: best.column };
  }
  // The object itself: its `kind:` line.
  const kind = lines.find((kl) => kl.chain.length === 1 && kl.key === 'kind');
  return kind ? { line: kind.line, column: kind.column } : undefined;
}
