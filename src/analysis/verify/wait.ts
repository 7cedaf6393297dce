// --wait: poll the cluster until step 5 is satisfied, a permanent error shows up, or the time runs out.
import { gather } from '../../sources/cluster/gather.js';
import type { ClusterState, GatherOptions } from '../../sources/cluster/gather.js';
import type { ClusterReader } from '../../sources/cluster/reader.js';
import { readiness } from './steps.js';
import type { VerifyOptions, VerifyReport } from './types.js';

function progressSummary(state: ClusterState): string {
  const r = readiness(state);
  const errs = [state.helmReleases.error, state.gitRepositories.error, state.pods.error].filter(Boolean);
  if (errs.length) return errs[0]!.message;
  return (
    `HelmReleases ${r.helmReleases.ready}/${r.helmReleases.total} ready, GitRepositories ${r.gitRepositories.ready}/${r.gitRepositories.total}, ` +
    `pods in ${state.pkg.namespace} ${r.pods.ready}/${r.pods.total}${r.pods.total ? '' : ' (none yet)'}`
  );
}

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

export async function waitForReady(
  reader: ClusterReader,
  gatherOpts: GatherOptions,
  opts: VerifyOptions,
): Promise<{ state: ClusterState; wait: NonNullable<VerifyReport['wait']> }> {
  const total = opts.waitMs ?? 0;
  const pollMs = Math.max(50, opts.pollMs ?? 3000);
  const t0 = performance.now();
  let polls = 0;
  while (true) {
    const state = await gather(reader, gatherOpts);
    polls++;
    const r = readiness(state);
    const elapsed = performance.now() - t0;
    const done = r.allReady || r.permanent || elapsed >= total;
    opts.onProgress?.({ elapsedMs: elapsed, totalMs: total, poll: polls, summary: progressSummary(state), done });
    if (done) return { state, wait: { waitedMs: Math.round(elapsed), ready: r.allReady, polls } };
    await sleep(Math.min(pollMs, Math.max(0, total - elapsed)));
  }
}
