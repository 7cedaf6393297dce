import { existsSync, readFileSync } from 'node:fs';
import { Option } from 'commander';
import type { Command } from 'commander';
import { EXIT_FINDINGS, UserError } from '../core/errors.js';
import type { ClusterReader } from '../sources/cluster/reader.js';
import type { KubeReader } from '../sources/cluster/kube.js';
import { readText } from '../sources/files.js';
import { collect, examples, useColor } from './common.js';

const SNAPSHOT_HELP =
  '{ kubectl get namespaces,gitrepositories.source.toolkit.fluxcd.io,helmreleases.helm.toolkit.fluxcd.io,pods,services,\n' +
  '      gateways.networking.istio.io,virtualservices.networking.istio.io -A -o yaml; echo ---;\n' +
  '    kubectl get secret -n istio-system public-cert -o yaml; } > cluster.yaml     # bb3: -n istio-gateway';

const OUTPUTS = ['text', 'json', 'junit', 'policyreport', 'prometheus'];
const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function register(program: Command): void {
  program
    .command('verify')
    .description("Run the guide's validation steps 5 and 7-12 against a live cluster (or a snapshot of one) and judge them")
    .option(
      '--package <name>',
      'package name: HelmRelease bigbang/<name>; namespace: its targetNamespace, else <name> (default: from bigbang/Chart.yaml)',
    )
    .option('--all', 'every package the HelmReleases in bigbang deploy, verified concurrently (at most 16 API calls in flight)')
    .option('-n, --namespace <ns>', "the package's namespace (default: the HelmRelease's targetNamespace); with --all: only packages there")
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config, then the pod service account)')
    .option('--context <name>', 'kubeconfig context (default: the current one)')
    .option(
      '--request-timeout <duration>',
      'bound for each API call and the credential plugin, as kubectl takes it (5s, 1m; 0: none)',
      '10s',
    )
    .option('--host <host>', 'package host, e.g. podinfo.bigbang.dev (default: from the package VirtualService)')
    .option(
      '--layout <layout>',
      'Big Bang layout: bb2 (istio-system/public) or bb3 (istio-gateway/public-ingressgateway); default: detected',
    )
    .option(
      '--umbrella <dir>',
      'read the layout from a Big Bang checkout (or its chart/) as check does; verify judges the domain, hosts and ' +
        "gateways from the cluster's own objects, so the umbrella's are shown, not used",
    )
    .option('-f, --values <file>', "with --umbrella: the environment's values files, as helm -f (repeatable)", collect)
    .option('--wait <duration>', 'poll until Flux and the package pods are ready, at most this long (e.g. 10m); running out is exit 1')
    .option('--snapshot <file>', 'verify a YAML/JSON dump of the cluster instead of a live cluster (step 12 is then cannot-check)')
    .option(
      '--address <host[:port]>',
      'step 12: the ingress address to connect to (default: the ingress Service load balancer; with a port, the HTTPS port and no http redirect check)',
    )
    .option('--ca <file>', 'step 12: PEM CA bundle that signed the ingress certificate (default: the public-cert chain plus system roots)')
    .option('--insecure', 'step 12: do not verify the ingress TLS certificate')
    .option('-o, --output <format>', `output format: ${OUTPUTS.slice(0, -1).join(', ')} or ${OUTPUTS.at(-1)} (default: text)`)
    .addOption(new Option('--format <format>', 'deprecated: use -o/--output').hideHelp())
    .option('--apply', 'with -o policyreport: write the PolicyReports to the cluster (server-side apply, field manager bbmesh)')
    .option('--allow-unchecked', 'exit 0 even when steps could not be checked (RBAC, timeouts, unreachable API, no host)')
    .addHelpText(
      'after',
      examples([
        'bbmesh verify --package podinfo',
        'bbmesh verify --package podinfo --wait 10m',
        'bbmesh verify --package podinfo --context kind-bigbang --host podinfo.bigbang.dev -o json',
        'bbmesh verify --package podinfo --address 192.168.1.20:30443 --ca dev-ca.pem',
        'bbmesh verify --package podinfo --snapshot cluster.yaml',
        'bbmesh verify --all',
        'bbmesh verify --all -o policyreport --apply',
        'bbmesh verify --all -o prometheus > /var/lib/node-exporter/textfile/bbmesh.prom',
        'bbmesh verify --package kiali --umbrella ~/bigbang -f env.yaml     # layout as the umbrella reads',
      ]) +
        '\nWith --umbrella only the layout is taken from it (--layout still wins): the steps read the package\n' +
        'host, Gateways and certificates from the cluster. --chart and --offline (whole-deployment renders) do not apply.\n' +
        `\nA snapshot for --snapshot (air-gapped sites):\n  ${SNAPSHOT_HELP}\n\nSteps: 5 Flux and pods ready, 7 TLS secret, 8 ingress Service, 9 Gateway, 10 VirtualService,\n11 istio-proxy sidecars, 12 HTTPS request. Then the \`check\` rules run on the objects read; their findings
(package namespace and HelmRelease only) are listed after the steps. With --all, a package without a
VirtualService skips the ingress steps 7-10 and 12.
Exit code: 0 every step passed or warned and no finding is an error; 1 a step failed, a finding is an
error, --wait ran out, --apply failed, or a step could not be checked (RBAC, timeout, unreachable or
not the Kubernetes API; on a snapshot, not step 12 nor step 7 without the Secret; --allow-unchecked accepts those); 2 bad input (no
kubeconfig, a snapshot without objects, bad flags); 3 a bug.\n`,
    )
    .action(run);
}

