/** Where an object came from: which stage of the pipeline produced it. */
export type Stage =
  | 'bigbang' // stage 1: the package's bigbang/ dev chart, as the umbrella renders it
  | 'package' // stage 2: the package's chart/, as Flux renders it
  | 'input' // a file or stdin given by the user
  | 'platform' // assumed Big Bang platform objects (not rendered, not in the cluster)
  | 'operator' // made at run time by an operator from a custom resource in the input (Kiali, ECK, Prometheus...)
  | 'context' // rendered by the umbrella for other packages than the one checked: read by trace, never a finding
  | 'cluster'; // read from a live cluster or a snapshot of one

export type Path = ReadonlyArray<string | number>;

/** A Kubernetes object as plain JSON data. */
export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** One YAML document inside a stream; positions are computed only when asked. */
export interface DocSpan {
  /** Display name of the stream (file path, `<stdin>`, or `rendered`). */
  file: string;
  /** The whole stream text; offsets below index into it. */
  text: string;
  start: number;
  end: number;
  /** 1-based line of `start` in the stream. */
  line: number;
}

/**
 * An object a library chart wrote (bb-common's routes and policies): not the maintainer's template, so
 * findings name the values that produced it. Set by sources/library.ts.
 */
export interface GeneratedOrigin {
  /** The library chart, e.g. `bb-common`. */
  library: string;
  /** The values key the object comes from, e.g. ['routes', 'inbound', 'portal']; [] when not known. */
  key: string[];
  /** Object paths and the sub-key of `key` that produced them (spec.gateways -> gateways), longest first. */
  fields: Array<{ path: Path; key: string[] }>;
  /** Values files that may set the key, most specific first: display path, text, first line to search. */
  values: Array<{ file: string; text: string; fromLine?: number }>;
}

export interface Origin {
  stage: Stage;
  /** Template that produced it, from Helm's `# Source:` comment (e.g. `podinfo/templates/service.yaml`). */
  template?: string;
  /** Chart directory on disk, when rendered from a package dir. */
  chartDir?: string;
  release?: string;
  doc?: DocSpan;
  /** Index of the object in a `List` document, when it came from one. */
  listIndex?: number;
  /** Written by a library chart (see GeneratedOrigin). */
  generated?: GeneratedOrigin;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  name: string;
  /** '' for cluster-scoped kinds. */
  namespace: string;
  obj: K8sObject;
  origin: Origin;
}

export interface Location {
  file: string;
  template?: string;
  line: number;
  column: number;
}
