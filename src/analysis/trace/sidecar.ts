// The last hops: the sidecar (iptables to 15006, the mTLS the pod enforces vs. what the gateway sends)
// and the AuthorizationPolicies it enforces for the gateway's identity.
import { authorize, workloadPrincipal } from '../../model/authz.js';
import { clientTls, effectiveMtls, hasSidecar } from '../../model/mtls.js';
import type { Workload } from '../../model/types.js';
import type { DestContext } from './destination.js';
import type { Failure, HopList } from './hops.js';

/** The sidecar: mTLS from what the gateway sends vs. what the pod enforces, then its AuthorizationPolicies. */
export function traceSidecar(
  t: HopList,
  ctx: DestContext,
  fqdn: string,
  svcNs: string,
  svcPort: number,
  w: Workload,
  containerPort: number,
): Failure | undefined {
  const { model, gw } = ctx;
  const sidecar = hasSidecar(w);
  const pa = effectiveMtls(model, w, containerPort);
  const client = clientTls(model, gw.namespace, fqdn, svcNs, svcPort, w);
  const paWhy = pa.policy ? `PeerAuthentication ${pa.policy.namespace}/${pa.policy.name}` : 'no PeerAuthentication (default)';
  const sends = client.mode === 'ISTIO_MUTUAL' ? 'mTLS' : client.mode === 'DISABLE' ? 'plain text' : `TLS ${client.mode}`;
  if (sidecar) {
    t.add(
      'sidecar',
      `istio-proxy inbound 15006, mTLS ${pa.mode}`,
      `iptables sends port ${containerPort} to the sidecar on 15006; peer mTLS ${pa.mode} (${paWhy}); the gateway sends ${sends} (${client.why})`,
      {
        m: pa.policy?.m ?? w.m,
        path: pa.policy ? ['spec', 'mtls'] : undefined,
        ports: `${containerPort} -> 15006`,
        assumed: pa.policy?.m.origin.stage === 'platform' || undefined,
      },
    );
    if (pa.mode === 'STRICT' && client.mode !== 'ISTIO_MUTUAL') {
      return t.fail({
        status: 503,
        flag: 'UC',
        reason: `503 UC: ${paWhy} requires mTLS but the gateway sends ${sends} (${client.why}); the sidecar resets the connection`,
        ...(client.rule ? { code: 'MESH015' as const, object: client.rule.m } : {}),
        fix: client.rule
          ? `remove tls.mode ${client.mode} from DestinationRule ${client.rule.name} (or use ISTIO_MUTUAL)`
          : 'enable sidecar injection for the pod',
      });
    }
    return traceAuthz(t, ctx, w, containerPort, client.mode === 'ISTIO_MUTUAL');
  }
  t.add(
    'sidecar',
    'no sidecar: plain HTTP to the pod',
    `${w.injection.reason}${w.injection.injected === undefined ? ' (assumed not injected)' : ''}; ${paWhy} is not enforced without a sidecar; traffic from the gateway is not encrypted`,
    {
      m: w.m,
      path: [...w.podSpecPath.slice(0, -1), 'metadata'],
      ports: String(containerPort),
      code: 'MESH013',
      assumed: w.injection.injected === undefined || undefined,
    },
  );
  if (client.mode === 'ISTIO_MUTUAL') {
    return t.fail({
      status: 503,
      flag: 'UF',
      reason: `503 UF: ${client.why} makes the gateway speak Istio mTLS to a pod without a sidecar`,
      ...(client.rule ? { code: 'MESH015' as const, object: client.rule.m } : {}),
      fix: `enable sidecar injection in namespace ${w.namespace}, or drop the DestinationRule tls setting`,
    });
  }
  return undefined;
}

function traceAuthz(t: HopList, ctx: DestContext, w: Workload, containerPort: number, mtls: boolean): Failure | undefined {
  const { model, gw } = ctx;
  const dec = authorize(model, w, {
    ...ctx.request,
    port: containerPort,
    source: mtls ? { namespace: gw.namespace, principal: workloadPrincipal(gw) } : {},
  });
  if (!dec) return undefined;
  t.add(
    'authorization',
    dec.policy ? `AuthorizationPolicy ${dec.policy.namespace}/${dec.policy.name}` : 'AuthorizationPolicies',
    `${dec.reason}${dec.assumptions.length ? `; ${dec.assumptions.join('; ')}` : ''}`,
    {
      m: dec.policy?.m,
      path: dec.policy ? (dec.rule !== undefined && dec.rule >= 0 ? ['spec', 'rules', dec.rule] : ['spec']) : undefined,
      assumed: dec.assumptions.length > 0 || undefined,
    },
  );
  if (dec.allowed) return undefined;
  const podRef = `${w.kind} ${w.namespace}/${w.name}`;
  return t.fail({
    status: 403,
    reason: `403 RBAC: access denied by the sidecar of ${podRef}: ${dec.reason}`,
    // One code for the one symptom: a matching DENY rule, or ALLOW policies none of which admits the gateway.
    ...(dec.policy ? { code: 'MESH019' as const, object: dec.policy.m } : {}),
    fix:
      dec.policy?.action === 'DENY'
        ? `narrow the DENY rule of AuthorizationPolicy ${dec.policy.name}`
        : `allow the gateway's identity (${workloadPrincipal(gw)}) in an ALLOW rule of an AuthorizationPolicy of ${w.namespace}`,
  });
}
