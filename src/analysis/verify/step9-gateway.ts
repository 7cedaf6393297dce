// Step 9: the Gateway: its selector matches running ingress pods, plain http is redirected, and an
// HTTPS server covers the host with a credential, judged with the model's Istio semantics.
import { credentialFor, parseCredentialName } from '../../model/credentials.js';
import { serverHosts, serverKind } from '../../model/gateway.js';
import { requestHostMatches } from '../../model/hosts.js';
import { isEmptySelector, selectedByGateway, selectorText } from '../../model/selectors.js';
import type { GatewayServer, MeshModel } from '../../model/types.js';
import type { ClusterState } from '../../sources/cluster/gather.js';
import { cannotCheck, fixFor, podState, worst } from './common.js';
import type { StepResult, StepStatus } from './types.js';

interface Judged {
  statuses: StepStatus[];
  details: string[];
  fixes: string[];
}

function judgePods(state: ClusterState, model: MeshModel, gwKey: string, out: Judged): void {
  const gw = model.gateways.get(gwKey)!;
  const ns = state.gatewayRef.namespace;
  const sel = selectorText(gw.selector);
  if (state.gatewayPods.error) {
    out.statuses.push('cannot-check');
    out.details.push(`selector ${sel || '(none)'}: ${state.gatewayPods.error.message}`);
    out.fixes.push(fixFor(state.gatewayPods.error));
    return;
  }
  // The pods read are those of the gateway namespace; a Gateway selects gateway proxies anywhere (none: all of them).
  const pods = selectedByGateway(model, gw).filter((w) => w.kind === 'Pod');
  const ready = pods.filter((p) => podState(p.m).ready);
  const what = isEmptySelector(gw.selector) ? 'no selector (every gateway workload)' : `selector ${sel}`;
  if (ready.length) {
    out.details.push(
      `${what} matches ${ready.length} running ingress pod${ready.length > 1 ? 's' : ''} (${ready.map((p) => p.name).join(', ')})`,
    );
    return;
  }
  out.statuses.push('fail');
  out.details.push(
    pods.length
      ? `${what} matches ${pods.length} pod(s) in ${ns}, none running and ready (${pods.map((p) => `${p.name}: ${podState(p.m).text}`).join('; ')})`
      : `${what} matches no pod in ${ns}`,
  );
  out.fixes.push(
    pods.length
      ? `see why: kubectl describe pod -n ${ns} ${pods[0].name}`
      : `make the selector match the ingress gateway pods (kubectl get pods -n ${ns} --show-labels)`,
  );
}

function judgeCredential(state: ClusterState, model: MeshModel, s: GatewayServer, out: Judged): void {
  const raw = s.tls?.credentialName;
  if (!raw) {
    out.statuses.push('fail');
    out.details.push('no tls.credentialName');
    out.fixes.push('set tls.credentialName to the TLS secret (public-cert)');
    return;
  }
  const cred = parseCredentialName(raw);
  const ns = cred.namespace ?? state.secretRef.namespace;
  if (state.secret.error?.reason === 'not-captured') {
    // A snapshot without Secrets (the safe way to share one): step 7 reports the secret as
    // cannot-check; the Gateway itself is judged on what the snapshot shows.
    out.details.push(`credentialName ${raw}: secret ${ns}/${cred.name} not in the snapshot (see step 7)`);
  } else if (state.secret.error) {
    out.statuses.push('cannot-check');
    out.details.push(`credentialName ${raw}: ${state.secret.error.message}`);
    out.fixes.push(fixFor(state.secret.error));
  } else if (credentialFor(model, ns, cred.name)) {
    out.details.push(`credentialName ${raw}: secret ${ns}/${cred.name} exists`);
  } else {
    out.statuses.push('fail');
    out.details.push(`credentialName ${raw}: no secret ${ns}/${cred.name}`);
    out.fixes.push(`create the TLS secret ${ns}/${cred.name} (guide step 3: ingress-certs.yaml)`);
  }
}

