import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { K8sObject } from '../../../src/manifest/types.js';
import { applyPostRenderers, PostRenderError } from '../../../src/sources/flux/post-render.js';
import { parseSelector } from '../../../src/sources/flux/selector.js';

const deployment = (name: string, extra: Record<string, unknown> = {}, labels: Record<string, string> = {}): K8sObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'kiali', labels, annotations: { 'keep/me': 'yes', 'drop/me': 'x' } },
  spec: {
    replicas: 1,
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'registry1.dso.mil/ironbank/kiali/kiali:v1.80.0',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
            ports: [{ containerPort: 20001, protocol: 'TCP' }],
            volumeMounts: [{ name: 'cfg', mountPath: '/etc/kiali' }],
            securityContext: { runAsUser: 1000, runAsGroup: 1000 },
          },
          { name: 'sidecar', image: 'busybox:1.36' },
        ],
        tolerations: [{ key: 'a', operator: 'Exists' }],
        ...extra,
      },
    },
  },
});

const kustomize = (k: Record<string, unknown>) => [{ kustomize: k }];
const smp = (patch: string, target: Record<string, string> = { kind: 'Deployment' }) => kustomize({ patches: [{ patch, target }] });
const podSpec = (o: K8sObject) => (o.spec as any).template.spec;
const container = (o: K8sObject, name = 'app') => podSpec(o).containers.find((c: any) => c.name === name);
const one = (objs: K8sObject[], postRenderers: unknown) => applyPostRenderers(objs, postRenderers)[0];

const SMP_HEAD = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ignored-with-a-target\nspec:\n  template:\n    spec:\n';

test('strategic merge: lists of built-in kinds merge by their merge keys', () => {
  const patch = `${SMP_HEAD}      containers:
        - name: app
          env:
            - name: B
              value: "3"
            - name: C
              value: "4"
          ports:
            - containerPort: 20001
              name: http
          volumeMounts:
            - name: renamed
              mountPath: /etc/kiali
            - name: tmp
              mountPath: /tmp
`;
  const out = one([deployment('kiali')], smp(patch));
  assert.deepEqual(container(out).env, [
    { name: 'A', value: '1' },
    { name: 'B', value: '3' },
    { name: 'C', value: '4' },
  ]);
  assert.deepEqual(container(out).ports, [{ containerPort: 20001, protocol: 'TCP', name: 'http' }]);
  assert.deepEqual(container(out).volumeMounts, [
    { name: 'renamed', mountPath: '/etc/kiali' },
    { name: 'tmp', mountPath: '/tmp' },
  ]);
  assert.equal(container(out).image, 'registry1.dso.mil/ironbank/kiali/kiali:v1.80.0');
  assert.equal(container(out, 'sidecar').image, 'busybox:1.36');
  assert.equal(out.metadata?.name, 'kiali', 'the target keeps its name');
});

test('strategic merge: $patch delete and replace, null, and lists without a merge key', () => {
  const cases: Array<[string, string, (o: K8sObject) => void]> = [
    [
      'delete a container',
      `      containers:\n        - name: sidecar\n          $patch: delete\n`,
      (o) =>
        assert.deepEqual(
          podSpec(o).containers.map((c: any) => c.name),
          ['app'],
        ),
    ],
    [
      'delete an env var',
      `      containers:\n        - name: app\n          env:\n            - name: A\n              $patch: delete\n`,
      (o) => assert.deepEqual(container(o).env, [{ name: 'B', value: '2' }]),
    ],
    [
      'replace a map',
      `      containers:\n        - name: app\n          securityContext:\n            $patch: replace\n            runAsNonRoot: true\n`,
      (o) => assert.deepEqual(container(o).securityContext, { runAsNonRoot: true }),
    ],
    [
      'replace a keyed list',
      `      containers:\n        - $patch: replace\n        - name: only\n          image: x:1\n`,
      (o) => assert.deepEqual(podSpec(o).containers, [{ name: 'only', image: 'x:1' }]),
    ],
    [
      'tolerations have no merge key: replaced',
      `      tolerations:\n        - key: b\n          operator: Exists\n`,
      (o) => assert.deepEqual(podSpec(o).tolerations, [{ key: 'b', operator: 'Exists' }]),
    ],
  ];
  for (const [name, body, check] of cases) {
    try {
      check(one([deployment('kiali')], smp(SMP_HEAD + body)));
    } catch (e) {
      throw new Error(`${name}: ${(e as Error).message}`, { cause: e });
    }
  }
  const dropped = one([deployment('kiali')], smp('kind: Deployment\nmetadata:\n  annotations:\n    drop/me: null\n'));
  assert.deepEqual(dropped.metadata?.annotations, { 'keep/me': 'yes' });
  const gone = applyPostRenderers(
    [deployment('kiali'), deployment('other')],
    smp('$patch: delete\n', { kind: 'Deployment', name: 'other' }),
  );
  assert.deepEqual(
    gone.map((o) => o.metadata?.name),
    ['kiali'],
  );
});

