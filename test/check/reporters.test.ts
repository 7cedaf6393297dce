// Reporters: text (every line of a small case), json (schema shape), sarif (required
// fields), junit (well-formed, one testcase per rule), NO_COLOR.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { checkManifests, type CheckResult } from '../../src/analysis/check.js';
import { useColor } from '../../src/cli/common.js';
import { checkToJson } from '../../src/report/check-json.js';
import { checkToJunit } from '../../src/report/junit.js';
import { checkToSarif } from '../../src/report/sarif.js';
import { formatText } from '../../src/report/text.js';
import { bb003 } from '../../src/analysis/rules/bb/bb003-virtualservice-helpers.js';
import { bb008 } from '../../src/analysis/rules/bb/bb008-default-gateway.js';
import { RULES } from '../../src/analysis/rules/catalogue.js';

const YAML = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  labels: {app.kubernetes.io/name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: shop
  namespace: shop
spec:
  gateways:
    - istio-system/main
  hosts: [shop.bigbang.dev]
  http:
  - route:
    - destination: {host: web.shop.svc.cluster.local, port: {number: 80}}
`;

let dir = '';
let file = '';
let result: CheckResult;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bbmesh-report-'));
  file = join(dir, 'in.yaml');
  writeFileSync(file, YAML);
  // Two rules only: the snapshot must not move when other rules change.
  result = await checkManifests([file], { rules: [bb003, bb008] });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('text: grouped by object, every line', () => {
  const out = formatText(result, { color: false });
  const sym3 = bb003.meta.symptom;
  const fix3 = bb003.meta.hint;
  assert.deepEqual(out.split('\n'), [
    `VirtualService shop/shop  (${file})`,
    `  ${file}:18:7  error    BB008  VirtualService shop/shop binds gateway "istio-system/main", the package default Big Bang does not create (Big Bang's gateway is istio-system/public)`,
    `      symptom: ${bb008.meta.symptom}`,
    `      fix: ${bb008.meta.hint}`,
    `  ${file}:13:1  info     BB003  VirtualService shop/shop has no app.kubernetes.io/instance label`,
    `      symptom: ${sym3}`,
    `      fix: ${fix3}`,
    `  ${file}:13:1  info     BB003  VirtualService shop/shop lacks the chart's common labels app.kubernetes.io/name that its Service/workloads carry (include the chart's labels helper)`,
    `      symptom: ${sym3}`,
    `      fix: ${fix3}`,
    `  ${file}:14:3  info     BB003  VirtualService name "shop" is not the chart's fullname: the release's objects are named "web"`,
    `      symptom: ${sym3}`,
    `      fix: ${fix3}`,
    '',
    '1 error, 0 warnings, 3 infos in 2 objects (+6 assumed Big Bang platform).',
    '',
  ]);
});

test('text: colour only when asked; no escape codes without colour; "No findings" when clean', async () => {
  assert.ok(formatText(result, { color: true }).includes('\u001b['));
  assert.ok(!formatText(result, { color: false }).includes('\u001b['));
  const clean = await checkManifests([file], { rules: [bb003, bb008], ignore: ['BB003', 'BB008'] });
  assert.match(
    formatText(clean, { color: false }),
    /^No findings in 2 objects \(\+6 assumed Big Bang platform\); skipped BB003, BB008\.\n$/,
  );
});

test('NO_COLOR turns colour off even when forced', () => {
  const saved = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR };
  try {
    process.env.FORCE_COLOR = '1';
    delete process.env.NO_COLOR;
    assert.equal(useColor(), true);
    process.env.NO_COLOR = '1';
    assert.equal(useColor(), false);
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
});