function judgeHttps(state: ClusterState, model: MeshModel, gwKey: string, out: Judged): void {
  const gw = model.gateways.get(gwKey)!;
  const host = state.pkg.host;
  const https = gw.servers.filter((s) => s.port.protocol === 'HTTPS');
  const on8443 = https.filter((s) => s.port.number === 8443);
  if (!https.length) {
    out.statuses.push('fail');
    out.details.push('no HTTPS server');
    out.fixes.push('add an HTTPS server on port 8443 with tls.credentialName');
    return;
  }
  if (!on8443.length) {
    out.statuses.push('fail');
    out.details.push(`HTTPS server on port ${https.map((s) => s.port.number).join(', ')}, not 8443 (the Service forwards 443 -> 8443)`);
    out.fixes.push('put the HTTPS server on port 8443');
    return;
  }
  const covering = host ? on8443.filter((s) => serverHosts(gw, s).some((h) => requestHostMatches(h.host, host))) : on8443;
  if (!covering.length) {
    out.statuses.push('fail');
    out.details.push(`HTTPS server on 8443 hosts ${on8443.flatMap((s) => s.hosts).join(', ')}: none covers ${host}`);
    out.fixes.push(
      `add ${host} (or *.${host!.split('.').slice(1).join('.')}) to the Gateway's HTTPS hosts, or use the Big Bang domain for the package host`,
    );
    return;
  }
  const s = covering[0];
  const mode = String(s.tls?.mode ?? 'SIMPLE');
  out.details.push(`HTTPS server on 8443, hosts ${s.hosts.join(', ')}${host ? ` (covers ${host})` : ''}, TLS ${mode}`);
  if (!host) {
    out.statuses.push('warn');
    out.details.push('package host unknown: pass --host to check that the Gateway covers it');
  }
  if (serverKind(s) === 'tls-passthrough') out.details.push('TLS passthrough: the package terminates TLS itself, no credentialName needed');
  else judgeCredential(state, model, s, out);
}

export function step9(state: ClusterState, model: MeshModel): StepResult {
  const ref = state.gatewayRef;
  const key = `${ref.namespace}/${ref.name}`;
  const title = `Gateway ${key}`;
  if (state.gateways.error) return cannotCheck(9, title, state.gateways.error);
  const gw = model.gateways.get(key);
  if (!gw) {
    const others = [...model.gateways.values()].filter((g) => g.namespace === ref.namespace).map((g) => g.name);
    return {
      step: 9,
      title,
      status: 'fail',
      details: [`Gateway ${key} not found (${ref.why})${others.length ? `; gateways in ${ref.namespace}: ${others.join(', ')}` : ''}`],
      fix: `check the gateway values (${state.layout === 'bb2' ? 'istio.gateways.public' : 'istioGateway.values.gateways'}) and the Istio HelmReleases, or pass --layout`,
    };
  }
  const out: Judged = { statuses: [], details: [ref.why], fixes: [] };
  judgePods(state, model, key, out);
  const redirect = gw.servers.find((s) => serverKind(s) === 'http' && s.tls?.httpsRedirect);
  if (redirect) {
    out.details.push(`HTTP server on ${redirect.port.number} redirects to HTTPS (hosts ${redirect.hosts.join(', ')})`);
  } else {
    const http = gw.servers.find((s) => serverKind(s) === 'http');
    out.statuses.push('warn');
    out.details.push(
      http
        ? `HTTP server on ${http.port.number} does not redirect to HTTPS`
        : 'no HTTP server: plain http:// requests are not redirected to https://',
    );
    out.fixes.push(
      `enable the http->https redirect (${state.layout === 'bb2' ? 'istio.gateways.public.autoHttpRedirect.enabled: true' : 'an HTTP server with tls.httpsRedirect: true'})`,
    );
  }
  judgeHttps(state, model, key, out);
  const st = worst(out.statuses);
  const reason = st === 'cannot-check' ? (state.gatewayPods.error ?? state.secret.error)?.reason : undefined;
  return {
    step: 9,
    title,
    status: st,
    details: out.details,
    ...(st !== 'pass' ? { fix: out.fixes.join('; ') } : {}),
    ...(reason ? { reason } : {}),
  };
}
