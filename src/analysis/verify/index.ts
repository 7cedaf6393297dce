// `bbmesh verify` as a library: the guide's validation steps 5 and 7-12 against a live cluster
// (verifyCluster) or a dump of one (verifySnapshot), for one package or every package (verifyAll*).
import { SnapshotReader } from '../../sources/cluster/snapshot.js';
import type { ClusterVerifyOptions, VerifyOptions, VerifyReport } from './types.js';
import { verifyWith } from './run.js';
import { withClusterReader } from './reader.js';

export * from './types.js';
export type { ClusterReader, ReadKind, TlsInfo, CertInfo } from '../../sources/cluster/reader.js';
// kube.ts is loaded only for live clusters.
export type { KubeReader } from '../../sources/cluster/kube.js';
export { SnapshotReader, parseSnapshot, SNAPSHOT_COMMAND } from '../../sources/cluster/snapshot.js';
export { SharedReader } from '../../sources/cluster/shared.js';
export { parseDuration } from '../../core/duration.js';
export { parseRequestTimeout, DEFAULT_REQUEST_TIMEOUT_MS } from '../../sources/cluster/timeout.js';
export { LAYOUTS } from '../../sources/cluster/gather.js';
export { liveFindings, verifyWith } from './run.js';
export { verifyAll, verifyAllCluster, verifyAllSnapshot, discoverPackages } from './all.js';
export type { AllOptions, ClusterAllOptions } from './all.js';

export async function verifyCluster(opts: ClusterVerifyOptions): Promise<VerifyReport> {
  const started = performance.now();
  return withClusterReader(opts, (reader) => verifyWith(reader, opts, started));
}

export async function verifySnapshot(file: string, opts: VerifyOptions): Promise<VerifyReport> {
  const started = performance.now();
  return verifyWith(SnapshotReader.fromFile(file), { ...opts, waitMs: undefined }, started);
}
