// Hostile YAML for the bounds tests: alias bombs ("billion laughs"), deep nesting, alias cycles and chains.

/** A ConfigMap whose `data` holds an alias bomb of `levels` levels of 9 aliases each: 9^levels values. */
export function aliasBomb(levels: number, kind = 'ConfigMap'): string {
  const lines = ['apiVersion: v1', `kind: ${kind}`, 'metadata: {name: bomb, namespace: default}', 'data:', '  a0: &a0 ["lol"]'];
  for (let i = 1; i <= levels; i++)
    lines.push(
      `  a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return lines.join('\n') + '\n';
}

/** `depth` nested flow sequences on one line. */
export function deepFlow(depth: number): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\nextra: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
}

/** `depth` nested block sequences on one line (`- - - x`): block style without quadratic indentation. */
export function deepBlock(depth: number): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\nextra:\n  ${'- '.repeat(depth)}x\n`;
}

/** `n` anchors each wrapping the one before: linear text, a tree `n` levels deep once expanded. */
export function aliasChain(n: number): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: chain}', 'data:', '  c0: &c0 [1]'];
  for (let i = 1; i < n; i++) lines.push(`  c${i}: &c${i} [*c${i - 1}]`);
  return lines.join('\n') + '\n';
}

/** A mapping that contains an alias to itself. */
export const ALIAS_CYCLE = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cycle}\ndata: &self {again: *self}\n';
