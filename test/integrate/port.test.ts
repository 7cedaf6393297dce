// --port is checked against the chart before anything is written: a values path must exist and
// hold a number, and a number must be one of the Service's ports (not a container port).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { integratePackage } from '../../src/integrate/index.js';
import { tempCopy } from '../helpers/pkg.js';

const bad: Array<[string, RegExp]> = [
  ['abc', /chart\/values\.yaml has no value abc/],
  ['service.type', /service\.type is "ClusterIP" in chart\/values\.yaml, not a port number/],
  ['8080', /--port 8080 is not a port of the Service .*9898 \(http\), 9999 \(grpc\)/],
];

for (const [port, message] of bad) {
  test(`--port ${port} is refused, nothing written`, async () => {
    const dir = tempCopy();
    const before = readFileSync(join(dir, 'chart/values.yaml'), 'utf8');
    await assert.rejects(integratePackage(dir, { port }), (e: any) => e.name === 'UserError' && message.test(e.message));
    assert.equal(readFileSync(join(dir, 'chart/values.yaml'), 'utf8'), before);
    assert.equal(existsSync(join(dir, 'chart/templates/bigbang/virtualservice.yaml')), false);
  });
}

test('--port with a Service port number or its values path is used as given', async () => {
  for (const [port, expect] of [
    ['9898', 'number: 9898'],
    ['service.externalPort', 'number: {{ .Values.service.externalPort }}'],
  ]) {
    const dir = tempCopy();
    await integratePackage(dir, { port });
    assert.match(
      readFileSync(join(dir, 'chart/templates/bigbang/virtualservice.yaml'), 'utf8'),
      new RegExp(expect.replace(/[{}.|]/g, '\\$&')),
    );
  }
});
