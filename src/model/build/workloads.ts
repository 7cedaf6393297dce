// Workloads (Pods and the controllers that make them): pod template, containers, injection.
import type { Manifest, Path } from '../../manifest/types.js';
import { injectionDecision } from '../injection.js';
import type { Container, ContainerPort, NamespaceInfo, Workload } from '../types.js';
import { arr, get, num, strMap, text, type Raw } from './read.js';

export const WORKLOAD_POD_SPEC: Record<string, Path> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

function addContainers(out: Container[], list: unknown, init: boolean, statusList: Raw[] | undefined): void {
  const cs = arr(list);
  for (let i = 0; i < cs.length; i++) {
    const c: Raw = cs[i];
    if (init && c?.restartPolicy !== 'Always' && c?.name !== 'istio-proxy') continue; // only native sidecars serve traffic
    let st: Raw;
    if (statusList)
      for (const s of statusList)
        if (s?.name === c?.name) {
          st = s;
          break;
        }
    const ps = arr(c?.ports);
    const ports: ContainerPort[] = [];
    for (let j = 0; j < ps.length; j++) {
      const p: Raw = ps[j];
      ports.push({
        name: text(p?.name),
        containerPort: num(p?.containerPort) ?? -1,
        protocol: text(p?.protocol) ?? 'TCP',
      });
    }
    out.push({
      name: text(c?.name) ?? '',
      index: i,
      init,
      ports,
      ready: st ? st.ready === true : undefined,
    });
  }
}

function containers(podSpec: Raw, statusList?: Raw[]): Container[] {
  const out: Container[] = [];
  addContainers(out, podSpec?.containers, false, statusList);
  addContainers(out, podSpec?.initContainers, true, statusList);
  return out;
}

/** Where the pod template's metadata is, per workload kind (Pod: the object's own metadata). */
const WORKLOAD_META_PATH: Record<string, Path> = {};
for (const [kind, path] of Object.entries(WORKLOAD_POD_SPEC)) WORKLOAD_META_PATH[kind] = [...path.slice(0, -1), 'metadata'];

function hasIstioProxy(cs: Container[]): boolean {
  for (let i = 0; i < cs.length; i++) if (cs[i].name === 'istio-proxy') return true;
  return false;
}

/** The workload view of a Pod or controller, or undefined for another kind (or API group). */
export function workload(m: Manifest, ns: NamespaceInfo | undefined): Workload | undefined {
  const podPath = WORKLOAD_POD_SPEC[m.kind];
  if (!podPath || (m.kind === 'Pod' ? m.apiVersion !== 'v1' : !(m.apiVersion.startsWith('apps/') || m.apiVersion.startsWith('batch/'))))
    return undefined;
  const podSpec: Raw = get(m.obj, podPath) ?? {};
  const meta: Raw = m.kind === 'Pod' ? m.obj.metadata : get(m.obj, WORKLOAD_META_PATH[m.kind]);
  const labels = strMap(meta?.labels);
  const annotations = strMap(meta?.annotations);
  const status: Raw = m.kind === 'Pod' ? (m.obj as Raw).status : undefined;
  const cs = containers(podSpec, status ? [...arr(status.containerStatuses), ...arr(status.initContainerStatuses)] : undefined);
  const hostNetwork = podSpec.hostNetwork === true;
  const owner: Raw = m.kind === 'Pod' ? arr(m.obj.metadata?.ownerReferences)[0] : undefined;
  return {
    m,
    kind: m.kind,
    name: m.name,
    namespace: m.namespace,
    labels,
    annotations,
    containers: cs,
    podSpecPath: podPath,
    hostNetwork,
    injection: injectionDecision(ns, m.namespace, labels, annotations, hostNetwork),
    hasProxy: hasIstioProxy(cs),
    phase: status?.phase,
    ready: status ? arr(status.conditions).some((c: Raw) => c?.type === 'Ready' && c?.status === 'True') : undefined,
    ownerKind: owner?.kind,
    ownerName: owner?.name,
  };
}
