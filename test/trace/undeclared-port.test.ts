// Kubernetes does not require declaring container ports: a numeric targetPort reaches whatever listens
// there, declared or not (Keycloak's jgroups 7800 is one). trace assumes the app listens and says so; check's
// MESH006 notes it as info when every container declares other ports.
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
  assert.match(tp.detail, /no container declares 9898 \(Kubernetes does not require it\)/);
  assert.equal(r.hops.at(-1)!.kind, 'container');
});

test('numeric targetPort that the declared container ports lack: served on the assumption, noted with MESH006', () => {
  const yaml = mutate(PODINFO, 'targetPort: http', 'targetPort: 8080');
  const r = trace(yaml, 'https://podinfo.bigbang.dev/');
  assert.equal(r.verdict.ok, true, r.verdict.reason);
  const tp = r.hops.find((h) => h.kind === 'target-port')!;
  assert.equal(tp.code, 'MESH006');
  assert.equal(tp.assumed, true);
  assert.match(tp.detail, /no container declares 8080/);
});