async function run(o: Record<string, unknown>): Promise<void> {
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  if (o.format !== undefined) process.stderr.write('bbmesh: --format is deprecated: use -o/--output\n');
  if (str('output') && str('format') && str('output') !== str('format')) throw new UserError('-o and --format disagree: use -o only');
  const output = str('output') ?? str('format') ?? 'text';
  if (!OUTPUTS.includes(output)) throw new UserError(`unknown -o ${output}`, { hint: `use ${OUTPUTS.join(', ')}` });
  const layout = str('layout');
  if (layout !== undefined && layout !== 'bb2' && layout !== 'bb3')
    throw new UserError(`unknown --layout ${layout}`, { hint: 'use bb2 or bb3' });
  if (o.ca && o.insecure) throw new UserError('--ca and --insecure exclude each other');
  if (o.apply && output !== 'policyreport') throw new UserError('--apply writes PolicyReports: add -o policyreport');
  const all = Boolean(o.all);
  if (all && (o.package || o.host || o.wait))
    throw new UserError(`--all verifies every package: drop ${o.package ? '--package' : o.host ? '--host' : '--wait'}`);
  const namespace = str('namespace');
  if (namespace !== undefined && !NAME_RE.test(namespace)) throw new UserError(`-n ${namespace} is not a valid namespace name`);
  const live = await import('../analysis/verify/index.js');
  const timeoutMs = live.parseRequestTimeout(str('requestTimeout') ?? '10s');
  const waitMs = str('wait') !== undefined ? live.parseDuration(str('wait')!, '--wait') : undefined;
  const snapshot = str('snapshot');
  if (snapshot && waitMs !== undefined) throw new UserError('--wait needs a live cluster, not --snapshot');
  if (snapshot && (o.kubeconfig || o.context)) throw new UserError('--snapshot reads a file: drop --kubeconfig/--context');
  if (snapshot && o.apply) throw new UserError('--apply writes to a live cluster, not --snapshot');
  const umbrella = await umbrellaRead(o, layout as 'bb2' | 'bb3' | undefined);
  const common = {
    layout: (layout ?? umbrella?.layout) as 'bb2' | 'bb3' | undefined,
    address: str('address') ? parseAddress(str('address')!) : undefined,
    caPem: str('ca') ? readCa(str('ca')!) : undefined,
    insecure: Boolean(o.insecure),
    timeoutMs,
    allowUnchecked: Boolean(o.allowUnchecked),
  };
  const started = performance.now();
  const { reader, kube } = await readerFor(snapshot, { kubeconfig: str('kubeconfig'), context: str('context'), timeoutMs });
  const out = await import('./verify-output.js');
  const emit = { output, apply: Boolean(o.apply), color: useColor(), kube };
  const { umbrellaText } = await import('./mesh-input.js');
  // The report on stdout says what was read (text); machine outputs leave it to stderr.
  const said = umbrellaText(umbrella);
  // The readers say `--layout` for a layout they were handed: name where it came from.
  const reason = layout === undefined && umbrella ? `read from the umbrella ${umbrella.version}` : undefined;
  if (output !== 'text') for (const l of said) process.stderr.write(`bbmesh: ${l}\n`);
  try {
    if (all) {
      const report = await live.verifyAll(reader, { ...common, namespace }, started);
      if (reason) for (const r of [report, ...report.packages.map((p) => p.report)]) if (r) r.layoutReason = reason;
      const applied = await out.emitAll(report, emit);
      if (output === 'text') for (const l of said) process.stdout.write(`${l}\n`);
      const bugs = report.packages.filter((p) => p.internalError);
      for (const p of bugs) process.stderr.write(`bbmesh: internal error verifying ${p.name}: ${p.internalError}\n(please report it)\n`);
      if (bugs.length) process.exitCode = 3;
      else if (!report.ok || !applied) process.exitCode = EXIT_FINDINGS;
      return;
    }
    const opts = {
      ...common,
      packageName: packageName(str('package')),
      namespace,
      host: str('host'),
      waitMs,
      onProgress: waitMs !== undefined ? progressPrinter() : undefined,
    };
    const report = await live.verifyWith(reader, opts, started);
    if (reason) report.layoutReason = reason;
    const applied = await out.emitOne(report, emit);
    if (output === 'text') for (const l of said) process.stdout.write(`${l}\n`);
    if (!report.ok || !applied) process.exitCode = EXIT_FINDINGS;
  } finally {
    kube?.close();
  }
}

