// The guide's validation steps 5 and 7-11, judged from the objects read (pure functions of the
// ClusterState). Step 12 (a real HTTPS request) is in https.ts.
import type { Manifest } from '../../manifest/index.js';
import { FLUX_NAMESPACE, gatewaysOf, hostMatches, httpsServers, pickVirtualService } from '../../sources/cluster/gather.js';
import type { ClusterState } from '../../sources/cluster/gather.js';
import { tlsInfoOf } from '../../sources/cluster/reader.js';
import type { ReadError, StepResult, StepStatus } from './types.js';

const DAY = 86_400_000;
export const EXPIRY_WARN_DAYS = 30;

/** A step that could not be judged because a read failed. */
export function cannotCheck(step: number, title: string, err: ReadError, details: string[] = []): StepResult {
  return { step, title, status: 'cannot-check', details: [...details, err.message], fix: fixFor(err) };
}

export function fixFor(err: ReadError): string {
  switch (err.reason) {
    case 'unreachable':
      return 'check the API server address and your network (kubectl cluster-info), or verify a dump with --snapshot';
    case 'unauthorized':
      return 'refresh your credentials (log in again, or pick another --context) and retry';
    case 'forbidden': {
      const [verb, resource] = (err.permission ?? '').split(' ');
      const ns = err.namespace ? ` -n ${err.namespace}` : '';
      return `ask your cluster admin for RBAC permission to ${err.permission} (test with: kubectl auth can-i ${verb} ${resource}${ns})`;
    }
    case 'crd-absent':
      return err.kind === 'HelmRelease' || err.kind === 'GitRepository'
        ? 'Flux is not installed in this cluster: install Big Bang (guide step 3), which needs Flux (flux install)'
        : 'Istio is not installed in this cluster: enable istio in the Big Bang values and install Big Bang (guide step 3)';
    case 'timeout':
      return 'the API server is slow or unreachable: retry, or check kubectl cluster-info';
    case 'not-captured':
      return err.kind === 'Secret' && err.name
        ? `append the secret to the dump: { echo ---; kubectl get secret -n ${err.namespace} ${err.name} -o yaml; } >> <snapshot file>`
        : `make the snapshot again including ${err.kind} objects (the command is in bbmesh verify --help)`;
    default:
      return 'retry; if it persists, compare with kubectl get';
  }
}

function worst(statuses: StepStatus[]): StepStatus {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('cannot-check')) return 'cannot-check';
  if (statuses.includes('warn')) return 'warn';
  return 'pass';
}

const spec = (m: Manifest | undefined): any => (m?.obj as any)?.spec ?? {};
const status = (m: Manifest | undefined): any => (m?.obj as any)?.status ?? {};

// ---------------------------------------------------------------------------------------------
// Step 5: GitRepositories, HelmReleases and pods ready.

export interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

export function readyCondition(m: Manifest): Condition | undefined {
  const conds = status(m).conditions;
  return Array.isArray(conds) ? conds.find((c: Condition) => c?.type === 'Ready') : undefined;
}

function conditionText(c: Condition | undefined): string {
  if (!c) return 'no Ready condition yet';
  const why = [c.reason, c.message].filter(Boolean).join(': ');
  return why ? why.replace(/\s+/g, ' ').slice(0, 300) : `Ready=${c.status}`;
}

export interface PodState {
  ready: boolean;
  /** Running 2/2 ready, or Pending (ImagePullBackOff: ...), or Completed */
  text: string;
}

