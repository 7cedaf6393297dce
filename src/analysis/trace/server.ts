// The Gateway server a request lands on: for TLS, the filter chain chosen by SNI and its certificate
// (credentialName read in the gateway pod's namespace, or made there at run time); for plain HTTP, the
// route config of the port and its httpsRedirect. Then AuthorizationPolicies at the gateway itself.
import { authorize } from '../../model/authz.js';
import { credentialFor, parseCredentialName } from '../../model/credentials.js';
import { lookupVHost, routeTable, serverForSni, speaksTls, hostScore, type ServerRef } from '../../model/gateway.js';
import { requestHostMatches } from '../../model/hosts.js';
import { unservedHostCode } from '../explain.js';
import { gatewayWorkloads } from '../../model/selectors.js';
import type { Workload } from '../../model/types.js';
import type { RuleCode } from '../rules/codes.js';
import type { Manifest } from '../../manifest/types.js';
import { fail, hostOnly, pathOnly, serverTitle, type Ctx, type Step } from './context.js';
import { traceHttp, virtualServicesForHost } from './http.js';
import { traceL4 } from './l4.js';

/** Which rule catches a host that no TLS server on the chosen ingress accepts, and on which object. */
function unservedSniCode(c: Ctx): { code?: RuleCode; object?: Manifest } {
  const vs = virtualServicesForHost(c.model, c.url.host).find((v) => !v.isDelegate);
  if (!vs) return {};
  const i = vs.fqdnHosts.findIndex((h) => requestHostMatches(h, c.url.host));
  const code = unservedHostCode(c.model, vs, i);
  if (code) return { code, object: vs.m };
  // A bound Gateway serves the host but no gateway workload runs it.
  const idle = vs.gateways.map((g) => c.model.gateways.get(g.resolved)).find((gw) => gw && !gatewayWorkloads(c.model, gw).length);
  return idle ? { code: 'MESH007', object: idle.m } : {};
}

export function traceTls(c: Ctx, w: Workload, servers: ServerRef[]): Step {
  const { model, t, url } = c;
  const tlsServers = servers.filter((s) => speaksTls(s.kind));
  if (!tlsServers.length) {
    const s = servers[0];
    t.add('gateway-server', serverTitle(s), `the listener on ${s.listenPort} speaks ${s.server.port.protocol}, not TLS`, {
      m: s.gw.m,
      path: ['spec', 'servers', s.server.index, 'port'],
      ports: String(s.listenPort),
    });
    return fail(t, {
      status: 'tls-handshake-failure',
      reason: `TLS handshake failure: the listener on ${s.listenPort} is plain ${s.server.port.protocol}`,
      fix: `use http://${url.host}/ or route port ${url.port} to an HTTPS server`,
    });
  }
  const pick = serverForSni(tlsServers, url.host);
  if (!pick) {
    const s = tlsServers[0];
    const caught = unservedSniCode(c);
    t.add(
      'gateway-server',
      `no server for SNI ${url.host}`,
      `TLS servers on ${s.listenPort} accept ${tlsServers.flatMap((x) => x.server.hosts).join(', ')}; no filter chain matches ${url.host}`,
      {
        m: s.gw.m,
        path: ['spec', 'servers', s.server.index, 'hosts'],
        ports: String(s.listenPort),
      },
    );
    return fail(t, {
      status: 'tls-handshake-failure',
      reason: `TLS handshake failure: no Gateway server on ${s.listenPort} has a host matching SNI ${url.host}`,
      ...caught,
      fix: caught.object
        ? `make a Gateway server serve ${url.host}, or change the host of ${caught.object.kind} ${caught.object.namespace}/${caught.object.name}`
        : `use a host the Gateway serves (${s.server.hosts.join(', ')})`,
    });
  }
  const ref = pick.ref;
  const s = ref.server;
  const mode = (s.tls?.mode ?? 'SIMPLE').toUpperCase();
  let tlsText: string;
  let assumed = ref.gw.m.origin.stage === 'platform';
  if ((ref.kind === 'https' || ref.kind === 'tls') && mode !== 'ISTIO_MUTUAL') {
    const raw = s.tls?.credentialName;
    if (!raw && !s.tls?.serverCertificate) {
      t.add('gateway-server', serverTitle(ref), `host ${pick.pattern} matches SNI ${url.host}; TLS ${mode} without credentialName`, {
        m: ref.gw.m,
        path: ['spec', 'servers', s.index, 'tls'],
        ports: String(ref.listenPort),
      });
      return fail(t, {
        status: 'tls-handshake-failure',
        reason: `TLS handshake failure: ${serverTitle(ref)} has no certificate (no credentialName)`,
        code: 'MESH009',
        object: ref.gw.m,
        fix: 'set tls.credentialName to the TLS Secret of the gateway',
      });
    }
    if (raw) {
      const cred = parseCredentialName(raw);
      const ns = cred.namespace ?? w.namespace;
      const src = credentialFor(model, ns, cred.name);
      if (!src) {
        t.add(
          'gateway-server',
          serverTitle(ref),
          `host ${pick.pattern} matches SNI ${url.host}; credentialName ${raw} is read from ${ns} (the gateway pod's namespace), where there is no such Secret`,
          {
            m: ref.gw.m,
            path: ['spec', 'servers', s.index, 'tls', 'credentialName'],
            ports: String(ref.listenPort),
          },
        );
        return fail(t, {
          status: 'tls-handshake-failure',
          reason: `TLS handshake failure: Secret ${ns}/${cred.name} (credentialName) does not exist, so the gateway has no certificate`,
          code: 'MESH009',
          object: ref.gw.m,
          fix: `create the TLS Secret ${cred.name} in namespace ${ns} (keys tls.crt, tls.key)`,
        });
      }
      const by = src.kind === 'secret' ? src.secret.m : src.producer;
      assumed ||= by.origin.stage === 'platform';
      tlsText =
        src.kind === 'secret'
          ? `TLS ${mode} with Secret ${ns}/${cred.name}${by.origin.stage === 'platform' ? ' (assumed)' : ''}`
          : `TLS ${mode} with Secret ${ns}/${cred.name}, made at run time by ${src.controller} from ${by.kind} ${by.namespace}/${by.name}`;
    } else tlsText = `TLS ${mode} with a certificate file (serverCertificate)`;
    if (mode === 'MUTUAL') tlsText += '; the client must present a certificate the CA accepts';
    if (mode === 'OPTIONAL_MUTUAL') tlsText += '; client certificate optional';
  } else
    tlsText =
      ref.kind === 'tls-passthrough'
        ? 'TLS passthrough: routed on SNI, not terminated'
        : 'TLS ISTIO_MUTUAL (mesh client certificate required)';
  t.add('gateway-server', serverTitle(ref), `host ${pick.pattern} matches SNI ${url.host}; ${tlsText}`, {
    m: ref.gw.m,
    path: ['spec', 'servers', s.index],
    ports: `${url.port} -> ${ref.listenPort}`,
    assumed,
  });
  const denied = gatewayAuthz(c, w, ref.listenPort);
  if (denied) return denied;
  if (ref.kind === 'tls-passthrough') return traceL4(c, w, ref, 'tls');
  if (ref.kind === 'tls') return traceL4(c, w, ref, 'tcp');
  const table = routeTable(model, w, `https:${ref.gw.key}:${s.index}`, w.namespace, [ref]);
  return traceHttp(c, w, [ref], lookupVHost(table, hostOnly(c.hostHeader)), ref, 'https');
}

