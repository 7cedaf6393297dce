// The cluster reader of a verify run: opened from the kubeconfig options, closed when the run ends
// (an exec credential plugin or keep-alive socket must not outlive the report).
import type { KubeReader, KubeReaderOptions } from '../../sources/cluster/kube.js';

export async function withClusterReader<T>(opts: KubeReaderOptions, run: (reader: KubeReader) => Promise<T>): Promise<T> {
  const { KubeReader } = await import('../../sources/cluster/kube.js');
  const reader = KubeReader.fromOptions({
    kubeconfig: opts.kubeconfig,
    context: opts.context,
    timeoutMs: opts.timeoutMs,
    maxInFlight: opts.maxInFlight,
  });
  try {
    return await run(reader);
  } finally {
    reader.close();
  }
}
