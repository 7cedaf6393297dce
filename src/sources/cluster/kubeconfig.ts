// The kubeconfig as kubectl finds it: --kubeconfig, KUBECONFIG, ~/.kube/config, else the pod's
// service account (in-cluster). No kubeconfig anywhere is bad input (exit 2), never a silent
// http://localhost:8080 as the client library's last fallback would have it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig, findHomeDir } from '@kubernetes/client-node';
import { UserError } from '../../core/errors.js';

export interface KubeConfigOptions {
  kubeconfig?: string;
  context?: string;
}

const SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Where the kubeconfig comes from, as kubectl looks, or undefined when there is none. */
export function kubeconfigSource(env: NodeJS.ProcessEnv = process.env): 'KUBECONFIG' | 'home' | 'in-cluster' | undefined {
  if (env.KUBECONFIG) return 'KUBECONFIG';
  const home = findHomeDir();
  if (home && existsSync(join(home, '.kube', 'config'))) return 'home';
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && existsSync(SA_TOKEN)) return 'in-cluster';
  return undefined;
}

export function loadKubeConfig(opts: KubeConfigOptions): KubeConfig {
  const kc = new KubeConfig();
  if (opts.kubeconfig) {
    if (!existsSync(opts.kubeconfig)) throw new UserError(`kubeconfig not found: ${opts.kubeconfig}`);
    try {
      readFileSync(opts.kubeconfig, 'utf8');
      kc.loadFromFile(opts.kubeconfig);
    } catch (err) {
      throw new UserError(`cannot read kubeconfig ${opts.kubeconfig}: ${firstLine(err)}`);
    }
  } else {
    const source = kubeconfigSource();
    if (!source) {
      throw new UserError('no kubeconfig: KUBECONFIG is not set, ~/.kube/config does not exist, and this is not a pod', {
        hint: 'pass --kubeconfig <file>, set KUBECONFIG, or verify a dump with --snapshot',
      });
    }
    try {
      if (source === 'in-cluster') kc.loadFromCluster();
      else kc.loadFromDefault();
    } catch (err) {
      const where = source === 'KUBECONFIG' ? ` (KUBECONFIG=${process.env.KUBECONFIG})` : source === 'home' ? ' (~/.kube/config)' : '';
      throw new UserError(`cannot read kubeconfig${where}: ${firstLine(err)}`, { hint: 'set KUBECONFIG or pass --kubeconfig' });
    }
  }
  if (opts.context) {
    const names = kc.getContexts().map((c) => c.name);
    if (!names.includes(opts.context)) {
      throw new UserError(`no context "${opts.context}" in the kubeconfig`, {
        hint: names.length ? `contexts: ${names.join(', ')}` : 'the kubeconfig has no contexts',
      });
    }
    kc.setCurrentContext(opts.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) {
    throw new UserError('no Kubernetes cluster configured', { hint: 'set KUBECONFIG, pass --kubeconfig, or pick one with --context' });
  }
  try {
    new URL(cluster.server);
  } catch {
    throw new UserError(`the kubeconfig's server "${cluster.server}" is not a URL`, { hint: 'use https://<host>:<port>' });
  }
  return kc;
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0];
}
