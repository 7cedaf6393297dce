// Building the hop list: each hop names its object; its source position is resolved only when read
// (a position costs a re-parse of that YAML document, and most traces never print one).
import { sourceOf, type TemplateText } from '../../manifest/source.js';
import type { Manifest, Path } from '../../manifest/types.js';
import type { RuleCode } from '../rules/codes.js';
import type { Hop, HopKind, HopObject, HopSource, TraceStatus } from './types.js';

export interface Failure {
  status: TraceStatus;
  flag?: string;
  reason: string;
  /** The check rule that catches it, and the object its finding is about. */
  code?: RuleCode;
  object?: Manifest;
  fix?: string;
}

export interface HopInit {
  m?: Manifest;
  path?: Path;
  ports?: string;
  ok?: boolean;
  code?: RuleCode;
  assumed?: boolean;
}

function locateSource(m: Manifest, path?: Path, text?: TemplateText): HopSource | undefined {
  const s = sourceOf(m, path, text);
  if (!s) return undefined;
  const out: HopSource = {
    template: s.template,
    templatePath: s.templatePath,
    templateLine: s.templateLine,
    file: s.file,
    line: s.line,
    column: s.column,
  };
  if (s.values) {
    out.values = s.values;
    out.library = s.library;
  }
  return out;
}

/**
 * A hop whose `source` is computed on first read (and included by JSON.stringify via toJSON).
 * Spread copies (`{...hop}`) do not carry `source`; read it or serialise the hop instead.
 */
class LazyHop implements Hop {
  kind: HopKind;
  title: string;
  object?: Hop['object'];
  ports?: string;
  detail: string;
  ok: boolean;
  assumed?: boolean;
  code?: RuleCode;
  #m?: Manifest;
  #path?: Path;
  #text?: TemplateText;
  #source?: HopSource | null;

  constructor(kind: HopKind, title: string, detail: string, ok: boolean) {
    this.kind = kind;
    this.title = title;
    this.detail = detail;
    this.ok = ok;
  }

  setRef(m: Manifest, path: Path | undefined, text: TemplateText | undefined): void {
    this.#m = m;
    this.#path = path;
    this.#text = text;
  }

  get source(): HopSource | undefined {
    if (this.#source === undefined) this.#source = this.#m?.origin.doc ? (locateSource(this.#m, this.#path, this.#text) ?? null) : null;
    return this.#source ?? undefined;
  }

  set source(v: HopSource | undefined) {
    this.#source = v ?? null;
  }

  toJSON(): Hop {
    const out = { kind: this.kind, title: this.title } as Hop;
    if (this.object) out.object = this.object;
    const src = this.source;
    if (src) out.source = src;
    if (this.ports !== undefined) out.ports = this.ports;
    out.detail = this.detail;
    out.ok = this.ok;
    if (this.assumed) out.assumed = true;
    if (this.code) out.code = this.code;
    return out;
  }
}

export class HopList {
  readonly hops: Hop[] = [];
  /** Template text for hop sources (the package's files). */
  readonly text?: TemplateText;

  constructor(text?: TemplateText) {
    this.text = text;
  }

  add(kind: HopKind, title: string, detail: string, init: HopInit = {}): Hop {
    const hop = new LazyHop(kind, title, detail, init.ok ?? true);
    if (init.m) {
      hop.object = { kind: init.m.kind, namespace: init.m.namespace, name: init.m.name };
      if (init.assumed ?? init.m.origin.stage === 'platform') hop.assumed = true;
      // Objects an operator makes at run time say so, wherever they appear.
      if (init.m.origin.stage === 'operator') {
        hop.assumed = true;
        hop.detail = `${hop.detail}; ${init.m.origin.template}`;
      }
      hop.setRef(init.m, init.path, this.text);
    } else if (init.assumed) hop.assumed = true;
    if (init.ports) hop.ports = init.ports;
    if (init.code) hop.code = init.code;
    this.hops.push(hop);
    return hop;
  }

  /** Marks the last hop failed and returns the failure with the hop index. */
  fail(f: Failure): Failure & { hop: number } {
    const i = this.hops.length - 1;
    if (i >= 0) {
      this.hops[i].ok = false;
      if (f.code && !this.hops[i].code) this.hops[i].code = f.code;
    }
    return { ...f, hop: i };
  }

  /** A sub-list for one weighted destination, sharing the template text. */
  fork(): HopList {
    return new HopList(this.text);
  }

  append(other: HopList): number {
    const base = this.hops.length;
    this.hops.push(...other.hops);
    return base;
  }
}

export function hopObject(m: { kind: string; namespace: string; name: string }): HopObject {
  return { kind: m.kind, namespace: m.namespace, name: m.name };
}

export function objName(m: { kind: string; namespace: string; name: string }): string {
  return `${m.kind} ${m.namespace ? `${m.namespace}/` : ''}${m.name}`;
}
