import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FLUX_DEFAULT_IGNORE, isIgnored, parseIgnore } from '../../../src/sources/flux/ignore.js';

const BIG_BANG = '# exclude file extensions\n/**/*.md\n/**/*.txt\n/**/*.sh\n!/chart/tests/scripts/*.sh\n';

function check(rules: string, cases: Record<string, boolean>): void {
  const patterns = parseIgnore(`${FLUX_DEFAULT_IGNORE}\n${rules}`);
  for (const [path, ignored] of Object.entries(cases)) assert.equal(isIgnored(patterns, path.split('/')), ignored, path);
}

test("Big Bang's gitIgnore on top of Flux's defaults", () => {
  check(BIG_BANG, {
    'README.md': true,
    'chart/README.md': true,
    'docs/a/b/notes.txt': true,
    'scripts/release.sh': true,
    'chart/tests/scripts/test.sh': false,
    'chart/tests/other/test.sh': true,
    'chart/templates/deployment.yaml': false,
    'chart/values.yaml': false,
    'chart/charts/common-1.0.0.tgz': false,
    '.git/config': true,
    '.github/workflows/ci.yml': true,
    '.gitlab-ci.yml': true,
    'chart/.sops.yaml': true,
    'chart/icon.png': true,
    'release.tar.gz': true,
  });
});

test('Flux docs example: exclude all, re-include deploy/, exclude its docs', () => {
  check('/*\n!/deploy\n/deploy/**/*.md\n/deploy/**/*.txt\n', {
    'chart/Chart.yaml': true,
    'deploy/app.yaml': false,
    'deploy/base/README.md': true,
    'deploy/base/kustomization.yaml': false,
  });
});

test('gitignore pattern forms: names anywhere, anchored paths, directories only, classes', () => {
  check('tmp/\nsecret-?.yaml\n/only-root.yaml\nchart/[ab]*.yaml\n', {
    'tmp/x': true,
    'a/tmp/x': true,
    tmp: false,
    'secret-1.yaml': true,
    'x/secret-2.yaml': true,
    'secret-10.yaml': false,
    'only-root.yaml': true,
    'sub/only-root.yaml': false,
    'chart/a1.yaml': true,
    'chart/c1.yaml': false,
    'x/chart/a1.yaml': false,
  });
});

test('a .sourceignore only rules below its own directory', () => {
  const patterns = [...parseIgnore(FLUX_DEFAULT_IGNORE), ...parseIgnore('*.yaml\n', ['chart', 'tests'])];
  assert.equal(isIgnored(patterns, ['chart', 'tests', 'x.yaml']), true);
  assert.equal(isIgnored(patterns, ['chart', 'values.yaml']), false);
});
