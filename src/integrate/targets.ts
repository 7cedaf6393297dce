// Which Services the VirtualService routes to, and on which port: the Services the chart renders with
// its defaults (see learn.ts), tied back to the templates that declare them so that the generated
// template keeps the chart's own name and port expressions.
import { basename } from 'node:path';
import { UserError } from '../core/errors.js';
import { loadYaml11 } from '../manifest/yaml11.js';
import type { ChartRender, RenderedPort, RenderedService } from './learn.js';
import { portOf, type ServiceInfo } from './services.js';
import type { Workspace } from './workspace.js';

export interface Candidate {
  /** The Service's own name as rendered (predicted for one not rendered), else its id. */
  name: string;
  /** Short name: the `istio.<id>` values key when several Services are exposed. */
  id: string;
  info: ServiceInfo;
  rendered?: RenderedService;
}

export interface ServiceChoice {
  /** Services the chart renders with its defaults (all of the templates' when it could not be rendered). */
  active: Candidate[];
  /** Declared in the templates but not rendered with the defaults (podinfo's redis without `redis.enabled`). */
  inactive: Candidate[];
  render?: ChartRender;
}

export interface VsTarget {
  /** Values key: `istio.<key>`. */
  key: string;
  service: ServiceInfo;
  portExpr: string;
  /** The Service's name as rendered, when the chart could be rendered. */
  renderedName?: string;
  /** The Service as rendered and the port routed to, when the chart could be rendered. */
  rendered?: RenderedService;
  port?: RenderedPort;
}

export interface TargetOptions {
  service?: readonly string[];
  port?: string;
}

/** The literal text after a name expression's last action: `-redis` in `{{ template "x.fullname" . }}-redis`. */
function tail(nameExpr: string): string {
  const i = nameExpr.lastIndexOf('}}');
  return i < 0 ? nameExpr : nameExpr.slice(i + 2);
}

function shortIds(names: string[]): string[] {
  if (names.length < 2) return names;
  const parts = names.map((n) => n.split('-'));
  let k = 0;
  while (parts.every((p) => p.length > k + 1 && p[k] === parts[0][k])) k++;
  return parts.map((p) => p.slice(k).join('-'));
}

function fromRender(r: RenderedService): ServiceInfo {
  return {
    id: r.name,
    file: r.template ?? '(rendered)',
    nameExpr: r.name,
    portNames: r.ports.map((p) => p.name ?? String(p.port)),
    portExprs: r.ports.map((p) => String(p.port)),
    portItems: r.ports.map((p) => ({ port: String(p.port), name: p.name })),
  };
}

/** Ties each rendered Service to the template that declares it. */
export function serviceChoice(text: ServiceInfo[], render: ChartRender | undefined, pkg: string): ServiceChoice {
  if (!render) {
    const active = text.map((info) => ({ name: info.id, id: info.id, info }));
    return { active, inactive: [] };
  }
  const used = new Set<ServiceInfo>();
  const active: Candidate[] = [];
  for (const r of render.services) {
    const inFile = text.filter((t) => t.file === r.template && !used.has(t));
    const byTail = inFile.filter((t) => tail(t.nameExpr) && r.name.endsWith(tail(t.nameExpr)));
    const plain = inFile.filter((t) => !tail(t.nameExpr) || t.nameExpr === tail(t.nameExpr));
    const info =
      inFile.length === 1
        ? inFile[0]
        : (byTail.sort((a, b) => tail(b.nameExpr).length - tail(a.nameExpr).length)[0] ?? (plain.length === 1 ? plain[0] : undefined));
    if (info) used.add(info);
    if (r.headless) continue; // not a destination for a VirtualService
    active.push({ name: r.name, id: r.name, info: info ?? fromRender(r), rendered: r });
  }
  active.sort((a, b) => a.name.localeCompare(b.name));
  // A Service not rendered: its name predicted from a rendered sibling with the same helper call.
  const inactive: Candidate[] = text
    .filter((t) => !used.has(t))
    .map((info) => {
      const t = tail(info.nameExpr);
      const head = info.nameExpr.slice(0, info.nameExpr.length - t.length);
      const sibling = active.find((a) => a.rendered && a.info.nameExpr === head);
      return { name: sibling ? sibling.name + t : info.id, id: info.id, info };
    });
  const all = [...active, ...inactive];
  const ids = shortIds(all.map((c) => c.name));
  all.forEach((c, i) => (c.id = all.length === 1 ? pkg : ids[i] || pkg));
  if (new Set(all.map((c) => c.id)).size < all.length) all.forEach((c) => (c.id = c.name));
  return { active, inactive, render };
}