/** A small JSON Schema checker: type, const, enum, required, additionalProperties, properties, items, $ref, pattern, minimum. */
function validate(schema: any, value: any, root: any, at = '$'): string[] {
  if (schema.$ref)
    return validate(
      schema.$ref
        .replace('#/', '')
        .split('/')
        .reduce((o: any, k: string) => o[k], root),
      value,
      root,
      at,
    );
  const errs: string[] = [];
  const typeOf = (v: any) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) return [`${at}: ${t} is not ${types.join('|')}`];
  }
  if ('const' in schema && value !== schema.const) errs.push(`${at}: not ${schema.const}`);
  if (schema.enum && !schema.enum.includes(value)) errs.push(`${at}: ${value} not in ${schema.enum}`);
  if (schema.pattern && typeof value === 'string' && !new RegExp(schema.pattern).test(value))
    errs.push(`${at}: ${value} !~ ${schema.pattern}`);
  if (schema.minimum !== undefined && typeof value === 'number' && value < schema.minimum) errs.push(`${at}: < ${schema.minimum}`);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const k of schema.required ?? []) if (!(k in value)) errs.push(`${at}: missing ${k}`);
    for (const [k, v] of Object.entries(value)) {
      if (schema.properties?.[k]) errs.push(...validate(schema.properties[k], v, root, `${at}.${k}`));
      else if (schema.additionalProperties === false) errs.push(`${at}: unexpected ${k}`);
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errs.push(...validate(schema.items, v, root, `${at}[${i}]`)));
  return errs;
}

test('json: matches schemas/check.schema.json', () => {
  const schema = JSON.parse(readFileSync(new URL('../../schemas/check.schema.json', import.meta.url), 'utf8'));
  const doc = JSON.parse(JSON.stringify(checkToJson(result)));
  assert.deepEqual(validate(schema, doc, schema), []);
  assert.equal(doc.findings.length, 4);
  const f = doc.findings.find((x: any) => x.code === 'BB008');
  assert.deepEqual(f.object, { apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', namespace: 'shop', name: 'shop' });
  assert.deepEqual({ line: f.source.line, column: f.source.column, file: f.source.file }, { line: 18, column: 7, file });
  assert.equal(f.render, 'input');
  assert.equal(f.assumed, false);
  // The schema must reject a broken document (the checker is not vacuous).
  assert.notDeepEqual(validate(schema, { ...doc, findings: [{ ...f, severity: 'fatal' }] }, schema), []);
});

test('sarif: 2.1.0 with rules from the catalogue and located results', () => {
  const log = checkToSarif(result, RULES, '0.1.0');
  assert.equal(log.version, '2.1.0');
  assert.ok(log.$schema);
  const run = log.runs[0];
  assert.equal(run.tool.driver.name, 'bbmesh');
  assert.deepEqual(
    run.tool.driver.rules!.map((r) => r.id),
    RULES.map((r) => r.meta.code),
  );
  for (const r of run.tool.driver.rules!) {
    assert.ok(r.shortDescription?.text && r.fullDescription?.text && r.help?.text && r.defaultConfiguration?.level, r.id);
  }
  assert.equal(run.results!.length, 4);
  const bb008r = run.results!.find((x) => x.ruleId === 'BB008')!;
  assert.equal(bb008r.level, 'error');
  assert.equal(run.tool.driver.rules![bb008r.ruleIndex!].id, 'BB008');
  assert.ok(bb008r.message.text);
  const loc = bb008r.locations![0].physicalLocation!;
  // outside the repository root (a temp dir): an absolute file URI, no uriBaseId
  assert.equal(loc.artifactLocation!.uri, pathToFileURL(file).href);
  assert.deepEqual(loc.region, { startLine: 18, startColumn: 7 });
  assert.equal(run.results!.find((x) => x.ruleId === 'BB003')!.level, 'note');
});

test('junit: one testcase per rule, failures for findings at or above fail-on', () => {
  const xml = checkToJunit(result, [bb003, bb008]);
  assert.match(
    xml,
    /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="bbmesh check" tests="2" failures="1" errors="0" skipped="0">/,
  );
  assert.equal(xml.match(/<testcase /g)!.length, 2);
  assert.match(
    xml,
    /<testcase classname="bbmesh.check.BB008" name="BB008 VirtualService still binds the package default gateway `istio-system\/main`" file="[^"]*in\.yaml">\n {6}<failure message="1 finding\(s\): VirtualService shop\/shop binds gateway &quot;istio-system\/main&quot;/,
  );
  assert.match(xml, /<system-out>info BB003 VirtualService shop\/shop/);
  const withInfos = checkToJunit({ ...result, failOn: 'info' }, [bb003, bb008]);
  assert.match(withInfos, /failures="2"/);
});
