// The unknown-field check learns a kind's fields from what its compiled validator reads. A
// field the schema declares but the validator never reads (an always-valid schema such as
// `{}`) would be a false alarm. The packages' TypeScript declarations list every declared
// field, so: build, for each kind Big Bang uses, an object that sets every declared field
// (from the .d.ts, via the TypeScript checker) and require that none is reported unknown.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { modelFormats } from '../../src/model/validate/linker.js';
import { schemaFor } from '../../src/model/validate/registry.js';
import { learn, unknownFields } from '../../src/model/validate/shape.js';
import { validateManifest } from '../../src/model/validate/index.js';

const KINDS = [
  'v1/Service',
  'v1/Secret',
  'v1/ConfigMap',
  'v1/Namespace',
  'v1/ServiceAccount',
  'v1/PersistentVolumeClaim',
  'apps/v1/Deployment',
  'apps/v1/StatefulSet',
  'apps/v1/DaemonSet',
  'batch/v1/Job',
  'batch/v1/CronJob',
  'networking.k8s.io/v1/NetworkPolicy',
  'networking.k8s.io/v1/Ingress',
  'policy/v1/PodDisruptionBudget',
  'autoscaling/v2/HorizontalPodAutoscaler',
  'rbac.authorization.k8s.io/v1/Role',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'networking.istio.io/v1/VirtualService',
  'networking.istio.io/v1/Gateway',
  'networking.istio.io/v1/DestinationRule',
  'networking.istio.io/v1/ServiceEntry',
  'networking.istio.io/v1/Sidecar',
  'networking.istio.io/v1beta1/VirtualService',
  'networking.istio.io/v1alpha3/EnvoyFilter',
  'security.istio.io/v1/PeerAuthentication',
  'security.istio.io/v1/AuthorizationPolicy',
  'security.istio.io/v1/RequestAuthentication',
  'telemetry.istio.io/v1/Telemetry',
  'helm.toolkit.fluxcd.io/v2/HelmRelease',
  'helm.toolkit.fluxcd.io/v2beta2/HelmRelease',
  'source.toolkit.fluxcd.io/v1/GitRepository',
  'source.toolkit.fluxcd.io/v1/HelmRepository',
  'source.toolkit.fluxcd.io/v1/OCIRepository',
  'kustomize.toolkit.fluxcd.io/v1/Kustomization',
];
/** The control: its generated schema lacks the fields named `description` and `x-kubernetes-*` (validator skips the group). */
const CONTROL = 'apiextensions.k8s.io/v1/CustomResourceDefinition';

const packageOf = (group: string) =>
  group.endsWith('.istio.io')
    ? '@kubernetes-models/istio'
    : group.endsWith('.fluxcd.io')
      ? '@kubernetes-models/flux-cd'
      : 'kubernetes-models';

function parse(k: string) {
  const i = k.lastIndexOf('/');
  const apiVersion = k.slice(0, i);
  const kind = k.slice(i + 1);
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  const js = fileURLToPath(import.meta.resolve(`${packageOf(group)}/${apiVersion}/${kind}`));
  return { apiVersion, kind, dts: js.replace(/\.js$/, '.d.ts') };
}

