// A rule is one small module: `meta` (everything a user or tool needs to know without
// running it) and a pure `check(ctx)` that returns findings. The engine owns location,
// suppression, sorting and output.
import type { Manifest, Path } from '../../manifest/types.js';
import type { MeshModel } from '../../model/types.js';
import type { BigBangLayout } from '../../core/layout.js';
import type { RenderResult } from '../../sources/render/index.js';

export type Severity = 'error' | 'warning' | 'info';

export interface RuleMeta {
  /** Stable code, never reused: MESHnnn for mesh wiring, BBnnn for Big Bang conventions. */
  code: string;
  severity: Severity;
  title: string;
  /** Why it matters, in a sentence or two. */
  explanation: string;
  /** What a user sees at runtime, e.g. "404 NR at the ingress gateway". */
  symptom: string;
  /** How to fix it. */
  hint: string;
  /** Kinds the rule reads (like Istio analyzers' Inputs). */
  reads: string[];
  /** Needs the package sources and the Istio on/off renders (skipped for plain manifests). */
  needsPackage?: boolean;
}

/** The package being checked, when the input is a package directory. */
export interface PackageContext {
  dir: string;
  name: string;
  /** Render with Istio enabled (the model is built from it). */
  enabled: RenderResult;
  /** Render with Istio disabled. */
  disabled?: RenderResult;
}

export interface RuleContext {
  model: MeshModel;
  layout: BigBangLayout;
  /** Whether Istio is enabled for this input (true for the enabled render, or when Istio objects are present). */
  istioEnabled: boolean;
  pkg?: PackageContext;
}

export interface RelatedLocation {
  object: Manifest;
  path?: Path;
  message: string;
}

/** What a rule reports; the engine fills code, severity, location and the catalogue texts. */
export interface FindingDraft {
  object: Manifest;
  /** Where inside the object (e.g. ['spec', 'http', 0, 'route', 0, 'destination', 'port', 'number']). */
  path?: Path;
  message: string;
  /** A source file (not a rendered object) the finding is about, e.g. the namespace template. */
  file?: { path: string; line: number; column: number };
  severity?: Severity;
  symptom?: string;
  hint?: string;
  related?: RelatedLocation[];
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): FindingDraft[];
}

export interface FindingSource {
  /** The stream or file the line refers to (`rendered` for a package render, else the input file). */
  file: string;
  /** Helm template that produced the object, e.g. `podinfo/templates/bigbang/virtualservice.yaml`. */
  template?: string;
  /** That template's path on disk, relative to the working directory, when known. */
  templatePath?: string;
  /** Best-effort line in that template (the rendered line/column below are exact). */
  templateLine?: number;
  line: number;
  column: number;
}

export interface Finding {
  code: string;
  severity: Severity;
  title: string;
  message: string;
  object: { kind: string; namespace: string; name: string; apiVersion: string };
  source?: FindingSource;
  symptom: string;
  hint: string;
  /** The object is an assumed platform object, not part of the input. */
  assumed: boolean;
  /** Which render of the matrix found it. */
  render?: 'istio-enabled' | 'istio-disabled' | 'input' | 'cluster';
  related: Array<{ object: { kind: string; namespace: string; name: string }; source?: FindingSource; message: string }>;
}
