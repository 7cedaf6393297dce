// Writes objects with server-side apply (PATCH application/apply-patch+yaml, field manager bbmesh,
// force: bbmesh owns what it writes). The only write verify does: its PolicyReports with --apply.
import type { K8sObject } from '../../manifest/index.js';
import { notApi, statusOf } from './answers.js';
import type { KubeReader } from './kube.js';
import { TransportError } from './rest.js';

export const FIELD_MANAGER = 'bbmesh';

export interface ApplyResult {
  object: { kind: string; namespace: string; name: string };
  /** 201: created; 200: updated. */
  created?: boolean;
  /** Why it was not written, one line. */
  error?: string;
}

/** Applies one namespaced custom resource; never throws. */
export async function applyObject(reader: KubeReader, obj: K8sObject, plural: string): Promise<ApplyResult> {
  const [group, version] = String(obj.apiVersion).split('/');
  const namespace = String(obj.metadata?.namespace ?? '');
  const name = String(obj.metadata?.name ?? '');
  const object = { kind: String(obj.kind), namespace, name };
  const resource = `${plural}.${group}`;
  const path =
    `/apis/${group}/${version}/namespaces/${encodeURIComponent(namespace)}/${plural}/${encodeURIComponent(name)}` +
    `?fieldManager=${FIELD_MANAGER}&force=true`;
  const down = reader.serverDown;
  if (down) return { object, error: down.message };
  try {
    const a = await reader.rest.request('PATCH', path, { text: JSON.stringify(obj), contentType: 'application/apply-patch+yaml' });
    const proxy = notApi(a, reader.server);
    if (proxy) return { object, error: proxy };
    if (a.status === 200 || a.status === 201) return { object, created: a.status === 201 };
    const st = statusOf(a);
    if (a.status === 404 && !st)
      return { object, error: `the ${obj.kind} CRD (${resource}) is not installed: install Kyverno or the policy reporter's CRDs` };
    if (a.status === 403)
      return {
        object,
        error: `403 Forbidden: missing RBAC permission to patch ${resource} in namespace ${namespace}${st?.message ? `: ${st.message}` : ''}`,
      };
    return { object, error: `apply ${resource} ${namespace}/${name}: HTTP ${a.status}${st?.message ? `: ${st.message}` : ''}` };
  } catch (err) {
    const msg =
      err instanceof TransportError && err.failure === 'timeout'
        ? `no answer within ${reader.rest.timeoutMs / 1000} s`
        : String((err as Error).message);
    return { object, error: `apply ${resource} ${namespace}/${name}: ${msg}` };
  }
}