test('strategic merge: custom resources have no merge keys, so their lists are replaced; Services merge ports by port', () => {
  const vs: K8sObject = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'kiali' },
    spec: {
      hosts: ['kiali.bigbang.dev'],
      http: [
        { name: 'a', route: [] },
        { name: 'b', route: [] },
      ],
    },
  };
  const out = one([vs], smp('spec:\n  http:\n    - name: b\n      timeout: 5s\n', { kind: 'VirtualService' }));
  assert.deepEqual((out.spec as any).http, [{ name: 'b', timeout: '5s' }]);
  const svc: K8sObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kiali' },
    spec: { ports: [{ port: 20001, name: 'http' }] },
  };
  const merged = one(
    [svc],
    smp('spec:\n  ports:\n    - port: 20001\n      appProtocol: http\n    - port: 9090\n      name: metrics\n', { kind: 'Service' }),
  );
  assert.deepEqual((merged.spec as any).ports, [
    { port: 20001, name: 'http', appProtocol: 'http' },
    { port: 9090, name: 'metrics' },
  ]);
});

test('JSON 6902: add, replace and remove by path; failures name the patch and the object', () => {
  const ops = [
    '- op: add\n  path: /spec/template/metadata/labels/sidecar.istio.io~1inject\n  value: "true"',
    '- op: replace\n  path: /spec/replicas\n  value: 3',
    '- op: remove\n  path: /metadata/annotations/drop~1me',
  ].join('\n');
  const out = one([deployment('kiali')], smp(ops, { kind: 'Deployment', name: 'kiali' }));
  assert.equal((out.spec as any).template.metadata.labels['sidecar.istio.io/inject'], 'true');
  assert.equal((out.spec as any).replicas, 3);
  assert.deepEqual(out.metadata?.annotations, { 'keep/me': 'yes' });
  // the older patchesJson6902 field takes the operations as a list
  const legacy = one(
    [deployment('kiali')],
    kustomize({
      patchesJson6902: [{ target: { kind: 'Deployment', name: 'kiali' }, patch: [{ op: 'replace', path: '/spec/replicas', value: 2 }] }],
    }),
  );
  assert.equal((legacy.spec as any).replicas, 2);
  assert.throws(
    () => applyPostRenderers([deployment('kiali')], smp('- op: remove\n  path: /spec/nothing\n')),
    (e: unknown) => e instanceof PostRenderError && /^postRenderers\[0\]\.kustomize\.patches\[0\]: on Deployment\/kiali: /.test(e.message),
  );
  assert.throws(
    () => applyPostRenderers([deployment('kiali')], kustomize({ patches: [{ patch: '- op: add\n  path: /x\n  value: 1\n' }] })),
    /needs a target/,
  );
  assert.throws(() => applyPostRenderers([deployment('kiali')], smp('spec: [unclosed\n')), /not valid YAML/);
});

