// Step 5: the Flux GitRepositories and HelmReleases of Istio and the package, and the package pods, are ready.
import { FLUX_NAMESPACE, type ClusterState } from '../../sources/cluster/gather.js';
import { conditionText, fixFor, podState, readyCondition, spec, worst } from './common.js';
import type { ReadError, StepResult, StepStatus } from './types.js';

export interface Readiness {
  helmReleases: { ready: number; total: number };
  gitRepositories: { ready: number; total: number };
  pods: { ready: number; total: number };
  /** Something missing or failed that waiting is unlikely to fix on its own (RBAC, CRD absent). */
  permanent: boolean;
  allReady: boolean;
}

interface FluxLine {
  kind: 'HelmRelease' | 'GitRepository';
  name: string;
  found: boolean;
  ready: boolean;
  text: string;
}

function fluxLines(state: ClusterState): FluxLine[] {
  const hrs = state.helmReleases.value ?? [];
  const gits = state.gitRepositories.value ?? [];
  const lines: FluxLine[] = [];
  const wanted = [...state.names.istioReleases, state.pkg.name];
  const seenGit = new Set<string>();
  for (const name of wanted) {
    const hr = hrs.find((m) => m.name === name);
    if (!hr) {
      lines.push({ kind: 'HelmRelease', name, found: false, ready: false, text: `HelmRelease ${FLUX_NAMESPACE}/${name}: not found` });
      continue;
    }
    const c = readyCondition(hr);
    const suspended = spec(hr).suspend === true ? ' (suspended)' : '';
    const ready = c?.status === 'True';
    lines.push({
      kind: 'HelmRelease',
      name,
      found: true,
      ready,
      text: `HelmRelease ${FLUX_NAMESPACE}/${name}: ${ready ? 'Ready' : 'not ready'}${suspended} - ${conditionText(c)}`,
    });
    const ref = spec(hr).chart?.spec?.sourceRef;
    if (ref?.kind === 'GitRepository' && ref?.name) {
      const ns = ref.namespace ?? hr.namespace;
      const key = `${ns}/${ref.name}`;
      if (seenGit.has(key)) continue;
      seenGit.add(key);
      const git = ns === FLUX_NAMESPACE ? gits.find((m) => m.name === ref.name) : undefined;
      if (ns !== FLUX_NAMESPACE) {
        lines.push({
          kind: 'GitRepository',
          name: key,
          found: true,
          ready: true,
          text: `GitRepository ${key}: in another namespace, not checked`,
        });
      } else if (!git) {
        lines.push({
          kind: 'GitRepository',
          name: key,
          found: false,
          ready: false,
          text: `GitRepository ${key} (source of HelmRelease ${name}): not found`,
        });
      } else {
        const gc = readyCondition(git);
        const gready = gc?.status === 'True';
        lines.push({
          kind: 'GitRepository',
          name: key,
          found: true,
          ready: gready,
          text: `GitRepository ${key}: ${gready ? 'Ready' : 'not ready'} - ${conditionText(gc)}`,
        });
      }
    } else if (ref?.kind) {
      lines.push({
        kind: 'GitRepository',
        name: `${ref.kind}/${ref.name}`,
        found: true,
        ready: true,
        text: `source ${ref.kind} ${ref.namespace ?? hr.namespace}/${ref.name}: not a GitRepository, not checked`,
      });
    }
  }
  return lines;
}

export function readiness(state: ClusterState): Readiness {
  const lines = state.helmReleases.value && state.gitRepositories.value ? fluxLines(state) : [];
  const count = (k: FluxLine['kind']) => ({
    ready: lines.filter((l) => l.kind === k && l.ready).length,
    total: lines.filter((l) => l.kind === k).length,
  });
  const pods = (state.pods.value ?? []).map(podState);
  const errs = [state.helmReleases.error, state.gitRepositories.error, state.pods.error].filter(Boolean) as ReadError[];
  const permanent = errs.some((e) => e.reason === 'forbidden' || e.reason === 'crd-absent' || e.reason === 'not-captured');
  const r = {
    helmReleases: count('HelmRelease'),
    gitRepositories: count('GitRepository'),
    pods: { ready: pods.filter((p) => p.ready).length, total: pods.length },
    permanent,
    allReady: false,
  };
  r.allReady = errs.length === 0 && lines.every((l) => l.ready) && r.pods.total > 0 && r.pods.ready === r.pods.total;
  return r;
}

