// Test certificates made with the openssl CLI in a temp dir: a CA, leaves signed by it (valid,
// expired, expiring soon, wrong SAN), a self-signed leaf, and the fake API server's certificate.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pair {
  cert: string;
  key: string;
}

export interface TestCerts {
  dir: string;
  ca: Pair;
  /** *.bigbang.dev + bigbang.dev, signed by ca, valid 2 years. */
  valid: Pair;
  /** same SANs, validity 2020-2021. */
  expired: Pair;
  /** same SANs, 10 days left. */
  expiring: Pair;
  /** *.example.com only. */
  wrongSan: Pair;
  /** *.bigbang.dev, self-signed (not from ca). */
  selfSigned: Pair;
  /** A key that belongs to no certificate above. */
  otherKey: string;
  /** The fake API server: IP:127.0.0.1, signed by ca. */
  api: Pair;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function newKey(dir: string, name: string): string {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`], dir);
  return join(dir, `${name}.key`);
}

let cached: TestCerts | undefined;

export function makeCerts(): TestCerts {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'bbmesh-verify-certs-'));
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  // CA
  newKey(dir, 'ca');
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '3650',
      '-subj',
      '/CN=bbmesh test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  // `openssl ca` gives exact start and end dates.
  mkdirSync(join(dir, 'newcerts'));
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ ca ]',
      'default_ca = test_ca',
      '[ test_ca ]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'new_certs_dir = $dir/newcerts',
      'serial = $dir/serial',
      'default_md = sha256',
      'policy = any',
      'copy_extensions = copy',
      'unique_subject = no',
      'email_in_dn = no',
      '[ any ]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  const fmt = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  const leaf = (name: string, cn: string, san: string, start: Date, end: Date): Pair => {
    newKey(dir, name);
    openssl(['req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`, '-addext', `subjectAltName=${san}`], dir);
    openssl(
      [
        'ca',
        '-batch',
        '-config',
        'ca.cnf',
        '-cert',
        'ca.crt',
        '-keyfile',
        'ca.key',
        '-in',
        `${name}.csr`,
        '-out',
        `${name}.crt`,
        '-startdate',
        fmt(start),
        '-enddate',
        fmt(end),
        '-notext',
      ],
      dir,
    );
    return { cert: read(`${name}.crt`), key: read(`${name}.key`) };
  };
  const now = Date.now();
  const day = 86_400_000;
  const wild = 'DNS:*.bigbang.dev,DNS:bigbang.dev';
  const valid = leaf('valid', '*.bigbang.dev', wild, new Date(now - day), new Date(now + 730 * day));
  const expired = leaf('expired', '*.bigbang.dev', wild, new Date('2020-01-01T00:00:00Z'), new Date('2021-01-01T00:00:00Z'));
  const expiring = leaf('expiring', '*.bigbang.dev', wild, new Date(now - day), new Date(now + 10 * day));
  const wrongSan = leaf('wrongsan', '*.example.com', 'DNS:*.example.com', new Date(now - day), new Date(now + 730 * day));
  const api = leaf('api', '127.0.0.1', 'IP:127.0.0.1,DNS:localhost', new Date(now - day), new Date(now + 730 * day));
  newKey(dir, 'self');
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'self.key',
      '-out',
      'self.crt',
      '-days',
      '365',
      '-subj',
      '/CN=*.bigbang.dev',
      '-addext',
      `subjectAltName=${wild}`,
    ],
    dir,
  );
  const selfSigned = { cert: read('self.crt'), key: read('self.key') };
  const otherKey = readFileSync(newKey(dir, 'other'), 'utf8');
  cached = { dir, ca: { cert: read('ca.crt'), key: read('ca.key') }, valid, expired, expiring, wrongSan, selfSigned, otherKey, api };
  return cached;
}

/** Every fragment of key material a leak test must never find in an output. */
export function keyFragments(certs: TestCerts): string[] {
  const out: string[] = ['PRIVATE KEY'];
  for (const k of [certs.valid.key, certs.expired.key, certs.expiring.key, certs.wrongSan.key, certs.selfSigned.key, certs.otherKey]) {
    const body = k.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    out.push(body.slice(10, 50)); // a piece of the PEM body
    out.push(Buffer.from(k).toString('base64').slice(20, 60)); // a piece of the secret's data value
  }
  return out;
}