/** An object with every declared field set (one item per list, one entry per map), bounded in depth. */
function fullSample(checker: ts.TypeChecker, t: ts.Type, depth = 0, stack = new Set<ts.Type>()): unknown {
  if (t.isIntersection()) return Object.assign({}, ...t.types.map((x) => fullSample(checker, x, depth, stack)));
  if (t.isUnion()) {
    const some = t.types.filter((x) => !(x.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
    const objects = some.filter((x) => x.flags & ts.TypeFlags.Object && !checker.isArrayType(x));
    if (objects.length > 1) return Object.assign({}, ...objects.map((x) => fullSample(checker, x, depth, stack)));
    return fullSample(checker, objects[0] ?? some[0], depth, stack);
  }
  if (t.flags & ts.TypeFlags.StringLiteral) return (t as ts.StringLiteralType).value;
  if (t.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) return 1;
  if (t.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return true;
  if (checker.isArrayType(t))
    return depth > 12 ? [] : [fullSample(checker, checker.getTypeArguments(t as ts.TypeReference)[0], depth + 1, stack)];
  if (!(t.flags & ts.TypeFlags.Object)) return 'x';
  if (stack.has(t) || depth > 12) return {};
  stack.add(t);
  const out: Record<string, unknown> = {};
  const index = checker.getIndexInfoOfType(t, ts.IndexKind.String);
  if (index) out['some-key'] = fullSample(checker, index.type, depth + 1, stack);
  for (const p of checker.getPropertiesOfType(t)) out[p.name] = fullSample(checker, checker.getTypeOfSymbol(p), depth + 1, stack);
  stack.delete(t);
  return out;
}

test('every field the model packages declare is known to the unknown-field check', () => {
  const kinds = [...KINDS, CONTROL].map(parse);
  const program = ts.createProgram(
    kinds.map((k) => k.dts),
    { noEmit: true, skipLibCheck: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: [] },
  );
  const checker = program.getTypeChecker();
  const unread: Record<string, string[]> = {};
  for (const k of kinds) {
    const source = program.getSourceFile(k.dts);
    assert.ok(source, k.dts);
    const iface = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!).find((s) => s.name === `I${k.kind}`);
    assert.ok(iface, `I${k.kind} in ${k.dts}`);
    const sample = fullSample(checker, checker.getDeclaredTypeOfSymbol(iface)) as Record<string, unknown>;
    const schema = schemaFor(k.apiVersion, k.kind);
    assert.ok(schema, `${k.apiVersion}/${k.kind} has a schema`);
    learn(schema.validate, sample, schema.shape);
    const { found } = unknownFields(schema.shape, sample);
    if (found.length) unread[`${k.apiVersion}/${k.kind}`] = found.map((f) => f.path.join('.'));
    if (`${k.apiVersion}/${k.kind}` === CONTROL) {
      const m = { apiVersion: k.apiVersion, kind: k.kind, name: 'x', namespace: '', obj: sample, origin: { stage: 'input' as const } };
      assert.deepEqual(
        validateManifest(m).filter((v) => v.kind === 'unknown-field'),
        [],
        'the control group is exempt from the unknown-field check',
      );
    }
  }
  // The audit can fail: the control's stripped fields are found...
  assert.ok(
    unread[CONTROL]?.some((p) => p.endsWith('openAPIV3Schema.description')),
    JSON.stringify(unread[CONTROL]),
  );
  delete unread[CONTROL];
  // ...and no kind Big Bang uses has one.
  assert.deepEqual(unread, {});
});

test('every kind of the three packages loads through the linker, and every format its validators use is provided', () => {
  const classRe = /static\{this\.apiVersion="([^"]+)"\}static\{this\.kind="([^"]+)"\}/;
  const formats = new Set(Object.keys(modelFormats()));
  const missing: string[] = [];
  let kinds = 0;
  for (const pkg of ['kubernetes-models', '@kubernetes-models/istio', '@kubernetes-models/flux-cd', '@kubernetes-models/apimachinery']) {
    const root = dirname(fileURLToPath(import.meta.resolve(pkg)));
    const walk = (dir: string): void => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) {
          walk(p);
          continue;
        }
        if (!f.endsWith('.js')) continue;
        const text = readFileSync(p, 'utf8');
        if (dir.endsWith('_schemas')) {
          for (const m of text.matchAll(/formats(?:\.([A-Za-z0-9_]+)|\["([^"]+)"\])/g))
            if (!formats.has(m[1] ?? m[2])) missing.push(`${f}: ${m[1] ?? m[2]}`);
          continue;
        }
        const cls = classRe.exec(text);
        if (!cls) continue;
        kinds++;
        if (!schemaFor(cls[1], cls[2])) missing.push(`${cls[1]}/${cls[2]}`);
      }
    };
    walk(root);
  }
  assert.ok(kinds > 300, `${kinds} kinds`);
  assert.deepEqual(missing, []);
});