export function step5(state: ClusterState): StepResult {
  const title = `Flux GitRepositories, HelmReleases and ${state.pkg.namespace} pods are ready`;
  const details: string[] = [];
  const statuses: StepStatus[] = [];
  const fixes: string[] = [];
  const errors: ReadError[] = [];
  if (state.helmReleases.error) errors.push(state.helmReleases.error);
  if (
    state.gitRepositories.error &&
    !(
      state.helmReleases.error &&
      state.gitRepositories.error.reason === state.helmReleases.error.reason &&
      state.helmReleases.error.reason === 'unreachable'
    )
  )
    errors.push(state.gitRepositories.error);
  if (!errors.length) {
    const lines = fluxLines(state);
    for (const l of lines) {
      details.push(l.text);
      statuses.push(l.ready ? 'pass' : 'fail');
    }
    const missingIstio = lines.filter((l) => l.kind === 'HelmRelease' && !l.found && l.name !== state.pkg.name);
    const missingPkg = lines.some((l) => l.kind === 'HelmRelease' && !l.found && l.name === state.pkg.name);
    const notReady = lines.filter((l) => l.found && !l.ready);
    if (missingIstio.length)
      fixes.push(
        `Istio is not deployed by Flux (${state.layout}: expected HelmRelease ${missingIstio.map((l) => l.name).join(', ')}): enable istio in the Big Bang values and install Big Bang (guide step 3), or pass --layout`,
      );
    if (missingPkg)
      fixes.push(
        `the package is not deployed: install it (guide step 4: helm upgrade -i -n bigbang ... bigbang-${state.pkg.name} bigbang), or pass --package`,
      );
    if (notReady.length)
      fixes.push(
        `see why: ${notReady.map((l) => `kubectl describe ${l.kind === 'HelmRelease' ? 'helmrelease' : 'gitrepository'} -n ${FLUX_NAMESPACE} ${l.name.replace(/^.*\//, '')}`).join('; ')} (or wait: --wait 10m)`,
      );
  } else {
    for (const e of errors) details.push(e.message);
    statuses.push('cannot-check');
    fixes.push(fixFor(errors[0]));
  }
  if (state.pods.error) {
    if (!errors.some((e) => e.reason === 'unreachable' && state.pods.error?.reason === 'unreachable'))
      details.push(state.pods.error.message);
    statuses.push('cannot-check');
    if (!errors.length) fixes.push(fixFor(state.pods.error));
  } else {
    const pods = state.pods.value ?? [];
    if (!pods.length) {
      details.push(`no pods in namespace ${state.pkg.namespace}`);
      statuses.push('fail');
      fixes.push(
        `nothing runs in ${state.pkg.namespace}: check the package HelmRelease, or pass --package (namespace: the release's targetNamespace)`,
      );
    }
    const bad: string[] = [];
    for (const p of pods) {
      const s = podState(p);
      details.push(`Pod ${p.namespace}/${p.name}: ${s.text}`);
      statuses.push(s.ready ? 'pass' : 'fail');
      if (!s.ready) bad.push(p.name);
    }
    if (bad.length)
      fixes.push(
        `see why: kubectl describe pod -n ${state.pkg.namespace} ${bad[0]}; kubectl logs -n ${state.pkg.namespace} ${bad[0]} --all-containers`,
      );
  }
  const st = worst(statuses);
  const reason = st === 'cannot-check' ? (errors[0] ?? state.pods.error)?.reason : undefined;
  return {
    step: 5,
    title,
    status: st,
    details,
    ...(st !== 'pass' && fixes.length ? { fix: fixes.join('; ') } : {}),
    ...(reason ? { reason } : {}),
  };
}
