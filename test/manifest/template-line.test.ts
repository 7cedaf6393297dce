import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { templateLine as fromText } from '../../src/manifest/template-line.js';

// Templates come from the package's files; here, straight from disk.
const templateLine = (file: string, path: Array<string | number>) =>
  fromText(existsSync(file) ? readFileSync(file, 'utf8') : undefined, path);
import { EXAMPLE, tempDir } from '../helpers/pkg.js';

const svc = join(EXAMPLE, 'chart/templates/service.yaml');
const dep = join(EXAMPLE, 'chart/templates/deployment.yaml');

test('maps a rendered path to the template line that wrote it', () => {
  assert.equal(templateLine(svc, ['spec', 'ports', 0, 'port'])?.line, 11); // - port: {{ .Values.service.externalPort }}
  assert.equal(templateLine(svc, ['spec', 'ports', 1, 'port'])?.line, 19); // the grpc port, inside {{- if }}
  assert.equal(templateLine(svc, ['spec', 'ports', 1, 'targetPort'])?.line, 20);
  assert.equal(templateLine(dep, ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort'])?.line, 57);
});

test('content from a helper falls back to the key that includes it', () => {
  // labels come from {{- include "podinfo.labels" . | nindent 4 }} under `labels:`
  assert.equal(templateLine(svc, ['metadata', 'labels', 'app.kubernetes.io/instance'])?.line, 6);
  assert.equal(templateLine(svc, ['spec', 'selector', 'app.kubernetes.io/name'])?.line, 24);
});

test('quoted keys, comments, action lines and unknown files', () => {
  const f = join(tempDir(), 't.yaml');
  writeFileSync(
    f,
    '{{- if .Values.on }}\n# comment\napiVersion: v1\nkind: ConfigMap\ndata:\n  "key.one": {{ .Values.a }}\n  {{- range .Values.list }}\n  item: x\n  {{- end }}\n{{- end }}\n',
  );
  assert.deepEqual(templateLine(f, ['data', 'key.one']), { line: 6, column: 3 });
  assert.equal(templateLine(f, ['kind'])?.line, 4);
  assert.equal(templateLine(join(tempDir(), 'missing.yaml'), ['a']), undefined);
});

test("indentless sequences (a list at its key's own column)", () => {
  const f = join(tempDir(), 'vs.yaml');
  writeFileSync(
    f,
    'spec:\n  http:\n  - match:\n    - uri:\n        prefix: /api\n    route:\n    - destination:\n        host: a\n  - route:\n    - destination:\n        host: b\n  tcp: []\n',
  );
  assert.equal(templateLine(f, ['spec', 'http', 1, 'route', 0, 'destination', 'host'])?.line, 11);
  assert.equal(templateLine(f, ['spec', 'http', 0, 'route', 0, 'destination'])?.line, 7);
  assert.equal(templateLine(f, ['spec', 'tcp'])?.line, 12);
});
