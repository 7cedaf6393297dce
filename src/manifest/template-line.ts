// Best-effort mapping from a path in a rendered object back to the line of the Helm
// template that wrote it. Templates are YAML with Go-template actions; we read them as
// indented keys (skipping action-only lines) and pick the line whose chain of keys ends
// with the longest run of the path's keys. Rendered line/column stay exact; this adds
// the line a user edits.
import { readFileSync, existsSync } from 'node:fs';

interface KeyLine {
  line: number;
  column: number;
  keys: string[];
  indexed: Array<string | number>;
}

const cache = new Map<string, KeyLine[]>();
const KEY_RE = /^(\s*)((?:-\s+)*)(["']?)([A-Za-z0-9_./-]+)\3\s*:(?:\s|$)/;

function keyLines(file: string): KeyLine[] {
  let hit = cache.get(file);
  if (hit) return hit;
  hit = [];
  if (existsSync(file)) {
    // Each entry: a key, or a list item (its ordinal under the parent key).
    const stack: Array<{ indent: number; key: string | number; items?: number }> = [];
    readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .forEach((raw, i) => {
        const t = raw.trimStart();
        if (t === '' || t.startsWith('#') || t.startsWith('{{')) return;
        const m = KEY_RE.exec(raw);
        if (!m) return;
        const indent = m[1].length + m[2].length;
        if (m[2]) {
          // `- key:` starts a list item at the dash's indent
          const dash = m[1].length;
          // deeper entries belong to the previous item; a key at the dash's own indent is the
          // parent of an indentless sequence (`http:` then `- route:` at the same column)
          while (stack.length && stack[stack.length - 1].indent > dash) stack.pop();
          const top = stack[stack.length - 1];
          let ordinal = 0;
          if (top && typeof top.key === 'number' && top.indent === dash) {
            stack.pop();
            ordinal = (top.key as number) + 1;
          }
          stack.push({ indent: dash, key: ordinal });
        }
        while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
        stack.push({ indent, key: m[4] });
        const indexed = stack.map((s) => s.key);
        hit!.push({ line: i + 1, column: indent + 1, keys: indexed.filter((k): k is string => typeof k === 'string'), indexed });
      });
  }
  cache.set(file, hit);
  return hit;
}

/** The template line that most likely wrote the value at `path`, or undefined. */
export function templateLine(file: string, path: ReadonlyArray<string | number>): { line: number; column: number } | undefined {
  const lines = keyLines(file);
  // First try the exact chain with list ordinals (right when the template has no range).
  const exact = lines.find((kl) => kl.indexed.length === path.length && kl.indexed.every((k, i) => k === path[i]));
  if (exact) return { line: exact.line, column: exact.column };
  const want = path.filter((p): p is string => typeof p === 'string');
  for (let len = want.length; len > 0; len--) {
    const target = want.slice(0, len);
    let best: KeyLine | undefined;
    let bestScore = 0;
    for (const kl of lines) {
      if (kl.keys[kl.keys.length - 1] !== target[target.length - 1]) continue;
      let score = 0;
      while (score < kl.keys.length && score < target.length && kl.keys[kl.keys.length - 1 - score] === target[target.length - 1 - score])
        score++;
      // the whole chain must agree unless the template's chain is shorter (content from a helper)
      if (score === Math.min(kl.keys.length, target.length) && score > bestScore) {
        best = kl;
        bestScore = score;
      }
    }
    if (best) return { line: best.line, column: best.column };
  }
  // The object itself: its `kind:` line.
  const kind = lines.find((kl) => kl.indexed.length === 1 && kl.keys[0] === 'kind');
  return kind ? { line: kind.line, column: kind.column } : undefined;
}
