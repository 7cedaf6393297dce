// Chart analysis: helpers (`define`s) and Services (name expression, HTTP port values path).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDefines } from '../../src/integrate/helpers.js';
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
