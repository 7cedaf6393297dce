import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EXIT_FINDINGS, UserError } from '../core/errors.js';
import { examples, useColor, write } from './common.js';

const SNAPSHOT_HELP =
  '{ kubectl get namespaces,gitrepositories.source.toolkit.fluxcd.io,helmreleases.helm.toolkit.fluxcd.io,pods,services,\n' +
  '      gateways.networking.istio.io,virtualservices.networking.istio.io -A -o yaml; echo ---;\n' +
  '    kubectl get secret -n istio-system public-cert -o yaml; } > cluster.yaml     # bb3: -n istio-gateway';

export function register(program: Command): void {
  program
    .command('verify')
    .description("Run the guide's validation steps 5 and 7-12 against a live cluster (or a snapshot of one) and judge them")
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: the current one)')
    .option(
      '--package <name>',
      'package name: HelmRelease bigbang/<name>; namespace: its targetNamespace, else <name> (default: from bigbang/Chart.yaml)',
    )
    .option('--host <host>', 'package host, e.g. podinfo.bigbang.dev (default: from the package VirtualService)')
    .option(
      '--layout <layout>',
      'Big Bang layout: bb2 (istio-system/public) or bb3 (istio-gateway/public-ingressgateway); default: detected',
    )
    .option('--wait <duration>', 'poll until Flux and the package pods are ready, at most this long (e.g. 10m)')
    .option('--snapshot <file>', 'verify a YAML/JSON dump of the cluster instead of a live cluster (step 12 is then cannot-check)')
    .option(
      '--address <host[:port]>',
      'step 12: the ingress address to connect to (default: the ingress Service load balancer; with a port, the HTTPS port and no http redirect check)',
    )
    .option('--ca <file>', 'step 12: PEM CA bundle that signed the ingress certificate (default: the public-cert chain plus system roots)')
    .option('--insecure', 'step 12: do not verify the ingress TLS certificate')
    .option('--format <format>', 'text, json or junit', 'text')
    .addHelpText(
      'after',
      examples([
        'bbmesh verify --package podinfo',
        'bbmesh verify --package podinfo --wait 10m',
        'bbmesh verify --package podinfo --context kind-bigbang --host podinfo.bigbang.dev --format json',
        'bbmesh verify --package podinfo --address 192.168.1.20:30443 --ca dev-ca.pem',
        'bbmesh verify --package podinfo --snapshot cluster.yaml',
      ]) +
        `\nA snapshot for --snapshot (air-gapped sites):\n  ${SNAPSHOT_HELP}\n\nSteps: 5 Flux and pods ready, 7 TLS secret, 8 ingress Service, 9 Gateway, 10 VirtualService,\n11 istio-proxy sidecars, 12 HTTPS request. Then the \`check\` rules run on the objects read; their findings
(package namespace and HelmRelease only) are listed after the steps.
Exit code: 0 no step failed (cannot-check included) and no error finding, 1 a step failed or a finding
is an error (warnings and infos do not change it), 2 bad input.\n`,
    )
    .action(async (o: Record<string, any>) => {
      const format = String(o.format);
      if (!['text', 'json', 'junit'].includes(format))
        throw new UserError(`unknown --format ${format}`, { hint: 'use text, json or junit' });
      if (o.layout !== undefined && o.layout !== 'bb2' && o.layout !== 'bb3')
        throw new UserError(`unknown --layout ${o.layout}`, { hint: 'use bb2 or bb3' });
      if (o.ca && o.insecure) throw new UserError('--ca and --insecure exclude each other');
      const live = await import('../analysis/verify/index.js');
      const waitMs = o.wait !== undefined ? live.parseDuration(o.wait, '--wait') : undefined;
      if (o.snapshot && waitMs !== undefined) throw new UserError('--wait needs a live cluster, not --snapshot');
      if (o.snapshot && (o.kubeconfig || o.context)) throw new UserError('--snapshot reads a file: drop --kubeconfig/--context');
      let caPem: string | undefined;
      if (o.ca) {
        caPem = (await import('../sources/files.js')).readText(o.ca, '--ca file'); // bounded: never /dev/zero without end
        if (!caPem.includes('-----BEGIN CERTIFICATE-----')) throw new UserError(`--ca ${o.ca} holds no PEM certificate`);
      }
      const opts = {
        packageName: packageName(o.package),
        host: o.host,
        layout: o.layout,
        address: o.address ? parseAddress(o.address) : undefined,
        caPem,
        insecure: Boolean(o.insecure),
        waitMs,
        onProgress: waitMs !== undefined ? progressPrinter() : undefined,
      };
      const report = o.snapshot
        ? await live.verifySnapshot(o.snapshot, opts)
        : await live.verifyCluster({ ...opts, kubeconfig: o.kubeconfig, context: o.context });
      const { formatText, formatJunit, formatJson } = await import('../report/verify.js');
      const { style } = await import('../report/common.js');
      if (format === 'json') write(formatJson(report));
      else if (format === 'junit') write(formatJunit(report));
      else write(formatText(report, style(useColor())));
      // report.ok is false when a step failed or a finding is an error.
      if (!report.ok) process.exitCode = EXIT_FINDINGS;
    });
}

function packageName(flag: string | undefined): string {
  if (flag) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(flag)) throw new UserError(`--package ${flag} is not a valid Kubernetes name`);
    return flag;
  }
  const f = 'bigbang/Chart.yaml';
  if (existsSync(f)) {
    const m = /^name:\s*["']?([^"'\s#]+)/m.exec(readFileSync(f, 'utf8'));
    if (m?.[1]?.startsWith('bigbang-')) return m[1].slice('bigbang-'.length);
  }
  throw new UserError('which package? pass --package <name>', {
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
