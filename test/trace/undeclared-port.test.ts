// Kubernetes does not require declaring container ports: a numeric targetPort on pods that
// declare none reaches the app (as check's MESH006 judges it); only pods that declare other
// ports and not this one make it a likely 503.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mutate, PODINFO, trace } from './helpers.js';

const PORTS = `          ports:
            - name: http
              containerPort: 9898
              protocol: TCP
            - name: http-metrics
              containerPort: 9797
              protocol: TCP
            - name: grpc
              containerPort: 9999
              protocol: TCP
`;

test('numeric targetPort, no container ports declared: the request is served (with a note)', () => {
  const yaml = mutate(mutate(PODINFO, 'targetPort: http', 'targetPort: 9898'), PORTS, '');
  const r = trace(yaml, 'https://podinfo.bigbang.dev/');
  assert.equal(r.verdict.ok, true, r.verdict.reason);
  const tp = r.hops.find((h) => h.kind === 'target-port')!;
  assert.match(tp.detail, /declare no container ports/);
  assert.equal(r.hops.at(-1)!.kind, 'container');
});

test('numeric targetPort that the declared container ports lack: 503 UF, MESH006', () => {
  const yaml = mutate(PODINFO, 'targetPort: http', 'targetPort: 8080');
  const r = trace(yaml, 'https://podinfo.bigbang.dev/');
  assert.equal(r.verdict.status, 503);
  assert.equal(r.verdict.flag, 'UF');
  assert.equal(r.verdict.code, 'MESH006');
});
