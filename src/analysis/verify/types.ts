// Types shared by the cluster readers, the verify steps and the report.
import type { Manifest } from '../../manifest/index.js';

/** `skip`: the step does not apply (verify --all on a package that exposes nothing through the ingress). */
export type StepStatus = 'pass' | 'warn' | 'fail' | 'cannot-check' | 'skip';

/** Why a step could not be checked: a read failure, the snapshot's nature (step 12), or missing input (no host). */
export type UncheckedReason = ReadErrorReason | 'snapshot' | 'input';

/** An object a step or finding is about (PolicyReport `resources`). */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
}
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
  /** For cannot-check: why. Only `snapshot` leaves the exit code alone; the others count as unverified. */
  reason?: UncheckedReason;
  /** The objects the step judged (set by verifyWith). */
  objects?: ObjectRef[];
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
  /** `unchecked`: the cannot-check steps that count against `ok` (all but step 12 on a snapshot). */
  summary: { pass: number; warn: number; fail: number; cannotCheck: number; skip: number; unchecked: number };
  /**
   * true when no step failed, no finding is an error, no --wait ran out, and (unless allowUnchecked)
   * every step could be checked or was exempt by the snapshot's nature. The CLI then exits 0.
   */
  ok: boolean;
  /** `--wait`: how long verify waited for step 5, and whether it became ready in time. */
  wait?: { waitedMs: number; ready: boolean; polls: number };
  /** Why the package's own objects (pods, Services, VirtualServices) could not be read, if they could not. */
  unreadable?: string;
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
  /** The package namespace; default: the HelmRelease's targetNamespace, else the package name. */
  namespace?: string;
  /** Steps that could not be checked leave `ok` true (--allow-unchecked). */
  allowUnchecked?: boolean;
  /** `optional` (verify --all): a package with no VirtualService skips the ingress steps 7-10 and 12. */
  exposure?: 'required' | 'optional';
  /** Bounds the step-12 probes running at once (verify --all shares one). */
  probeSlots?: { run<T>(fn: () => Promise<T>): Promise<T> };
}

export interface ClusterVerifyOptions extends VerifyOptions {
  kubeconfig?: string;
  context?: string;
  /** API calls in flight at most (default 16). */
  maxInFlight?: number;
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
  | 'not-api' // the server answered something other than the Kubernetes API (HTML: a login proxy)
  | 'credentials' // the kubeconfig's exec credential plugin failed or hung
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

/** One package of verify --all. */
export interface PackageEntry {
  name: string;
  namespace: string;
  /** false: its own objects could not be read, or verify broke on it: nothing about it was judged. */
  verified: boolean;
  /** Why it was not verified, one line. */
  reason?: string;
  /** Set when verify itself failed on this package (a bug: the CLI then exits 3 after the report). */
  internalError?: string;
  report?: VerifyReport;
}

/** verify --all: every Big Bang package the cluster's HelmReleases deploy. */
export interface VerifyAllReport {
  schemaVersion: 1;
  tool: 'bbmesh';
  command: 'verify';
  mode: 'all';
  source: VerifyReport['source'];
  layout: Layout;
  layoutReason: string;
  /** Where the packages were found; `error` when the HelmReleases could not be read. */
  discovery: { namespace: string; helmReleases: number; error?: string; filter?: string };
  packages: PackageEntry[];
  summary: {
    packages: number;
    verified: number;
    notVerified: number;
    ok: number;
    notOk: number;
    steps: { pass: number; warn: number; fail: number; cannotCheck: number; skip: number; unchecked: number };
    findings: { error: number; warning: number; info: number };
  };
  /** true when there were packages, each was verified (unless allowUnchecked) and each is ok. */
  ok: boolean;
  /** Live clusters: the most API calls that were in flight at once, and the bound. */
  apiCalls?: { peakInFlight: number; maxInFlight: number };
  durationMs: number;
}
