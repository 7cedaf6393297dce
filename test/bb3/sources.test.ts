// What a 3.x package's sources give: the vendored library read from its .tgz at Helm's paths (so package rules
// see the keys bb-common reads), and the layout detected from the chart's dependency on bb-common.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { chooseLayout } from '../../src/sources/layout-detect.js';
import { surelyBb2 } from '../../src/sources/layout-hint.js';
import { chartTemplateFiles, readPackageFiles } from '../../src/sources/package-files.js';
import { EXAMPLE } from '../helpers/pkg.js';
import { bb3Package } from './helpers.js';

test('a vendored charts/bb-common-<version>.tgz is read in memory at chart/charts/bb-common/...', () => {
  const dir = bb3Package();
  const files = readPackageFiles(dir);
  const chart = join(dir, 'chart');
  assert.deepEqual(
    files.subcharts(chart).map((c) => `${c.name} ${c.version} ${c.archive ? 'tgz' : 'dir'}`),
    ['bb-common 0.1.0 tgz'],
  );
  const routes = join(chart, 'charts', 'bb-common', 'templates', '_routes.tpl');
  assert.match(files.text(routes) ?? '', /define "bb-common\.routes\.render"/);
  const templates = chartTemplateFiles(files, chart);
  assert.ok(templates.includes(routes), 'the library templates count as the chart templates Helm loads');
  assert.ok(templates.includes(join(chart, 'templates', 'bigbang', 'routes.yaml')));
});

test('layout: bb3 from the bb-common dependency or the vendored library; bb2 by default; the user decides first', () => {
  const dir = bb3Package();
  assert.deepEqual(chooseLayout(dir).layout, 'bb3');
  assert.match(chooseLayout(dir).reason, /Chart\.yaml dependency bb-common 0\.1\.0/);
  assert.equal(chooseLayout(dir, 'bb2').layout, 'bb2');
  assert.equal(chooseLayout(dir, 'bb2').reason, 'given');
  const podinfo = chooseLayout(EXAMPLE);
  assert.equal(podinfo.layout, 'bb2');
  assert.equal(podinfo.detected, false);
  // Vendored without the Chart.yaml entry (an older chart): the archive tells.
  const bare = bb3Package();
  writeFileSync(join(bare, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: portal\nversion: 1.0.0\n');
  assert.match(chooseLayout(bare).reason, /detected from .*charts\/bb-common-0\.1\.0\.tgz/);
  rmSync(join(bare, 'chart', 'charts'), { recursive: true });
  assert.equal(chooseLayout(bare).layout, 'bb2');
});

test('layout: the start-up hint never calls a 3.x chart 2.x, even when Chart.yaml spells bb-common with an escape', () => {
  assert.equal(surelyBb2(EXAMPLE), 'bb2');
  assert.equal(surelyBb2(bb3Package()), undefined);
  assert.equal(surelyBb2(EXAMPLE, ['umbrella-values.yaml']), undefined, 'umbrella values are read, never guessed');
  const escaped = bb3Package();
  rmSync(join(escaped, 'chart', 'charts'), { recursive: true });
  writeFileSync(
    join(escaped, 'chart', 'Chart.yaml'),
    'apiVersion: v2\nname: portal\nversion: 1.0.0\ndependencies:\n  - name: "bb\\x2dcommon"\n    version: 0.1.0\n',
  );
  assert.equal(surelyBb2(escaped), undefined);
  assert.equal(chooseLayout(escaped).layout, 'bb3');
});
