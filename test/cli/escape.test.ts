// What comes from the input never reaches a terminal raw, and never writes Mermaid statements: object
// names and hosts holding quotes, `#`, `<`, `%%{init}%%`, backticks, newlines and ESC/OSC sequences,
// through diagram, trace -o mermaid, check and verify's text report.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { cli, ROOT, tempDir } from '../helpers/pkg.js';

const skip = !existsSync(join(ROOT, 'dist', 'bundle', 'main.js')) && 'npm run build first';
const HOSTILE =
  String.raw`evil\"]:::ok\n  click n0 href \"javascript:alert(1)\"\n%%{init: {\"securityLevel\": \"loose\"}}%%\n#lt;b#gt;<img src=x>` +
  '`md`&amp;\\u001b[2J';

function hostileFile(): string {
  const file = join(tempDir(), 'hostile.yaml');
  writeFileSync(
    file,
    [
      'apiVersion: networking.istio.io/v1',
      'kind: VirtualService',
      'metadata:',
      `  name: "${HOSTILE}"`,
      '  namespace: shop',
      'spec:',
      '  gateways: [istio-system/public]',
      '  hosts: [shop.bigbang.dev]',
      '  http:',
      '  - route:',
      `    - destination: {host: "web\\"\\n  click x\\u001b]0;t\\u0007", port: {number: 80}}`,
      '',
    ].join('\n'),
  );
  return file;
}

/** Every line a Mermaid flowchart of bbmesh may hold: nodes with one quoted label, edges, classes, comments. */
const STATEMENT = [
  /^---$/,
  /^title: "(?:[^"%]|%(?!%))*"$/,
  /^flowchart LR$/,
  /^%% (?:[^%]|%(?!%))*$/,
  /^ {2}[nv]\w*(\(\["[^"]*"\]\)|\["[^"]*"\]|\{\{"[^"]*"\}\})$/,
  /^ {2}[nv]\w* -(->|\.->)(\|"[^"]*"\|)? [nv]\w*$/,
  /^ {2}classDef \w+ [-\w:#;,. ]+;$/,
  /^ {2}class [nv\w,]+ \w+;$/,
];

function assertMermaid(text: string): void {
  assert.doesNotMatch(text, /%%\{/, 'no directive');
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/, 'no control character');
  for (const line of text.trimEnd().split('\n'))
    assert.ok(
      STATEMENT.some((re) => re.test(line)),
      `not a statement bbmesh writes: ${line}`,
    );
}

test('diagram and trace -o mermaid: labels stay labels, whatever the names hold', { skip }, () => {
  const file = hostileFile();
  const diagram = cli(['diagram', file]);
  assert.equal(diagram.code, 0, diagram.stderr);
  assertMermaid(diagram.stdout);
  // the names are still there to read, as entity codes and visible escapes
  assert.match(
    diagram.stdout,
    /VirtualService shop\/evil#quot;\]:::ok\\n {2}click n0 href #quot;javascript:alert\(1\)#quot;\\n#37;#37;\{init/,
  );
  assert.match(diagram.stdout, /#35;lt;b#35;gt;#lt;img src=x#gt;#96;md#96;#38;amp;\\e\[2J/);
  const trace = cli(['trace', 'https://shop.bigbang.dev/%%{init:{}}%%', file, '-o', 'mermaid']);
  assertMermaid(trace.stdout);
  assert.match(trace.stdout, /^title: "GET https:\/\/shop\.bigbang\.dev\/%25%\{init:\{\}\}%25%"$/m);
});

test('check and verify text reports escape names, hosts and details', { skip }, () => {
  const check = cli(['check', hostileFile()]);
  assert.equal(check.code, 1);
  assert.ok(!check.stdout.includes('\u001b'), 'no ESC reaches the terminal');
  assert.match(check.stdout, /^VirtualService shop\/evil.*\\e\[2J {2}\(/m);

  const snapshot = join(tempDir(), 'snapshot.yaml');
  const text = readFileSync(join(ROOT, 'examples', 'podinfo-cluster-snapshot.yaml'), 'utf8');
  writeFileSync(snapshot, text.replace('        - podinfo.bigbang.dev', '        - "podinfo.bigbang.dev\\u001b]0;pwned\\u0007"'));
  const verify = cli(['verify', '--package', 'podinfo', '--snapshot', snapshot]);
  assert.ok(verify.code === 0 || verify.code === 1, verify.stderr);
  assert.ok(!verify.stdout.includes('\u001b') && !verify.stdout.includes('\u0007'), 'no ESC or BEL reaches the terminal');
  assert.match(verify.stdout, /host podinfo\.bigbang\.dev\\e\]0;pwned\\x07/);
});
