// ClusterReader over a dump of the cluster: `kubectl get ... -A -o yaml` (a List), a multi-document
// YAML stream, or the same as JSON. Secrets are reduced at load time (see sanitizeSecret).
import { loadManifests, toManifest } from '../../manifest/index.js';
import { assertJsonBounds } from '../../manifest/load.js';
import { UserError } from '../../core/errors.js';
import { readText } from '../files.js';
import type { K8sObject, Manifest } from '../../manifest/index.js';
import { KINDS, groupMatches, resourceName, sanitizeSecret } from './reader.js';
import type { ClusterReader, ReadKind } from './reader.js';
import type { Slot } from '../../analysis/verify/types.js';

/** The one command that makes a snapshot verify can read (shown in --help). */
export const SNAPSHOT_COMMAND =
  '{ kubectl get namespaces,gitrepositories.source.toolkit.fluxcd.io,helmreleases.helm.toolkit.fluxcd.io,' +
  'pods,services,gateways.networking.istio.io,virtualservices.networking.istio.io -A -o yaml; ' +
  'echo ---; kubectl get secret -n istio-system public-cert -o yaml; } > cluster.yaml';

export class SnapshotReader implements ClusterReader {
  readonly live = false;
  readonly description: string;
  /** kind -> namespace -> objects */
  private readonly index = new Map<ReadKind, Map<string, Manifest[]>>();
  readonly manifests: Manifest[];

  constructor(manifests: Manifest[], description: string) {
    this.description = description;
    this.manifests = [];
    for (const m of manifests) {
      const kind = m.kind as ReadKind;
      if (!(kind in KINDS) || !groupMatches(kind, m.apiVersion)) {
        this.manifests.push(m);
        continue;
      }
      const mm = kind === 'Secret' ? toManifest(sanitizeSecret(m.obj), m.origin) : m;
      this.manifests.push(mm);
      let byNs = this.index.get(kind);
      if (!byNs) this.index.set(kind, (byNs = new Map()));
      const ns = KINDS[kind].namespaced ? mm.namespace : '';
      let arr = byNs.get(ns);
      if (!arr) byNs.set(ns, (arr = []));
      arr.push(mm);
    }
  }

  /** Reads a dump; one that holds no object verify reads is bad input (exit 2), never an empty cluster. */
  static fromFile(file: string): SnapshotReader {
    const text = readText(file, 'snapshot'); // within the input size limit, never without end (a device, a pipe)
    const reader = new SnapshotReader(parseSnapshot(text, file), `snapshot ${file}`);
    if (reader.index.size === 0) {
      const what = reader.manifests.length
        ? `no object verify reads (it holds ${reader.manifests.length}: ${[...new Set(reader.manifests.map((m) => m.kind))].slice(0, 5).join(', ')})`
        : 'no objects';
      throw new UserError(`snapshot ${file} holds ${what}`, {
        hint: 'make it with the kubectl get command in bbmesh verify --help',
      });
    }
    return reader;
  }

  async list(kind: ReadKind, namespace: string): Promise<Slot<Manifest[]>> {
    const byNs = this.index.get(kind);
    if (!byNs) return { error: this.notCaptured(kind, namespace) };
    return { value: byNs.get(KINDS[kind].namespaced ? namespace : '') ?? [] };
  }

  async get(kind: ReadKind, namespace: string, name: string): Promise<Slot<Manifest | undefined>> {
    const byNs = this.index.get(kind);
    if (!byNs) {
      const e = this.notCaptured(kind, namespace);
      return {
        error: {
          ...e,
          name,
          message: kind === 'Secret' ? `the snapshot holds no Secret objects: ${namespace}/${name} was not dumped` : e.message,
        },
      };
    }
    return { value: (byNs.get(KINDS[kind].namespaced ? namespace : '') ?? []).find((m) => m.name === name) };
  }

  private notCaptured(kind: ReadKind, namespace: string) {
    return {
      kind,
      namespace: KINDS[kind].namespaced ? namespace : undefined,
      reason: 'not-captured' as const,
      message: `the snapshot holds no ${kind} objects at all (add ${resourceName(kind)} to the kubectl get that made it)`,
    };
  }
}

/** YAML (List or multi-doc) or JSON (a List, an array, or one object), with objects stamped stage 'cluster'. */
export function parseSnapshot(text: string, file: string): Manifest[] {
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch {
      value = undefined; // not strict JSON: YAML flow style, let the YAML loader say where
    }
    if (value !== undefined) {
      assertJsonBounds(value, file);
      const items: unknown[] = Array.isArray(value) ? value : isList(value) ? value.items : [value];
      const out: Manifest[] = [];
      items.forEach((item, i) => {
        if (!item || typeof item !== 'object' || Array.isArray(item)) return;
        if (isList(item)) {
          item.items.forEach(
            (o, j) => o && typeof o === 'object' && out.push(toManifest(o as K8sObject, { stage: 'cluster', listIndex: j })),
          );
        } else {
          out.push(toManifest(item as K8sObject, { stage: 'cluster', listIndex: i }));
        }
      });
      return out;
    }
  }
  return loadManifests(text, { file, stage: 'cluster' });
}

function isList(v: unknown): v is { kind?: unknown; items: unknown[] } {
  const o = v as { kind?: unknown; items?: unknown } | null;
  return !!o && typeof o === 'object' && Array.isArray(o.items) && /List$/.test(String(o.kind ?? 'List'));
}