export function podState(pod: Manifest): PodState {
  const st = status(pod);
  const phase = String(st.phase ?? 'Unknown');
  if (phase === 'Succeeded') return { ready: true, text: 'Completed' };
  const natives = new Set<string>(
    (spec(pod).initContainers ?? []).filter((c: any) => c?.restartPolicy === 'Always').map((c: any) => c.name),
  );
  const statuses = [...(st.containerStatuses ?? []), ...(st.initContainerStatuses ?? []).filter((c: any) => natives.has(c?.name))];
  const total = (spec(pod).containers ?? []).length + natives.size || statuses.length;
  const readyCount = statuses.filter((c: any) => c?.ready === true).length;
  const podReady = (st.conditions ?? []).some((c: Condition) => c?.type === 'Ready' && c?.status === 'True');
  const waiting = [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])]
    .map((c: any) => c?.state?.waiting?.reason ?? c?.state?.terminated?.reason)
    .filter((r: unknown) => r && r !== 'Completed');
  const why = waiting.length ? ` (${[...new Set(waiting)].join(', ')})` : st.reason ? ` (${st.reason})` : '';
  const ready = phase === 'Running' && podReady;
  return { ready, text: `${phase}, ${readyCount}/${total} containers ready${ready ? '' : why}` };
}

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
  return { step: 5, title, status: st, details, ...(st !== 'pass' && fixes.length ? { fix: fixes.join('; ') } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Step 7: the TLS secret.

export function step7(state: ClusterState, now: Date): StepResult {
  const ref = state.secretRef;
  const title = `TLS certificate in secret ${ref.namespace}/${ref.name}`;
  if (state.secret.error) return cannotCheck(7, title, state.secret.error);
  const secret = state.secret.value;
  const installFix = `install Big Bang with a certificate for ${state.pkg.host ?? 'the package host'} (guide step 3: -f ~/bigbang/chart/ingress-certs.yaml, or istio${state.layout === 'bb3' ? 'Gateway' : ''} gateway tls values)`;
  if (!secret) {
    return { step: 7, title, status: 'fail', details: [`secret ${ref.namespace}/${ref.name} not found (${ref.why})`], fix: installFix };
  }
  const details: string[] = [];
  const statuses: StepStatus[] = [];
  const fixes: string[] = [];
  const type = String((secret.obj as any).type ?? '');
  if (type !== 'kubernetes.io/tls') {
    details.push(`type is ${type || '(none)'}, not kubernetes.io/tls`);
    statuses.push('fail');
    fixes.push('recreate it as a TLS secret: kubectl create secret tls ... --cert=... --key=...');
  } else {
    details.push('type kubernetes.io/tls');
  }
  const info = tlsInfoOf(secret.obj);
  if (!info || info.certError || !info.chain?.length) {
    details.push(info?.certError ?? 'tls.crt could not be read');
    statuses.push('fail');
    fixes.push(installFix);
    return { step: 7, title, status: 'fail', details, fix: fixes.join('; ') };
  }
  const leaf = info.chain[0];
  details.push(`subject: ${leaf.subject || '(empty)'}`);
  details.push(`SANs: ${leaf.sans.length ? leaf.sans.join(', ') : '(none)'}`);
  details.push(
    `issuer: ${leaf.issuer}${leaf.selfSigned ? ' (self-signed)' : ''}${info.chain.length > 1 ? `, chain of ${info.chain.length} certificates` : ''}`,
  );
  const daysLeft = Math.floor((leaf.validToMs - now.getTime()) / DAY);
  details.push(`valid ${leaf.validFrom.slice(0, 10)} to ${leaf.validTo.slice(0, 10)}${daysLeft >= 0 ? ` (${daysLeft} days left)` : ''}`);
  details.push(`SHA-256 fingerprint: ${leaf.fingerprint256}`);
  if (leaf.validFromMs > now.getTime()) {
    statuses.push('fail');
    details.push(`not valid yet: valid from ${leaf.validFrom}`);
    fixes.push('check the clocks, or issue a certificate valid now');
  } else if (leaf.validToMs < now.getTime()) {
    statuses.push('fail');
    details.push(`expired on ${leaf.validTo}`);
    fixes.push(
      `renew the certificate (${state.layout === 'bb2' ? 'istio.gateways.public.tls' : 'istioGateway gateway tls'} values, or a newer ingress-certs.yaml)`,
    );
  } else if (leaf.validToMs - now.getTime() < EXPIRY_WARN_DAYS * DAY) {
    statuses.push('warn');
    details.push(`expires within ${EXPIRY_WARN_DAYS} days`);
    fixes.push('renew the certificate soon');
  }
  const host = state.pkg.host;
  if (!host) {
    statuses.push('warn');
    details.push('package host unknown (no --host and no package VirtualService host): SANs not compared');
    fixes.push('pass --host');
  } else {
    const dns = leaf.sans.filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
    const cover = dns.find((d) => hostMatches(d, host, 'cert'));
    if (cover) {
      details.push(`covers ${host} (SAN DNS:${cover})`);
    } else {
      statuses.push('fail');
      details.push(`does not cover ${host}${dns.length ? '' : ' (no DNS SANs; clients ignore the CN)'}`);
      fixes.push(`issue a certificate whose SANs include ${host} or *.${host.split('.').slice(1).join('.')}`);
    }
  }
  if (info.keyMatches === true) {
    details.push('tls.key matches the certificate');
  } else if (info.keyMatches === false) {
    statuses.push('fail');
    details.push('tls.key does not match the certificate');
    fixes.push('put the key that belongs to this certificate in the secret (tls.key)');
  } else {
    statuses.push('fail');
    details.push(info.keyError ?? 'tls.key could not be tested');
    fixes.push('put the PEM private key of this certificate in tls.key');
  }
  const st = worst(statuses);
  return { step: 7, title, status: st, details, ...(st !== 'pass' ? { fix: fixes.join('; ') } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Step 8: the ingress gateway Service.

const EXPECTED_PORTS = [
  { label: 'http', port: 80, target: 8080 },
  { label: 'https', port: 443, target: 8443 },
  { label: 'status-port', port: 15021, target: 15021 },
];

export function step8(state: ClusterState): StepResult {
  const ref = state.names.ingressService;
  const title = `ingress gateway Service ${ref.namespace}/${ref.name}`;
  if (state.ingressService.error) return cannotCheck(8, title, state.ingressService.error);
  const svc = state.ingressService.value;
  if (!svc) {
    return {
      step: 8,
      title,
      status: 'fail',
      details: [`Service ${ref.namespace}/${ref.name} not found`],
      fix: `Istio's ingress gateway is not deployed: check ${state.layout === 'bb2' ? 'istio.ingressGateways.public-ingressgateway' : 'istioGateway'} in the Big Bang values and HelmRelease ${state.names.istioReleases.at(-1)}; or pass --layout ${state.layout === 'bb2' ? 'bb3' : 'bb2'}`,
    };
  }
  const details: string[] = [];
  const statuses: StepStatus[] = [];
  const fixes: string[] = [];
  const type = String(spec(svc).type ?? 'ClusterIP');
  const ports: any[] = Array.isArray(spec(svc).ports) ? spec(svc).ports : [];
  if (type === 'LoadBalancer') {
    details.push('type LoadBalancer');
  } else if (type === 'NodePort') {
    statuses.push('warn');
    details.push(
      `type NodePort (node ports: ${ports.map((p) => `${p.name ?? p.port}=${p.nodePort ?? '?'}`).join(', ')}); reach it at <node-ip>:<nodePort>`,
    );
    fixes.push('NodePort works without a load balancer: give step 12 the node address with --address <node-ip>:<https nodePort>');
  } else {
    statuses.push('fail');
    details.push(`type ${type}: not reachable from outside the cluster`);
    fixes.push(
      `set the ingress gateway Service type to LoadBalancer (${state.layout === 'bb2' ? 'istio.ingressGateways.public-ingressgateway.type' : 'istioGateway gateway service type'})`,
    );
  }
  for (const e of EXPECTED_PORTS) {
    const p = ports.find((x) => Number(x?.port) === e.port);
    const target = p ? (p.targetPort ?? p.port) : undefined;
    if (!p) {
      statuses.push('fail');
      details.push(`${e.label}: no port ${e.port}`);
      fixes.push(`add port ${e.port} -> ${e.target} to the ingress gateway Service`);
    } else if (String(target) !== String(e.target)) {
      statuses.push('fail');
      details.push(`${e.label}: port ${e.port} -> ${target}, expected -> ${e.target}`);
      fixes.push(`make port ${e.port} forward to ${e.target}`);
    } else {
      details.push(
        `${p.name ?? e.label}: ${e.port} -> ${e.target}/${p.protocol ?? 'TCP'}${p.nodePort && type !== 'LoadBalancer' ? ` (nodePort ${p.nodePort})` : ''}`,
      );
    }
  }
  const ingress: any[] = status(svc).loadBalancer?.ingress ?? [];
  const addrs = ingress.map((i) => i?.ip ?? i?.hostname).filter(Boolean);
  if (addrs.length) {
    details.push(`external address: ${addrs.join(', ')}`);
  } else if (type === 'LoadBalancer') {
    statuses.push('fail');
    details.push('no external IP or hostname assigned (EXTERNAL-IP <pending>)');
    fixes.push('the cluster has no load balancer provider: install one (MetalLB, cloud LB; k3d/kind map it for you) or use type NodePort');
  }
  const externalIPs: string[] = spec(svc).externalIPs ?? [];
  if (externalIPs.length) details.push(`externalIPs: ${externalIPs.join(', ')}`);
  const st = worst(statuses);
  return { step: 8, title, status: st, details, ...(st !== 'pass' ? { fix: fixes.join('; ') } : {}) };
}

/** Where step 12 sends its requests: the load balancer address of the ingress Service. */
export function ingressAddress(state: ClusterState): { host?: string; why: string } {
  const svc = state.ingressService.value;
  if (!svc)
    return {
      why:
        state.ingressService.error?.message ??
        `Service ${state.names.ingressService.namespace}/${state.names.ingressService.name} not found`,
    };
  const ingress: any[] = status(svc).loadBalancer?.ingress ?? [];
  const a = ingress.map((i) => i?.ip ?? i?.hostname).find(Boolean);
  if (a) return { host: String(a), why: `load balancer of Service ${svc.namespace}/${svc.name}` };
  return { why: `Service ${svc.namespace}/${svc.name} has no load balancer address (type ${spec(svc).type ?? 'ClusterIP'})` };
}

// ---------------------------------------------------------------------------------------------
// Step 9: the Gateway.

function labelsMatch(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export function step9(state: ClusterState): StepResult {
  const ref = state.gatewayRef;
  const title = `Gateway ${ref.namespace}/${ref.name}`;
  if (state.gateways.error) return cannotCheck(9, title, state.gateways.error);
  const gw = state.gateways.value?.find((g) => g.namespace === ref.namespace && g.name === ref.name);
  if (!gw) {
    const others = (state.gateways.value ?? []).filter((g) => g.namespace === ref.namespace).map((g) => g.name);
    return {
      step: 9,
      title,
      status: 'fail',
      details: [
        `Gateway ${ref.namespace}/${ref.name} not found (${ref.why})${others.length ? `; gateways in ${ref.namespace}: ${others.join(', ')}` : ''}`,
      ],
      fix: `check the gateway values (${state.layout === 'bb2' ? 'istio.gateways.public' : 'istioGateway.values.gateways'}) and the Istio HelmReleases, or pass --layout`,
    };
  }
  const details: string[] = [`${ref.why}`];
  const statuses: StepStatus[] = [];
  const fixes: string[] = [];
  const selector: Record<string, string> = spec(gw).selector ?? {};
  const selText = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  if (!Object.keys(selector).length) {
    statuses.push('fail');
    details.push('no spec.selector: the Gateway is not bound to an ingress gateway');
    fixes.push('set spec.selector to the ingress gateway pod labels (app: public-ingressgateway)');
  } else if (state.gatewayPods.error) {
    statuses.push('cannot-check');
    details.push(`selector ${selText}: ${state.gatewayPods.error.message}`);
    fixes.push(fixFor(state.gatewayPods.error));
  } else {
    const pods = (state.gatewayPods.value ?? []).filter((p) => labelsMatch(selector, p.obj.metadata?.labels));
    const ready = pods.filter((p) => podState(p).ready);
    if (ready.length) {
      details.push(
        `selector ${selText} matches ${ready.length} running ingress pod${ready.length > 1 ? 's' : ''} (${ready.map((p) => p.name).join(', ')})`,
      );
    } else {
      statuses.push('fail');
      details.push(
        pods.length
          ? `selector ${selText} matches ${pods.length} pod(s) in ${ref.namespace}, none running and ready (${pods.map((p) => `${p.name}: ${podState(p).text}`).join('; ')})`
          : `selector ${selText} matches no pod in ${ref.namespace}`,
      );
      fixes.push(
        pods.length
          ? `see why: kubectl describe pod -n ${ref.namespace} ${pods[0].name}`
          : `make the selector match the ingress gateway pods (kubectl get pods -n ${ref.namespace} --show-labels)`,
      );
    }
  }
  const servers: any[] = Array.isArray(spec(gw).servers) ? spec(gw).servers : [];
  const http = servers.filter((s) => ['HTTP', 'HTTP2'].includes(String(s?.port?.protocol ?? '').toUpperCase()));
  const redirect = http.find((s) => s?.tls?.httpsRedirect === true);
  if (redirect) {
    details.push(`HTTP server on ${redirect.port?.number} redirects to HTTPS (hosts ${(redirect.hosts ?? []).join(', ')})`);
  } else {
    statuses.push('warn');
    details.push(
      http.length
        ? `HTTP server on ${http[0].port?.number} does not redirect to HTTPS`
        : 'no HTTP server: plain http:// requests are not redirected to https://',
    );
    fixes.push(
      `enable the http->https redirect (${state.layout === 'bb2' ? 'istio.gateways.public.autoHttpRedirect.enabled: true' : 'an HTTP server with tls.httpsRedirect: true'})`,
    );
  }
  const host = state.pkg.host;
  const https = httpsServers(gw);
  const on8443 = https.filter((s) => Number(s?.port?.number) === 8443);
  if (!https.length) {
    statuses.push('fail');
    details.push('no HTTPS server');
    fixes.push('add an HTTPS server on port 8443 with tls.credentialName');
  } else if (!on8443.length) {
    statuses.push('fail');
    details.push(`HTTPS server on port ${https.map((s) => s?.port?.number).join(', ')}, not 8443 (the Service forwards 443 -> 8443)`);
    fixes.push('put the HTTPS server on port 8443');
  } else {
    const covering = host ? on8443.filter((s) => (s.hosts ?? []).some((h: string) => hostMatches(h, host))) : on8443;
    if (!covering.length) {
      statuses.push('fail');
      details.push(`HTTPS server on 8443 hosts ${on8443.flatMap((s) => s.hosts ?? []).join(', ')}: none covers ${host}`);
      fixes.push(
        `add ${host} (or *.${host!.split('.').slice(1).join('.')}) to the Gateway's HTTPS hosts, or use the Big Bang domain for the package host`,
      );
    } else {
      const s = covering[0];
      const mode = String(s?.tls?.mode ?? 'SIMPLE');
      details.push(`HTTPS server on 8443, hosts ${(s.hosts ?? []).join(', ')}${host ? ` (covers ${host})` : ''}, TLS ${mode}`);
      if (!host) {
        statuses.push('warn');
        details.push('package host unknown: pass --host to check that the Gateway covers it');
      }
      if (mode === 'PASSTHROUGH' || mode === 'AUTO_PASSTHROUGH') {
        details.push('TLS passthrough: the package terminates TLS itself, no credentialName needed');
      } else {
        const cred = s?.tls?.credentialName;
        if (!cred) {
          statuses.push('fail');
          details.push('no tls.credentialName');
          fixes.push('set tls.credentialName to the TLS secret (public-cert)');
        } else if (state.secret.error?.reason === 'not-captured') {
          // A snapshot without Secrets (the safe way to share one): step 7 reports the secret as
          // cannot-check; the Gateway itself is judged on what the snapshot shows.
          details.push(`credentialName ${cred}: secret ${state.secretRef.namespace}/${cred} not in the snapshot (see step 7)`);
        } else if (state.secret.error) {
          statuses.push('cannot-check');
          details.push(`credentialName ${cred}: ${state.secret.error.message}`);
          fixes.push(fixFor(state.secret.error));
        } else if (state.secretRef.name === cred && state.secret.value) {
          details.push(`credentialName ${cred}: secret ${state.secretRef.namespace}/${cred} exists`);
        } else {
          statuses.push('fail');
          details.push(`credentialName ${cred}: no secret ${state.secretRef.namespace}/${cred}`);
          fixes.push(`create the TLS secret ${state.secretRef.namespace}/${cred} (guide step 3: ingress-certs.yaml)`);
        }
      }
    }
  }
  const st = worst(statuses);
  return { step: 9, title, status: st, details, ...(st !== 'pass' ? { fix: fixes.join('; ') } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Step 10: the package VirtualService.

function resolveDestination(host: string, vsNamespace: string): { name: string; namespace: string } | undefined {
  const h = host.toLowerCase();
  const parts = h.split('.');
  if (parts.length === 1) return { name: parts[0], namespace: vsNamespace };
  if (parts.length === 2) return { name: parts[0], namespace: parts[1] };
  if (h.endsWith('.svc.cluster.local') || parts[2] === 'svc') return { name: parts[0], namespace: parts[1] };
  return undefined; // an external host (ServiceEntry)
}

export function step10(state: ClusterState): StepResult {
  const ns = state.pkg.namespace;
  const title = `VirtualService of ${state.pkg.name} in ${ns}`;
  if (state.virtualServices.error) return cannotCheck(10, title, state.virtualServices.error);
  const vss = state.virtualServices.value ?? [];
  const vs = pickVirtualService(vss, state.pkg.host);
  if (!vs) {
    return {
      step: 10,
      title,
      status: 'fail',
      details: [`no VirtualService in namespace ${ns}`],
      fix: `enable the package's Istio integration (istio.enabled: true in the package values; bbmesh integrate writes it) and reconcile`,
    };
  }
  const details: string[] = [`VirtualService ${vs.namespace}/${vs.name}`];
  const statuses: StepStatus[] = [];
  const fixes: string[] = [];
  const gws = gatewaysOf(vs);
  const ref = state.gatewayRef;
  const bound = gws.some((g) => g.namespace === ref.namespace && g.name === ref.name);
  const want = `${state.names.gateway.namespace}/${state.names.gateway.name}`;
  if (!gws.length) {
    statuses.push('fail');
    details.push('no spec.gateways: bound to the mesh only, not reachable from the ingress');
    fixes.push(`set spec.gateways to [${want}] (the package's istio.gateways / hosts values)`);
  } else if (!bound) {
    statuses.push('fail');
    const known = (g: { namespace: string; name: string }) =>
      state.gateways.value?.some((x) => x.namespace === g.namespace && x.name === g.name);
    details.push(
      `gateways ${gws.map((g) => `${g.namespace}/${g.name}${state.gateways.value && !known(g) && g.name !== 'mesh' ? ' (does not exist)' : ''}`).join(', ')}: not ${ref.namespace}/${ref.name}`,
    );
    fixes.push(`bind it to ${want} (spec.gateways)`);
  } else {
    details.push(`bound to gateway ${ref.namespace}/${ref.name}`);
  }
  const hosts: string[] = spec(vs).hosts ?? [];
  const host = state.pkg.host;
  if (!host) {
    statuses.push('warn');
    details.push(`hosts ${hosts.join(', ') || '(none)'}; package host unknown`);
    fixes.push('pass --host');
  } else if (hosts.some((h) => hostMatches(h, host))) {
    details.push(`host ${host}${state.pkg.hostSource === 'virtualservice' ? ' (from this VirtualService)' : ''}`);
  } else {
    statuses.push('fail');
    details.push(`hosts ${hosts.join(', ') || '(none)'}: none matches ${host}`);
    fixes.push(`add ${host} to spec.hosts (the package's hostname/domain values)`);
  }
  const routes: any[] = (spec(vs).http ?? []).flatMap((r: any) => r?.route ?? []);
  if (!routes.length) {
    statuses.push('fail');
    details.push(`no HTTP routes${spec(vs).tcp || spec(vs).tls ? ' (tcp/tls routes are not checked)' : ''}`);
    fixes.push('add spec.http[].route[].destination to the package Service');
  }
  const services = state.services.value;
  for (const r of routes) {
    const d = r?.destination ?? {};
    const dhost = String(d.host ?? '');
    const port = d.port?.number;
    const target = resolveDestination(dhost, vs.namespace);
    const label = `route -> ${dhost}${port ? `:${port}` : ''}`;
    if (!target) {
      statuses.push('warn');
      details.push(`${label}: not a cluster Service name, not checked`);
      continue;
    }
    if (target.namespace !== ns) {
      details.push(`${label}: Service in namespace ${target.namespace}, not checked`);
      continue;
    }
    if (state.services.error) {
      statuses.push('cannot-check');
      details.push(`${label}: ${state.services.error.message}`);
      fixes.push(fixFor(state.services.error));
      continue;
    }
    const svc = services?.find((s) => s.name === target.name);
    if (!svc) {
      statuses.push('fail');
      details.push(`${label}: no Service ${ns}/${target.name} (Services: ${(services ?? []).map((s) => s.name).join(', ') || 'none'})`);
      fixes.push(`point the route at the package Service (kubectl get svc -n ${ns})`);
      continue;
    }
    const sports: any[] = spec(svc).ports ?? [];
    if (port === undefined) {
      if (sports.length === 1) details.push(`${label}: Service ${ns}/${svc.name} port ${sports[0].port} (its only port)`);
      else {
        statuses.push('fail');
        details.push(`${label}: no destination port, and Service ${svc.name} has ${sports.length} ports`);
        fixes.push(`set destination.port.number to one of ${sports.map((p) => p.port).join(', ')}`);
      }
    } else if (sports.some((p) => Number(p.port) === Number(port))) {
      const p = sports.find((x) => Number(x.port) === Number(port));
      details.push(`${label}: Service ${ns}/${svc.name} port ${p.name ? `${p.name} ` : ''}${p.port} -> ${p.targetPort ?? p.port}`);
    } else {
      statuses.push('fail');
      details.push(`${label}: Service ${ns}/${svc.name} has no port ${port} (ports: ${sports.map((p) => p.port).join(', ')})`);
      fixes.push(`use a Service port (${sports.map((p) => p.port).join(', ')}), not the container port`);
    }
  }
  const st = worst(statuses);
  return { step: 10, title, status: st, details, ...(st !== 'pass' ? { fix: fixes.join('; ') } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Step 11: istio-proxy sidecars.

/** `deployment/podinfo` for a pod, from its controller owner reference. */
export function ownerOf(pod: Manifest): { kind: string; name: string } | undefined {
  const refs: any[] = (pod.obj.metadata as any)?.ownerReferences ?? [];
  const o = refs.find((r) => r?.controller) ?? refs[0];
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
    const main = (st.containerStatuses ?? []).find((c: any) => c?.name === 'istio-proxy');
    const native = (st.initContainerStatuses ?? []).find((c: any) => c?.name === 'istio-proxy');
    const cs = main ?? native;
    const kind = main ? 'container' : 'native sidecar';
    if (cs?.ready === true) {
      details.push(`Pod ${p.name}: istio-proxy ready (${kind})`);
      continue;
    }
    missing++;
    const declared = [...(spec(p).containers ?? []), ...(spec(p).initContainers ?? [])].some((c: any) => c?.name === 'istio-proxy');
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
