// A loopback stand-in for the Istio ingress gateway: HTTPS with a given certificate, answering
// podinfo's JSON for its host and 404 (like Envoy without a route) for any other; and plain HTTP
// answering 301 to https://<host>/ like a Gateway with httpsRedirect.
import { createServer as createHttps } from 'node:https';
import { createServer as createHttp } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pair } from './certs.js';

export interface FakeIngress {
  httpsPort: number;
  httpPort: number;
  hosts: string[];
  close(): Promise<void>;
}

/** `host`: the one host answered (default podinfo.bigbang.dev), or a test for the hosts answered. */
export async function startIngress(
  cert: Pair,
  o: { host?: string | ((h: string) => boolean); status?: number; redirect?: boolean; lifetimeMs?: number } = {},
): Promise<FakeIngress> {
  const host = o.host ?? 'podinfo.bigbang.dev';
  const answers = typeof host === 'function' ? host : (h: string) => h === host;
  const hosts: string[] = [];
  const tls = createHttps({ cert: cert.cert, key: cert.key }, (req, res) => {
    hosts.push(String(req.headers.host));
    if (!answers(String(req.headers.host).split(':')[0])) {
      res.writeHead(404, { server: 'istio-envoy', 'content-length': '0' });
      return res.end();
    }
    const status = o.status ?? 200;
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      server: 'istio-envoy',
      'x-envoy-upstream-service-time': '3',
    });
    res.end(
      status === 200
        ? JSON.stringify(
            {
              hostname: 'podinfo-podinfo-7d9c8b6f4-abcde',
              version: '6.0.0',
              revision: '',
              color: '#34577c',
              logo: 'https://raw.githubusercontent.com/stefanprodan/podinfo/gh-pages/cuddle_clap.gif',
              message: 'greetings from podinfo v6.0.0',
              goos: 'linux',
              goarch: 'amd64',
              runtime: 'go1.15.7',
              num_goroutine: '8',
              num_cpu: '32',
            },
            null,
            2,
          )
        : 'no healthy upstream',
    );
  });
  const plain = createHttp((req, res) => {
    if (o.redirect === false) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('plain');
    }
    res.writeHead(301, { location: `https://${String(req.headers.host).split(':')[0]}${req.url}`, server: 'istio-envoy' });
    res.end();
  });
  await Promise.all([new Promise<void>((r) => tls.listen(0, '127.0.0.1', r)), new Promise<void>((r) => plain.listen(0, '127.0.0.1', r))]);
  const t = setTimeout(() => {
    tls.close();
    plain.close();
  }, o.lifetimeMs ?? 60_000);
  t.unref();
  return {
    httpsPort: (tls.address() as AddressInfo).port,
    httpPort: (plain.address() as AddressInfo).port,
    hosts,
    close: async () => {
      clearTimeout(t);
      tls.closeAllConnections();
      plain.closeAllConnections();
      await Promise.all([new Promise((r) => tls.close(r)), new Promise((r) => plain.close(r))]);
    },
  };
}

/** A port nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const s = createHttp();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}
