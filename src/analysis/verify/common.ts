// What every verify step shares: cannot-check results and their fixes, the worst status, pod readiness.
import type { Manifest } from '../../manifest/index.js';
import type { ReadError, StepResult, StepStatus } from './types.js';

/** A step that could not be judged because a read failed. */
export function cannotCheck(step: number, title: string, err: ReadError, details: string[] = []): StepResult {
  return { step, title, status: 'cannot-check', details: [...details, err.message], fix: fixFor(err), reason: err.reason };
}

export function fixFor(err: ReadError): string {
  switch (err.reason) {
    case 'unreachable':
      return 'check the API server address and your network (kubectl cluster-info), or verify a dump with --snapshot';
    case 'unauthorized':
      return 'refresh your credentials (log in again, or pick another --context) and retry';
    case 'forbidden': {
      const [verb, resource] = (err.permission ?? '').split(' ');
      const ns = err.namespace ? ` -n ${err.namespace}` : '';
      return `ask your cluster admin for RBAC permission to ${err.permission} (test with: kubectl auth can-i ${verb} ${resource}${ns})`;
    }
    case 'crd-absent':
      return err.kind === 'HelmRelease' || err.kind === 'GitRepository'
        ? 'Flux is not installed in this cluster: install Big Bang (guide step 3), which needs Flux (flux install)'
        : 'Istio is not installed in this cluster: enable istio in the Big Bang values and install Big Bang (guide step 3)';
    case 'timeout':
      return 'the API server is slow or unreachable: retry, raise --request-timeout, or check kubectl cluster-info';
    case 'not-api':
      return 'the kubeconfig server is not answering as the Kubernetes API: log in the way your platform requires (kubectl get ns must work), or point the kubeconfig at the API server itself';
    case 'credentials':
      return "fix the kubeconfig's credential plugin (run it by hand: it must print an ExecCredential), or raise --request-timeout";
    case 'not-captured':
      return err.kind === 'Secret' && err.name
        ? `append the secret to the dump: { echo ---; kubectl get secret -n ${err.namespace} ${err.name} -o yaml; } >> <snapshot file>`
        : `make the snapshot again including ${err.kind} objects (the command is in bbmesh verify --help)`;
    default:
      return 'retry; if it persists, compare with kubectl get';
  }
}

export function worst(statuses: StepStatus[]): StepStatus {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('cannot-check')) return 'cannot-check';
  if (statuses.includes('warn')) return 'warn';
  if (statuses.length && statuses.every((s) => s === 'skip')) return 'skip';
  return 'pass';
}

export interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

// What the steps read of pods, Services and HelmReleases: API JSON, so every field is optional, and
// lists are read through arr() (a wrong type is an empty list, never a crash).
export interface ContainerView {
  name?: string;
  restartPolicy?: string;
}
export interface ContainerStatusView {
  name?: string;
  ready?: boolean;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
}
export interface PortView {
  name?: string;
  port?: number;
  targetPort?: number | string;
  nodePort?: number;
  protocol?: string;
}
export interface SpecView {
  containers?: ContainerView[];
  initContainers?: ContainerView[];
  type?: string;
  ports?: PortView[];
  externalIPs?: string[];
  suspend?: boolean;
  chart?: { spec?: { sourceRef?: { kind?: string; name?: string; namespace?: string } } };
}
export interface StatusView {
  phase?: string;
  reason?: string;
  conditions?: Condition[];
  containerStatuses?: ContainerStatusView[];
  initContainerStatuses?: ContainerStatusView[];
  loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> };
}

const object = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
export const spec = (m: Manifest | undefined): SpecView => object(m?.obj.spec) as SpecView;
export const status = (m: Manifest | undefined): StatusView => object(m?.obj.status) as StatusView;

/** A list field, or [] when it is missing or not a list; its items are objects. */
export function arr<T>(v: T[] | undefined): T[] {
  return Array.isArray(v) ? v.filter((x) => x && typeof x === 'object') : [];
}

export function readyCondition(m: Manifest): Condition | undefined {
  return arr(status(m).conditions).find((c) => c.type === 'Ready');
}

export function conditionText(c: Condition | undefined): string {
  if (!c) return 'no Ready condition yet';
  const why = [c.reason, c.message].filter(Boolean).join(': ');
  return why ? why.replace(/\s+/g, ' ').slice(0, 300) : `Ready=${c.status}`;
}

export interface PodState {
  ready: boolean;
  /** Running 2/2 ready, or Pending (ImagePullBackOff: ...), or Completed */
  text: string;
}

export function podState(pod: Manifest): PodState {
  const st = status(pod);
  const phase = String(st.phase ?? 'Unknown');
  if (phase === 'Succeeded') return { ready: true, text: 'Completed' };
  const natives = new Set(
    arr(spec(pod).initContainers)
      .filter((c) => c.restartPolicy === 'Always')
      .map((c) => c.name),
  );
  const statuses = [...arr(st.containerStatuses), ...arr(st.initContainerStatuses).filter((c) => natives.has(c.name))];
  const total = arr(spec(pod).containers).length + natives.size || statuses.length;
  const readyCount = statuses.filter((c) => c.ready === true).length;
  const podReady = arr(st.conditions).some((c) => c.type === 'Ready' && c.status === 'True');
  const waiting = [...arr(st.initContainerStatuses), ...arr(st.containerStatuses)]
    .map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason)
    .filter((r): r is string => !!r && r !== 'Completed');
  const why = waiting.length ? ` (${[...new Set(waiting)].join(', ')})` : st.reason ? ` (${st.reason})` : '';
  const ready = phase === 'Running' && podReady;
  return { ready, text: `${phase}, ${readyCount}/${total} containers ready${ready ? '' : why}` };
}
