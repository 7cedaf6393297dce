// The Services a chart exposes, read from its templates: the name expression and the HTTP port.
import { readdirSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Workspace } from './workspace.js';

export interface PortItem {
  port?: string;
  name?: string;
  targetPort?: string;
}

export interface ServiceInfo {
  /** Short id used with --service and as the `istio.<id>` values key when several are exposed. */
  id: string;
  /** Template that declares it, relative to the package directory. */
  file: string;
  /** `metadata.name` as template text, usable in the VirtualService (e.g. `{{ template "podinfo.fullname" . }}`). */
  nameExpr: string;
  /** Port as template text (`{{ .Values.service.externalPort }}`) or a number; undefined when unknown. */
  portExpr?: string;
  /** Values path of the port (`.Values.service.externalPort`), when it comes from values. */
  portValuesPath?: string;
  /** Names of the ports seen, for messages. */
  portNames: string[];
  /** Every port of the Service as template text (numbers or `{{ .Values.x }}`), to check `--port`. */
  portExprs?: string[];
  /** The ports as written (template text). */
  portItems?: PortItem[];
  /** The template document that declares it, and its ordinal among the file's Services. */
  doc?: string;
  ordinal?: number;
}

export function listFiles(ws: Workspace, rel: string): string[] {
  const out: string[] = [];
  const walk = (r: string) => {
    let names: string[];
    try {
      names = readdirSync(ws.abs(r)).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = `${r}/${n}`;
      if (statSync(ws.abs(p)).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(rel);
  return out;
}

function stripQuotes(s: string): string {
  return s
    .trim()
    .replace(/^(["'])(.*)\1$/, '$2')
    .trim();
}

/** `{{ .Values.a.b | default 80 }}` -> the expression; hard-coded numbers as is. */
export function portOf(raw: string): { expr?: string; path?: string } {
  const v = stripQuotes(raw.replace(/\s+#.*$/, ''));
  if (/^\d+$/.test(v)) return { expr: v };
  const m = /^\{\{-?\s*\$?(\.Values(?:\.[A-Za-z0-9_]+)+)((?:\s*\|\s*(?:default\s+\S+|int|int64|toString|quote))*)\s*-?\}\}$/.exec(v);
  if (m) return { expr: `{{ ${m[1]}${m[2].replace(/\s*\|\s*/g, ' | ')} }}`, path: m[1] };
  return {};
}

function kebab(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

function serviceId(nameExpr: string, file: string, pkg: string): string {
  // `{{ template "argo-cd.server.fullname" . }}`: the component's own name.
  const component = /^\{\{-?\s*(?:include|template)\s+"[^"]+?\.([A-Za-z0-9-]+)\.fullname"\s+\$?\.?\s*-?\}\}$/.exec(nameExpr);
  if (component) return kebab(component[1]);
  const helper = /^\{\{-?\s*(?:include|template)\s+"[^"]+\.fullname"\s+\$?\.?\s*-?\}\}(.*)$/.exec(nameExpr);
  if (helper) {
    const suffix = helper[1].replace(/^-/, '');
    if (!suffix) return pkg;
    if (/^[a-z0-9-]+$/.test(suffix)) return suffix;
  }
  const rel = /^\{\{-?\s*\.Release\.Name\s*-?\}\}-([a-z0-9-]+)$/.exec(nameExpr);
  if (rel) return rel[1];
  if (/^[a-z0-9][a-z0-9-]*$/.test(nameExpr)) return nameExpr;
  return basename(file).replace(/\.(ya?ml|tpl)$/, '');
}

/** Splits a template into YAML documents on `---` lines. */
function documents(text: string): string[] {
  return text.split(/^---[^\n]*\n/m);
}

export function findServices(ws: Workspace, pkg: string): ServiceInfo[] {
  const out: ServiceInfo[] = [];
  for (const file of listFiles(ws, 'chart/templates').filter((f) => /\.ya?ml$/.test(f))) {
    const text = (ws.read(file) ?? '').replace(/\r\n?/g, '\n');
    let ordinal = 0;
    for (const doc of documents(text)) {
      if (!/^kind:\s*["']?Service["']?\s*$/m.test(doc)) continue;
      if (/^\s+clusterIP:\s*["']?None["']?\s*$/m.test(doc)) continue; // headless
      const lines = doc.split('\n');
      const meta = lines.findIndex((l) => /^metadata:\s*$/.test(l));
      let nameExpr = '';
      for (let i = meta + 1; meta >= 0 && i < lines.length; i++) {
        const l = lines[i];
        if (/^\S/.test(l) && !l.startsWith('{{')) break;
        const m = /^ {1,4}name:\s*(.+)$/.exec(l);
        if (m) {
          nameExpr = stripQuotes(m[1].replace(/\s+#.*$/, ''));
          break;
        }
      }
      if (!nameExpr) continue;
      // Ports: the items of `ports:` under spec.
      const p = lines.findIndex((l) => /^ +ports:\s*$/.test(l));
      const items: { port?: string; name?: string; targetPort?: string }[] = [];
      if (p >= 0) {
        const pind = /^ */.exec(lines[p])![0].length;
        let cur: { port?: string; name?: string; targetPort?: string } | undefined;
        let itemInd = -1;
        for (let i = p + 1; i < lines.length; i++) {
          const l = lines[i];
          if (!l.trim() || l.trim().startsWith('#') || l.trim().startsWith('{{')) continue;
          const ind = /^ */.exec(l)![0].length;
          if (ind < pind || (ind === pind && !/^ *- /.test(l))) break;
          const item = /^( *)- (.*)$/.exec(l);
          let kv = l.trim();
          if (item && (itemInd < 0 || item[1].length === itemInd)) {
            itemInd = item[1].length;
            cur = {};
            items.push(cur);
            kv = item[2];
          }
          const m = /^([A-Za-z]+):\s*(.*)$/.exec(kv);
          if (cur && m) {
            if (m[1] === 'port') cur.port = m[2];
            if (m[1] === 'name') cur.name = stripQuotes(m[2]);
            if (m[1] === 'targetPort') cur.targetPort = stripQuotes(m[2]);
          }
        }
      }
      const httpish = (s?: string) => !!s && /^(http|web|ui|app|server)([-_].*)?$/i.test(s) && !/grpc|metric/i.test(s);
      const candidates = items.filter((i) => i.port !== undefined);
      const chosen =
        candidates.find((i) => httpish(i.name)) ??
        candidates.find((i) => httpish(i.targetPort)) ??
        (candidates.length === 1 ? candidates[0] : undefined);
      const port = chosen?.port !== undefined ? portOf(chosen.port) : {};
      out.push({
        id: serviceId(nameExpr, file, pkg),
        file,
        nameExpr,
        portExpr: port.expr,
        portValuesPath: port.path,
        portNames: candidates.map((i) => i.name ?? i.port ?? '?'),
        portExprs: candidates.map((i) => i.port!),
        portItems: items,
        doc,
        ordinal: ordinal++,
      });
    }
  }
  // Ids must be unique.
  const seen = new Map<string, number>();
  for (const s of out) {
    const n = (seen.get(s.id) ?? 0) + 1;
    seen.set(s.id, n);
    if (n > 1) s.id = `${s.id}-${n}`;
  }
  return out;
}
