// The catalogue of operators whose custom resources make Services and pods at run time, and the step that
// adds those objects to a render so a VirtualService routing to `kiali.kiali.svc.cluster.local` finds its
// Service. Derived objects are marked with origin stage 'operator'; the input always wins on a name clash.
import type { K8sObject, Manifest } from '../../manifest/types.js';
import { eckOperator } from './eck.js';
import { gitlabOperator } from './gitlab.js';
import { istioOperator } from './istio-operator.js';
import { jaegerOperator } from './jaeger.js';
import { keycloakOperator } from './keycloak.js';
import { kialiOperator } from './kiali.js';
import { mattermostOperator } from './mattermost.js';
import { minioOperator } from './minio.js';
import { prometheusOperator } from './prometheus.js';
import { tempoOperator } from './tempo.js';
import type { Derived, Operator } from './types.js';

export type * from './types.js';

export const OPERATORS: readonly Operator[] = [
  kialiOperator,
  jaegerOperator,
  tempoOperator,
  minioOperator,
  prometheusOperator,
  eckOperator,
  mattermostOperator,
  keycloakOperator,
  gitlabOperator,
  istioOperator,
];

const BY_KIND = new Map<string, Operator>();
for (const op of OPERATORS) for (const r of op.resources) for (const k of r.kinds) BY_KIND.set(`${r.group}/${k}`, op);

/** The operator in the catalogue that acts on `m`, if any (by API group and kind; any version). */
export function operatorFor(m: Manifest): Operator | undefined {
  const slash = m.apiVersion.indexOf('/');
  if (slash < 0) return undefined;
  return BY_KIND.get(`${m.apiVersion.slice(0, slash)}/${m.kind}`);
}

export interface DerivedInfo {
  operator: string;
  /** The custom resource the object was made from. */
  cr: Manifest;
  /** What the object is, in a user's words. */
  note: string;
}

const INFO = new WeakMap<Manifest, DerivedInfo>();

function toObject(d: Derived): K8sObject {
  if (d.kind === 'Service') {
    const spec: Record<string, unknown> = { type: d.type, selector: { ...d.selector }, ports: d.ports.map((p) => ({ ...p })) };
    if (d.clusterIP) spec.clusterIP = d.clusterIP;
    return { apiVersion: 'v1', kind: 'Service', metadata: { name: d.name, namespace: d.namespace, labels: { ...d.labels } }, spec };
  }
  const podMeta: Record<string, unknown> = { labels: { ...d.podLabels } };
  if (d.podAnnotations && Object.keys(d.podAnnotations).length) podMeta.annotations = { ...d.podAnnotations };
  return {
    apiVersion: 'apps/v1',
    kind: d.kind,
    metadata: { name: d.name, namespace: d.namespace, labels: { ...d.podLabels } },
    spec: {
      selector: { matchLabels: { ...(d.matchLabels ?? d.podLabels) } },
      template: {
        metadata: podMeta,
        spec: { containers: d.containers.map((c) => ({ name: c.name, ports: c.ports.map((p) => ({ ...p })) })) },
      },
    },
  };
}

function key(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

function safeDerive(op: Operator, cr: Manifest): Derived[] {
  try {
    return op.derive(cr);
  } catch {
    // A CR this code cannot read is one the controller would reject too: derive nothing for it.
    return [];
  }
}

/**
 * Synthetic manifests for what the operators in the catalogue create from the CRs in `manifests`, never an
 * object whose kind, namespace and name the input (or an earlier derivation) already has.
 */
export function deriveOperatorObjects(manifests: Manifest[]): Manifest[] {
  const have = new Set<string>();
  const crs: Array<[Operator, Manifest]> = [];
  for (const m of manifests) {
    have.add(key(m.kind, m.namespace, m.name));
    const op = operatorFor(m);
    if (op && m.name) crs.push([op, m]);
  }
  const out: Manifest[] = [];
  for (const [op, cr] of crs) {
    const template = `made by ${op.name} from ${cr.kind} ${cr.namespace ? `${cr.namespace}/` : ''}${cr.name} at run time`;
    for (const d of safeDerive(op, cr)) {
      if (!d.name || !d.namespace) continue;
      const k = key(d.kind, d.namespace, d.name);
      if (have.has(k)) continue;
      have.add(k);
      const m: Manifest = {
        apiVersion: d.kind === 'Service' ? 'v1' : 'apps/v1',
        kind: d.kind,
        name: d.name,
        namespace: d.namespace,
        obj: toObject(d),
        origin: { stage: 'operator', template, release: cr.origin.release },
      };
      INFO.set(m, { operator: op.name, cr, note: d.note });
      out.push(m);
    }
  }
  return out;
}

/** The input plus what its operators make (see deriveOperatorObjects). */
export function withOperatorObjects(manifests: Manifest[]): Manifest[] {
  const extra = deriveOperatorObjects(manifests);
  return extra.length ? manifests.concat(extra) : manifests;
}

/** "made by <operator> from <Kind> <ns>/<name> at run time" for an operator-made object, else undefined. */
export function operatorNote(m: Manifest): string | undefined {
  return m.origin.stage === 'operator' ? m.origin.template : undefined;
}

/** The operator, CR and note behind an object deriveOperatorObjects made (undefined for anything else). */
export function derivedInfo(m: Manifest): DerivedInfo | undefined {
  return INFO.get(m);
}