export function tracePlain(c: Ctx, w: Workload, servers: ServerRef[]): Step {
  const { model, t, url } = c;
  const http = servers.filter((s) => s.kind === 'http');
  if (!http.length) {
    const s = servers[0];
    t.add('gateway-server', serverTitle(s), `the listener on ${s.listenPort} expects ${s.server.port.protocol}`, {
      m: s.gw.m,
      path: ['spec', 'servers', s.server.index, 'port'],
      ports: String(s.listenPort),
    });
    if (s.kind === 'tcp') return traceL4(c, w, s, 'tcp');
    return fail(t, {
      status: 'connection-reset',
      reason: `connection reset: plain HTTP sent to the TLS listener on ${s.listenPort}`,
      fix: `use https://${url.host}/`,
    });
  }
  const host = hostOnly(c.hostHeader);
  const table = routeTable(model, w, `http:${http[0].listenPort}`, w.namespace, http);
  const vhost = lookupVHost(table, host);
  let ref = vhost?.redirect ?? vhost?.bindings[0]?.server;
  if (!ref) {
    let best = -1;
    for (const s of http) {
      for (const h of s.hosts) {
        const sc = hostScore(h.host, host);
        if (sc > best) {
          best = sc;
          ref = s;
        }
      }
    }
  }
  ref ??= http[0];
  const s = ref.server;
  t.add(
    'gateway-server',
    serverTitle(ref),
    `route config http.${ref.listenPort}${vhost ? `, virtual host ${vhost.domain}` : ''}${s.tls?.httpsRedirect ? '; tls.httpsRedirect: true' : ''}`,
    {
      m: ref.gw.m,
      path: ['spec', 'servers', s.index],
      ports: `${url.port} -> ${ref.listenPort}`,
    },
  );
  if (vhost?.redirect) {
    const port = url.port === 80 ? '' : `:${url.port}`;
    const target = `https://${host}${port}${url.path}`;
    t.add(
      'redirect',
      `301 to ${target}`,
      `httpsRedirect on ${serverTitle(vhost.redirect)} answers every plain-HTTP request for ${vhost.domain}, VirtualService or not`,
      {
        m: vhost.redirect.gw.m,
        path: ['spec', 'servers', vhost.redirect.server.index, 'tls', 'httpsRedirect'],
      },
    );
    return { redirect: target, code: 301, hop: t.hops.length - 1 };
  }
  const denied = gatewayAuthz(c, w, ref.listenPort);
  if (denied) return denied;
  return traceHttp(c, w, http, vhost, ref, 'http');
}

/** AuthorizationPolicies on the gateway workload itself, enforced before routing (deliberate: no rule code). */
function gatewayAuthz(c: Ctx, w: Workload, port: number): Step | undefined {
  const dec = authorize(c.model, w, {
    host: hostOnly(c.hostHeader),
    method: c.method,
    path: pathOnly(c.url.path),
    headers: c.headers,
    port,
    source: {},
  });
  if (!dec) return undefined;
  c.t.add(
    'authorization',
    dec.policy ? `AuthorizationPolicy ${dec.policy.namespace}/${dec.policy.name} (at the gateway)` : 'AuthorizationPolicies at the gateway',
    `${dec.reason}${dec.assumptions.length ? `; ${dec.assumptions.join('; ')}` : ''}`,
    {
      m: dec.policy?.m,
      path: dec.policy && dec.rule !== undefined && dec.rule >= 0 ? ['spec', 'rules', dec.rule] : ['spec'],
      assumed: dec.assumptions.length > 0 || undefined,
    },
  );
  if (dec.allowed) return undefined;
  return fail(c.t, {
    status: 403,
    reason: `403 RBAC: access denied at the ingress gateway: ${dec.reason}`,
    fix:
      dec.policy?.action === 'DENY'
        ? `narrow the DENY rule of AuthorizationPolicy ${dec.policy.name}`
        : 'add an ALLOW rule for this request',
  });
}