test('targets: kind and anchored name regex, group/version, namespace, label and annotation selectors', () => {
  const objs = [
    deployment('app-1', {}, { 'app.kubernetes.io/name': 'kiali', tier: 'web' }),
    deployment('app-2', {}, { 'app.kubernetes.io/name': 'kiali', tier: 'db' }),
    deployment('xapp-1', {}, { legacy: 'true' }),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-1', annotations: { 'bigbang.dev/patch': 'yes' } } },
  ];
  const hit = (target: Record<string, string>) =>
    applyPostRenderers(objs, smp('metadata:\n  labels:\n    patched: "yes"\n', target))
      .filter((o) => o.metadata?.labels?.patched === 'yes')
      .map((o) => `${o.kind}/${o.metadata?.name}`);
  assert.deepEqual(hit({ kind: 'Deployment', name: 'app-.*' }), ['Deployment/app-1', 'Deployment/app-2']);
  assert.deepEqual(hit({ name: 'app-1' }), ['Deployment/app-1', 'ConfigMap/app-1']);
  assert.deepEqual(hit({ group: 'apps', version: 'v1', name: '.*1' }), ['Deployment/app-1', 'Deployment/xapp-1']);
  assert.deepEqual(hit({ kind: 'Deployment|ConfigMap', namespace: 'kiali' }), [
    'Deployment/app-1',
    'Deployment/app-2',
    'Deployment/xapp-1',
  ]);
  assert.deepEqual(hit({ labelSelector: 'app.kubernetes.io/name=kiali,tier!=db' }), ['Deployment/app-1']);
  assert.deepEqual(hit({ labelSelector: 'tier in (db, cache)' }), ['Deployment/app-2']);
  assert.deepEqual(hit({ kind: 'Deployment', labelSelector: '!legacy' }), ['Deployment/app-1', 'Deployment/app-2']);
  assert.deepEqual(hit({ annotationSelector: 'bigbang.dev/patch' }), ['ConfigMap/app-1']);
  assert.throws(() => parseSelector('a in b'), /invalid selector/);
});

test('a patch without a target applies to the object it names, and fails when none is rendered', () => {
  const objs = [deployment('kiali'), deployment('other')];
  const out = applyPostRenderers(
    objs,
    kustomize({
      patchesStrategicMerge: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'other' }, spec: { replicas: 5 } }],
    }),
  );
  assert.deepEqual(
    out.map((o) => (o.spec as any).replicas),
    [1, 5],
  );
  assert.throws(
    () =>
      applyPostRenderers(objs, kustomize({ patches: [{ patch: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ghost\n' }] })),
    /no rendered object is Deployment\/ghost/,
  );
});

test('images: name/newName/newTag/digest on containers and initContainers at any depth, after the patches', () => {
  const cron: K8sObject = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'job' },
    spec: {
      jobTemplate: {
        spec: {
          template: {
            spec: {
              initContainers: [{ name: 'i', image: 'localhost:5000/tools/kubectl:1.29' }],
              containers: [{ name: 'c', image: 'busybox' }],
            },
          },
        },
      },
    },
  };
  const [dep, job] = applyPostRenderers(
    [deployment('kiali'), cron],
    kustomize({
      patches: [
        { patch: `${SMP_HEAD}      containers:\n        - name: sidecar\n          image: busybox:1.35\n`, target: { kind: 'Deployment' } },
      ],
      images: [
        { name: 'busybox', newName: 'registry1.dso.mil/ironbank/busybox', newTag: '1.37' },
        { name: 'registry1.dso.mil/ironbank/kiali/kiali', digest: 'sha256:abc' },
        { name: 'localhost:5000/tools/kubectl', newTag: '1.31' },
        { name: 'registry1.dso.mil/ironbank/kiali', newTag: 'never' },
      ],
    }),
  );
  assert.equal(container(dep).image, 'registry1.dso.mil/ironbank/kiali/kiali@sha256:abc');
  assert.equal(container(dep, 'sidecar').image, 'registry1.dso.mil/ironbank/busybox:1.37');
  const podOf = (j: K8sObject) => (j.spec as any).jobTemplate.spec.template.spec;
  assert.equal(podOf(job).initContainers[0].image, 'localhost:5000/tools/kubectl:1.31');
  assert.equal(podOf(job).containers[0].image, 'registry1.dso.mil/ironbank/busybox:1.37');
});

test('post-renderers run in order and leave their input untouched', () => {
  const input = [deployment('kiali')];
  const before = structuredClone(input);
  const out = applyPostRenderers(input, [
    { kustomize: { patches: [{ patch: '- op: replace\n  path: /spec/replicas\n  value: 2\n', target: { kind: 'Deployment' } }] } },
    {
      kustomize: {
        patches: [
          {
            patch: '- op: test\n  path: /spec/replicas\n  value: 2\n- op: replace\n  path: /spec/replicas\n  value: 4\n',
            target: { kind: 'Deployment' },
          },
        ],
      },
    },
  ]);
  assert.equal((out[0].spec as any).replicas, 4);
  assert.deepEqual(input, before);
  assert.deepEqual(applyPostRenderers(input, undefined), input);
});