/** What the umbrella tells (--umbrella, with -f values), or undefined without it. */
async function umbrellaRead(o: Record<string, unknown>, layout: 'bb2' | 'bb3' | undefined) {
  const values = Array.isArray(o.values) ? o.values.filter((v): v is string => typeof v === 'string') : [];
  if (typeof o.umbrella !== 'string') {
    if (values.length) throw new UserError('-f/--values are the environment values of --umbrella DIR', { hint: 'add --umbrella' });
    return undefined;
  }
  const { umbrellaReadOf } = await import('./mesh-input.js');
  return umbrellaReadOf({ values, umbrella: { dir: o.umbrella, layout } });
}

/** The snapshot, or the cluster of the kubeconfig (its client loaded only then). */
async function readerFor(
  snapshot: string | undefined,
  o: { kubeconfig?: string; context?: string; timeoutMs: number },
): Promise<{ reader: ClusterReader; kube?: KubeReader }> {
  if (snapshot) {
    const { SnapshotReader } = await import('../sources/cluster/snapshot.js');
    return { reader: SnapshotReader.fromFile(snapshot) };
  }
  const { KubeReader } = await import('../sources/cluster/kube.js');
  const kube = KubeReader.fromOptions(o);
  return { reader: kube, kube };
}

function readCa(file: string): string {
  const pem = readText(file, '--ca file'); // bounded: never /dev/zero without end
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UserError(`--ca ${file} holds no PEM certificate`);
  return pem;
}

function packageName(flag: string | undefined): string {
  if (flag) {
    if (!NAME_RE.test(flag)) throw new UserError(`--package ${flag} is not a valid Kubernetes name`);
    return flag;
  }
  const f = 'bigbang/Chart.yaml';
  if (existsSync(f)) {
    const m = /^name:\s*["']?([^"'\s#]+)/m.exec(readFileSync(f, 'utf8'));
    if (m?.[1]?.startsWith('bigbang-')) return m[1].slice('bigbang-'.length);
  }
  throw new UserError('which package? pass --package <name>, or --all', {
    hint: 'or run verify in the package directory (bigbang/Chart.yaml named bigbang-<name>)',
  });
}

/** `10.0.0.5`, `lb.example.com:8443`, `[fd00::1]:443` */
export function parseAddress(text: string): { host: string; httpsPort?: number } {
  const m =
    /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+))(?::(\d{1,5}))?$/.exec(text.trim()) ?? /^([0-9a-fA-F:]+:[0-9a-fA-F:]*)()$/.exec(text.trim());
  if (!m) throw new UserError(`bad --address ${text}`, { hint: 'use host or host:port, e.g. 10.0.0.5 or 10.0.0.5:30443' });
  const host = m[1] || m[2];
  const port = m[3] ? Number(m[3]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) throw new UserError(`bad port in --address ${text}`);
  return port === undefined ? { host } : { host, httpsPort: port };
}

/** --wait progress on stderr: one live line on a terminal, plain lines (on change) otherwise. */
function progressPrinter() {
  const tty = Boolean(process.stderr.isTTY);
  const spin = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let last = '';
  return (p: { elapsedMs: number; totalMs: number; poll: number; summary: string; done: boolean }) => {
    const clock = `${fmt(p.elapsedMs)}/${fmt(p.totalMs)}`;
    if (tty) {
      const width = Math.max(20, (process.stderr.columns ?? 100) - 1);
      const line = `${p.done ? '•' : spin[p.poll % spin.length]} waiting ${clock}  ${p.summary}`.slice(0, width);
      process.stderr.write(`\r\x1b[2K${line}`);
      if (p.done) process.stderr.write('\r\x1b[2K');
    } else if (p.summary !== last || p.done) {
      process.stderr.write(`bbmesh verify: waiting ${clock}: ${p.summary}\n`);
    }
    last = p.summary;
  };
}

function fmt(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
