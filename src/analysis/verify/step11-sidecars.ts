// Step 11: an istio-proxy sidecar in every package pod, with the restart commands for those without.
import type { Manifest } from '../../manifest/index.js';
import type { ClusterState } from '../../sources/cluster/gather.js';
import { arr, cannotCheck, spec, status } from './common.js';
import type { StepResult } from './types.js';

/** `deployment/podinfo` for a pod, from its controller owner reference. */
export function ownerOf(pod: Manifest): { kind: string; name: string } | undefined {
  const refs = arr(
    (pod.obj.metadata as { ownerReferences?: Array<{ controller?: boolean; kind?: string; name?: string }> } | undefined)?.ownerReferences,
  );
  const o = refs.find((r) => r.controller) ?? refs[0];
  if (!o) return undefined;
  if (o.kind === 'ReplicaSet') {
    const hash = pod.obj.metadata?.labels?.['pod-template-hash'];
    const name =
      hash && String(o.name).endsWith(`-${hash}`)
        ? String(o.name).slice(0, -hash.length - 1)
        : String(o.name).replace(/-[a-z0-9]{6,10}$/, '');
    return { kind: 'deployment', name };
  }
  return { kind: String(o.kind).toLowerCase(), name: String(o.name) };
}

export function step11(state: ClusterState): StepResult {
  const ns = state.pkg.namespace;
  const title = `istio-proxy sidecar in every ${ns} pod`;
  if (state.pods.error) return cannotCheck(11, title, state.pods.error);
  const pods = (state.pods.value ?? []).filter((p) => status(p).phase !== 'Succeeded');
  if (!pods.length) return { step: 11, title, status: 'fail', details: [`no running pods in namespace ${ns}`], fix: 'see step 5' };
  const details: string[] = [];
  const restart = new Set<string>();
  const other: string[] = [];
  let missing = 0;
  for (const p of pods) {
    const st = status(p);
    const main = arr(st.containerStatuses).find((c) => c.name === 'istio-proxy');
    const native = arr(st.initContainerStatuses).find((c) => c.name === 'istio-proxy');
    const cs = main ?? native;
    const kind = main ? 'container' : 'native sidecar';
    if (cs?.ready === true) {
      details.push(`Pod ${p.name}: istio-proxy ready (${kind})`);
      continue;
    }
    missing++;
    const declared = [...arr(spec(p).containers), ...arr(spec(p).initContainers)].some((c) => c.name === 'istio-proxy');
    const why =
      cs || declared
        ? `istio-proxy not ready (${cs?.state?.waiting?.reason ?? cs?.state?.terminated?.reason ?? 'starting'})`
        : 'no istio-proxy container';
    const optOut =
      p.obj.metadata?.labels?.['sidecar.istio.io/inject'] === 'false' ||
      p.obj.metadata?.annotations?.['sidecar.istio.io/inject'] === 'false';
    details.push(`Pod ${p.name}: ${why}${optOut ? ' (sidecar.istio.io/inject: "false" on the pod)' : ''}`);
    const owner = ownerOf(p);
    if (owner && ['deployment', 'statefulset', 'daemonset'].includes(owner.kind))
      restart.add(`kubectl rollout restart -n ${ns} ${owner.kind}/${owner.name}`);
    else if (owner) other.push(`${owner.kind}/${owner.name} (no rollout: delete pod ${p.name} to recreate it)`);
    else other.push(`kubectl delete pod -n ${ns} ${p.name} (no owner: recreate it yourself)`);
  }
  if (!missing) return { step: 11, title, status: 'pass', details };
  const fixes: string[] = [];
  const nsLabels = state.namespace.value?.obj.metadata?.labels;
  if (state.namespace.value && nsLabels?.['istio-injection'] !== 'enabled' && !nsLabels?.['istio.io/rev']) {
    details.push(`namespace ${ns} is not labelled istio-injection=enabled: restarted pods will not get a sidecar`);
    fixes.push(
      `label it first (istio.enabled in the package values adds the label; by hand: kubectl label namespace ${ns} istio-injection=enabled)`,
    );
  }
  fixes.push(...restart, ...other);
  return { step: 11, title, status: 'fail', details, fix: fixes.join('; ') };
}