const httpish = (s?: string | number) => typeof s === 'string' && /^(http|web|ui|app|server)([-_].*)?$/i.test(s) && !/grpc|metric/i.test(s);

function chartValues(ws: Workspace): unknown {
  try {
    return loadYaml11(ws.read('chart/values.yaml') ?? '') ?? {};
  } catch {
    return {};
  }
}

function dig(v: unknown, path: string): unknown {
  for (const k of path.replace(/^\.Values\./, '').split('.'))
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/** The value of a `.Values.x.y` path as the chart saw it: the release's values, else the chart's defaults. */
function valueOf(ws: Workspace, render: ChartRender | undefined, path: string): unknown {
  return dig(render?.values ?? {}, path) ?? dig(chartValues(ws), path);
}

/** The HTTP port among a rendered Service's ports. */
function httpPort(ports: RenderedPort[]): RenderedPort | undefined {
  return (
    ports.find((p) => httpish(p.name)) ??
    ports.find((p) => httpish(p.targetPort)) ??
    ports.find((p) => /^https?$|^http2$/i.test(p.appProtocol ?? '') && p.appProtocol !== 'https') ??
    (ports.length === 1 ? ports[0] : undefined)
  );
}

/** The port as the template writes it (its values path when it has one), for a rendered port. */
function portExprFor(ws: Workspace, c: Candidate, port: RenderedPort, render?: ChartRender): string {
  for (const item of c.info.portItems ?? []) {
    if (item.port === undefined) continue;
    const r = portOf(item.port);
    if (
      r.path &&
      Number(valueOf(ws, render, r.path)) === port.port &&
      (!item.name || !port.name || item.name.includes('{{') || item.name === port.name)
    )
      return r.expr!;
    if (r.expr === String(port.port)) return r.expr;
  }
  return String(port.port);
}

function knownPorts(ws: Workspace, c: Candidate, render?: ChartRender): { numbers: number[]; names: (string | undefined)[] } {
  if (c.rendered) return { numbers: c.rendered.ports.map((p) => p.port), names: c.rendered.ports.map((p) => p.name) };
  const numbers = (c.info.portExprs ?? []).map((e) => {
    const r = portOf(e);
    if (r.path) return Number(valueOf(ws, render, r.path));
    return r.expr && /^\d+$/.test(r.expr) ? Number(r.expr) : NaN;
  });
  return { numbers, names: c.info.portNames };
}

/**
 * `--port` as a number or a values path, checked against the chart: the path must exist in
 * chart/values.yaml, and a number must be a port of the Service when its ports can be read.
 */
function normalizePort(p: string, ws: Workspace, c: Candidate, render?: ChartRender): string {
  const known = knownPorts(ws, c, render);
  const readable = known.numbers.length > 0 && known.numbers.every((n) => Number.isInteger(n));
  const each = known.numbers.map((n, i) => `${Number.isInteger(n) ? n : '?'}${known.names[i] ? ` (${known.names[i]})` : ''}`);
  const ports = `Service ${c.name} ports: ${each.join(', ')}`;
  if (/^\d+$/.test(p)) {
    if (readable && !known.numbers.includes(Number(p))) {
      throw new UserError(`--port ${p} is not a port of the Service (${ports})`, {
        hint: 'the VirtualService routes to a Service port, not a container port: pass one of those, or its values path',
      });
    }
    return p;
  }
  const path = p.startsWith('.Values.') ? p : `.Values.${p.replace(/^\./, '')}`;
  const r = portOf(`{{ ${path} }}`);
  if (!r.expr)
    throw new UserError(`--port ${p} is neither a number nor a values path`, { hint: 'e.g. --port service.port or --port 8080' });
  const value = dig(chartValues(ws), path);
  const short = path.replace(/^\.Values\./, '');
  if (value === undefined)
    throw new UserError(`--port ${p}: chart/values.yaml has no value ${short}`, {
      file: 'chart/values.yaml',
      hint: `pass the values path of the Service's port (${ports})`,
    });
  if (!Number.isInteger(Number(value)))
    throw new UserError(`--port ${p}: ${short} is ${JSON.stringify(value)} in chart/values.yaml, not a port number`, {
      file: 'chart/values.yaml',
    });
  return r.expr;
}

function describe(c: Candidate): string {
  const ports = c.rendered ? c.rendered.ports.map((p) => `${p.port}${p.name ? ` ${p.name}` : ''}`).join(', ') : c.info.portNames.join(', ');
  return `${c.name} (${c.info.file}${ports ? `, ports ${ports}` : ''})`;
}

function matches(c: Candidate, name: string): boolean {
  const f = c.info.file;
  return c.name === name || c.id === name || c.info.nameExpr === name || f === name || basename(f).replace(/\.(ya?ml|tpl)$/, '') === name;
}

export function chooseTargets(ws: Workspace, pkg: string, choice: ServiceChoice, opts: TargetOptions): VsTarget[] {
  const { active, inactive, render } = choice;
  const all = [...active, ...inactive];
  const unused = inactive.length ? `; not rendered with the chart's defaults: ${inactive.map(describe).join(', ')}` : '';
  let chosen: Candidate[];
  if (opts.service?.length) {
    chosen = opts.service.map((name) => {
      const exact = all.filter((c) => matches(c, name));
      const found = exact.length ? exact : all.filter((c) => c.name.endsWith(`-${name}`));
      if (found.length === 1) return found[0];
      if (found.length > 1) {
        throw new UserError(`--service ${name} matches ${found.length} Services: ${found.map((c) => c.name).join(', ')}`, {
          hint: 'pass the Service name',
        });
      }
      if (all.length) {
        throw new UserError(`--service ${name} matches no Service of the chart`, {
          hint: `pass --service with one of: ${all.map((c) => c.name).join(', ')}`,
        });
      }
      // No Service template found: take the name as the Service's name.
      const info: ServiceInfo = { id: name.replace(/[^a-z0-9-]/gi, '-'), file: '(--service)', nameExpr: name, portNames: [] };
      return { name, id: info.id, info };
    });
  } else if (active.length === 1) {
    chosen = active;
  } else if (!active.length) {
    throw new UserError(
      `no Service ${render ? 'renders with the chart defaults' : 'found in chart/templates'}, ` +
        `so the VirtualService has nothing to route to${unused}`,
      { hint: 'pass --service NAME (the Service name) and --port PORT (a number or a values path such as service.port)' },
    );
  } else {
    const how = render ? 'renders' : 'declares';
    throw new UserError(`the chart ${how} ${active.length} Services: ${active.map(describe).join('; ')}`, {
      hint: `pass --service for each one to expose, e.g. ${active.map((c) => `--service ${c.name}`).join(' ')}`,
    });
  }
  return chosen.map((c) => {
    let portExpr = opts.port ? normalizePort(opts.port, ws, c, render) : undefined;
    let port: RenderedPort | undefined;
    if (portExpr && c.rendered) {
      const path = portOf(portExpr).path;
      const n = path ? Number(valueOf(ws, render, path)) : Number(portExpr);
      port = c.rendered.ports.find((p) => p.port === n);
    }
    if (!portExpr && c.rendered) {
      port = httpPort(c.rendered.ports);
      if (port) portExpr = portExprFor(ws, c, port, render);
    } else if (!portExpr) portExpr = c.info.portExpr;
    if (!portExpr) {
      const names = knownPorts(ws, c, render).names.filter(Boolean);
      throw new UserError(
        `cannot tell the HTTP port of Service ${c.name} in ${c.info.file}${names.length ? ` (ports: ${names.join(', ')})` : ''}`,
        {
          hint: 'pass --port with a number or the values path of the port, e.g. --port service.port',
        },
      );
    }
    return { key: chosen.length === 1 ? pkg : c.id, service: c.info, portExpr, renderedName: c.rendered?.name, rendered: c.rendered, port };
  });
}
