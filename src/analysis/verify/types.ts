// Types shared by the cluster readers, the verify steps and the report.
import type { Manifest } from '../../manifest/index.js';

export type StepStatus = 'pass' | 'warn' | 'fail' | 'cannot-check';
export type { LayoutName as Layout } from '../../core/layout.js';
import type { LayoutName as Layout } from '../../core/layout.js';

/** One of the guide's validation steps, judged. */
export interface StepResult {
  /** The guide's step number (5, 7, 8, 9, 10, 11, 12). */
  step: number;
  title: string;
  status: StepStatus;
  /** What was seen, one fact per line. Never key material or raw Secret data. */
  details: string[];
  /** What to do about a fail or cannot-check. */
  fix?: string;
}

export interface VerifyReport {
  schemaVersion: 1;
  tool: 'bbmesh';
  command: 'verify';
  source: { kind: 'cluster' | 'snapshot'; description: string; file?: string; context?: string; server?: string };
  layout: Layout;
  /** How the layout was chosen: the flag, or what in the cluster showed it. */
  layoutReason: string;
  package: { name: string; namespace: string; host?: string; hostSource?: 'flag' | 'virtualservice' };
  steps: StepResult[];
  /** The `check` rules run on the objects read (wired by liveFindings). */
  findings: import('../rules/types.js').Finding[];
  summary: { pass: number; warn: number; fail: number; cannotCheck: number };
  /** true when no step failed and no finding is an error (the CLI then exits 0). */
  ok: boolean;
  /** `--wait`: how long verify waited for step 5, and whether it became ready in time. */
  wait?: { waitedMs: number; ready: boolean; polls: number };
  durationMs: number;
}

export interface VerifyOptions {
  /** Package name (HelmRelease bigbang/<name>); the namespace defaults to the release's targetNamespace, else the name. */
  packageName: string;
  /** The package host (e.g. podinfo.bigbang.dev); default: from the package VirtualService. */
  host?: string;
  /** Big Bang layout; default: detected from the HelmReleases, else from the VirtualService's gateway, else bb2. */
  layout?: Layout;
  /** Step 12 target: the ingress address; default: the ingress Service's load balancer IP or hostname. */
  address?: { host: string; httpsPort?: number; httpPort?: number };
  /** PEM CA bundle to verify the ingress certificate (text, not a path). */
  caPem?: string;
  /** Skip TLS verification in step 12. */
  insecure?: boolean;
  /** Bound for each API call and each step-12 request, in ms (default 10000). */
  timeoutMs?: number;
  /** Poll until step 5 is ready or this many ms have passed. */
  waitMs?: number;
  /** Poll interval for waitMs (default 3000). */
  pollMs?: number;
  /** Progress callback during --wait: one line describing the current state. */
  onProgress?: (p: WaitProgress) => void;
  /** Reference time for certificate validity (tests). */
  now?: Date;
}

export interface ClusterVerifyOptions extends VerifyOptions {
  kubeconfig?: string;
  context?: string;
}

export interface WaitProgress {
  elapsedMs: number;
  totalMs: number;
  poll: number;
  summary: string;
  done: boolean;
}

/** The result of reading one kind: objects, or why they could not be read. */
export interface Slot<T> {
  value?: T;
  error?: ReadError;
}

export type ReadErrorReason =
  | 'unreachable' // no connection to the API server (refused, DNS, TLS)
  | 'unauthorized' // 401
  | 'forbidden' // 403 (RBAC)
  | 'crd-absent' // 404 on every version of a CRD path
  | 'timeout' // the call took longer than the bound
  | 'not-captured' // a snapshot has no objects of that kind at all
  | 'other';

export interface ReadError {
  reason: ReadErrorReason;
  /** One line for the user: what failed and why. */
  message: string;
  kind: string;
  namespace?: string;
  name?: string;
  /** For 403: the verb and resource that need permission, e.g. `list helmreleases.helm.toolkit.fluxcd.io`. */
  permission?: string;
}

export type { Manifest };
