// Chart analysis: helpers (`define`s) and Services (name expression, HTTP port values path).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeHelpers, labelsCall, parseDefines, portableName } from '../../src/integrate/helpers.js';
import { findServices, portOf } from '../../src/integrate/services.js';
import { orCondition } from '../../src/integrate/depends-on.js';
import { Workspace } from '../../src/integrate/workspace.js';
import { copyPackage, FIXTURES } from './helpers.js';

test('portOf: values paths, pipes, quotes and hard-coded numbers', () => {
  assert.deepEqual(portOf('{{ .Values.service.externalPort }}'), {
    expr: '{{ .Values.service.externalPort }}',
    path: '.Values.service.externalPort',
  });
  assert.deepEqual(portOf('{{ .Values.service.port | default 8080 }}'), {
    expr: '{{ .Values.service.port | default 8080 }}',
    path: '.Values.service.port',
  });
  assert.deepEqual(portOf('"{{ $.Values.web.port }}"'), { expr: '{{ .Values.web.port }}', path: '.Values.web.port' });
  assert.deepEqual(portOf('8065'), { expr: '8065' });
  assert.deepEqual(portOf('{{ $port }}'), {});
  assert.deepEqual(portOf('{{ include "x.port" . }}'), {});
});

test('parseDefines: bodies with nested control structures', () => {
  const d = parseDefines(
    '{{- define "a.labels" -}}\nx: 1\n{{- if .Values.y }}\ny: 2\n{{- end }}\n{{- end }}\n{{- define "a.fullname" -}}{{ .Release.Name }}{{- end }}',
  );
  assert.deepEqual([...d.keys()], ['a.labels', 'a.fullname']);
  assert.match(d.get('a.labels')!, /y: 2\n\{\{- end \}\}\n$/);
});

test('findServices: include vs template, suffixed names, headless services skipped, port by name', () => {
  const dir = copyPackage(join(FIXTURES, 'echo'));
  mkdirSync(join(dir, 'chart/templates/more'));
  writeFileSync(
    join(dir, 'chart/templates/more/svc.yaml'),
    [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: {{ include "echo.fullname" . }}-web',
      'spec:',
      '  ports:',
      '  - name: metrics',
      '    port: 9090',
      '  - name: http',
      '    port: {{ .Values.web.port }}',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: {{ include "echo.fullname" . }}-headless',
      'spec:',
      '  clusterIP: None',
      '  ports:',
      '  - port: 80',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: fixed-name',
      'spec:',
      '  ports:',
      '  {{- range .Values.ports }}',
      '  - port: {{ .port }}',
      '  {{- end }}',
      '',
    ].join('\n'),
  );
  const s = findServices(new Workspace(dir), 'echo');
  assert.deepEqual(
    s.map((x) => [x.id, x.nameExpr, x.portValuesPath ?? x.portExpr ?? null]),
    [
      ['echo', '{{ template "echo.fullname" . }}', '.Values.service.port'],
      ['web', '{{ include "echo.fullname" . }}-web', '.Values.web.port'],
      ['fixed-name', 'fixed-name', null],
    ],
  );
});

test('orCondition: merges Istio into the outer dependsOn condition', () => {
  assert.equal(orCondition('.Values.monitoring.enabled', '.Values.istio.enabled'), 'or .Values.istio.enabled .Values.monitoring.enabled');
  assert.equal(
    orCondition('or .Values.a.enabled .Values.b.enabled', '.Values.istio.enabled'),
    'or .Values.istio.enabled .Values.a.enabled .Values.b.enabled',
  );
  assert.equal(orCondition('and .Values.a .Values.b', '.Values.istio.enabled'), 'or .Values.istio.enabled (and .Values.a .Values.b)');
});

test("labelsCall: the Service template's own call (a dict, or `$` inside a range), else the chart's usual one", () => {
  const dir = copyPackage(join(FIXTURES, 'echo'));
  const ws = new Workspace(dir);
  const h = analyzeHelpers(ws, 'echo');
  h.defines.set('echo.labels', 'x: {{ .context.Release.Name }}');
  h.labels = 'echo.labels';
  const dict = 'metadata:\n  labels:\n    {{- include "echo.labels" (dict "context" . "component" "web") | nindent 4 }}\n';
  assert.equal(labelsCall(ws, h, dict), 'include "echo.labels" (dict "context" . "component" "web")');
  const ranged = '{{- range .Values.service.serviceTypes }}\n  labels:\n    {{- include "echo.labels" $ | nindent 4 }}\n{{- end }}\n';
  assert.equal(labelsCall(ws, h, ranged), 'include "echo.labels" $', '`$` is the root anywhere');
  const dotInRange = '{{- range .Values.x }}\n    {{- include "echo.labels" . | nindent 4 }}\n{{- end }}\n';
  const variable = '{{- $ctx := . }}\n    {{- include "echo.labels" $ctx | nindent 4 }}\n';
  // Neither is usable at the top level, and no other template calls it: the shape its body reads (`.context`).
  assert.equal(labelsCall(ws, h, dotInRange), 'include "echo.labels" (dict "context" .)');
  assert.equal(labelsCall(ws, h, variable), 'include "echo.labels" (dict "context" .)');
  h.defines.set('echo.labels', 'x: {{ .Release.Name }}');
  assert.equal(labelsCall(ws, h, variable), 'include "echo.labels" .');
});

test('portableName: variables set at the top of the template are replaced by what they hold', () => {
  const doc = '{{- $fullName := include "x.fullname" . -}}\nmetadata:\n  name: {{ $fullName }}-web\n';
  assert.equal(portableName('{{ $fullName }}-web', doc), '{{ (include "x.fullname" .) }}-web');
  assert.equal(portableName('{{ $n }}', '{{- range .Values.a }}{{- $n := .name }}\n  name: {{ $n }}\n{{- end }}'), undefined);
  assert.equal(
    portableName('{{ include "x.fullname" . }}', 'metadata:\n  name: {{ include "x.fullname" . }}\n'),
    '{{ include "x.fullname" . }}',
  );
});
