// The result of `bbmesh trace`: one request followed hop by hop through the mesh model.
// The JSON form is documented in schemas/trace.schema.json (keep both in step).
import type { RuleCode } from '../rules/codes.js';

export type HopKind =
  | 'client'
  | 'ingress-service'
  | 'gateway-workload'
  | 'gateway-server'
  | 'redirect'
  | 'virtual-service'
  | 'route'
  | 'authorization'
  | 'fault'
  | 'destination'
  | 'service-port'
  | 'target-port'
  | 'workload'
  | 'network-policy'
  | 'sidecar'
  | 'container';

export interface HopObject {
  kind: string;
  namespace: string;
  name: string;
}

export interface HopSource {
  template?: string;
  templatePath?: string;
  /** Best-effort line in that template (line/column are exact in the rendered stream). */
  templateLine?: number;
  file: string;
  line: number;
  column: number;
  /** A library-generated object: the values key that produced it (file/line/column are in the values file). */
  values?: string;
  library?: string;
}

export interface Hop {
  kind: HopKind;
  title: string;
  object?: HopObject;
  /** Where the object (the relevant field of it) is written. Resolved lazily: positions cost a re-parse. */
  source?: HopSource;
  /** The ports this hop receives on and forwards to, e.g. `443 -> 8443`. */
  ports?: string;
  detail: string;
  ok: boolean;
  /** The object is part of the assumed Big Bang platform, not of the input. */
  assumed?: boolean;
  /** The `bbmesh check` code that reports what this hop shows (also on passing hops, for warnings). */
  code?: RuleCode;
}

/**
 * What the client gets. `status` is the HTTP status, or one of the connection-level
 * outcomes `tls-handshake-failure`, `connection-refused`, `connection-reset` (no HTTP response).
 */
export type TraceStatus = number | 'tls-handshake-failure' | 'connection-refused' | 'connection-reset';

export interface Verdict {
  ok: boolean;
  status: TraceStatus;
  /** Envoy's response flag (`NR`, `NC`, `UH`, `UF`, `UC`) or `loop` for a redirect loop. */
  flag?: string;
  reason: string;
  /** The `bbmesh check` code that catches the failure (on `object`); absent when the request, not the configuration, fails. */
  code?: RuleCode;
  /** The object that code's finding is about. */
  object?: HopObject;
  /** Index into `hops` of the hop that decided the outcome. */
  hop?: number;
  fix?: string;
}

export interface TraceRequest {
  url: string;
  method?: string;
  /** Header names are case-insensitive. */
  headers?: Record<string, string>;
}

export interface TraceResult {
  schemaVersion: 1;
  url: string;
  method: string;
  verdict: Verdict;
  hops: Hop[];
  /** The Big Bang layout the package was read with, and why (`given`, `detected from ...`); package input only. */
  layout?: { name: string; reason: string };
}

export interface TraceOptions {
  /** Maximum redirects followed before calling it a loop (default 10). */
  maxRedirects?: number;
}
