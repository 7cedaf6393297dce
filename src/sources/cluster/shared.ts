// One read per kind and namespace, shared by every package of verify --all: list and get promises
// are kept, and a get is answered from a list of the same kind and namespace already asked for.
// Secrets are only ever read one by one (verify never lists them).
import type { Manifest } from '../../manifest/index.js';
import type { Slot } from '../../analysis/verify/types.js';
import type { ClusterReader, ReadKind } from './reader.js';

export class SharedReader implements ClusterReader {
  readonly live: boolean;
  readonly description: string;
  private readonly lists = new Map<string, Promise<Slot<Manifest[]>>>();
  private readonly gets = new Map<string, Promise<Slot<Manifest | undefined>>>();

  constructor(readonly base: ClusterReader) {
    this.live = base.live;
    this.description = base.description;
  }

  list(kind: ReadKind, namespace: string): Promise<Slot<Manifest[]>> {
    const key = `${kind}\0${namespace}`;
    let p = this.lists.get(key);
    if (!p) this.lists.set(key, (p = this.base.list(kind, namespace)));
    return p;
  }

  get(kind: ReadKind, namespace: string, name: string): Promise<Slot<Manifest | undefined>> {
    const listed = kind === 'Secret' ? undefined : this.lists.get(`${kind}\0${namespace}`);
    if (listed) {
      return listed.then((l) => (l.error ? this.fetch(kind, namespace, name) : { value: l.value!.find((m) => m.name === name) }));
    }
    return this.fetch(kind, namespace, name);
  }

  private fetch(kind: ReadKind, namespace: string, name: string): Promise<Slot<Manifest | undefined>> {
    const key = `${kind}\0${namespace}\0${name}`;
    let p = this.gets.get(key);
    if (!p) this.gets.set(key, (p = this.base.get(kind, namespace, name)));
    return p;
  }
}
