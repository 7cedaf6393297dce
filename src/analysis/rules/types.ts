// A rule is one small module: `meta` (everything a user or tool needs to know without running it)
// and a pure `check(ctx)` that returns findings. The engine owns iteration, location, suppression,
// supersession, sorting and output; `check` (analysis/check.ts) renders what the rules' metadata
// asks for. Rules never touch the disk: package files come in `ctx.pkg.files`.
import type { BigBangLayout } from '../../core/layout.js';
import type { SourcePlace } from '../../manifest/source.js';
import type { Manifest, Path } from '../../manifest/types.js';
import type { MeshModel } from '../../model/types.js';
import type { PackageFiles } from '../../sources/package-files.js';
import type { RenderResult } from '../../sources/render/index.js';
import type { RuleCode } from './codes.js';

export type { RuleCode } from './codes.js';

export type Severity = 'error' | 'warning' | 'info';

/**
 * The renders of a package directory: Istio enabled (the model), Istio disabled (the Istio APIs not
 * advertised either), and the domain probe (enabled, with another `domain`).
 */
export type RenderBranch = 'istio-enabled' | 'istio-disabled' | 'domain-probe';

/** A finding of this rule makes findings of another code redundant (one fix, one finding). */
export interface Supersession {
  code: RuleCode;
  /** Whether `mine` (of this rule) explains `theirs`. */
  when(mine: Finding, theirs: Finding): boolean;
}

export interface RuleMeta {
  /** Stable code, never reused: MESHnnn for mesh wiring, BBnnn for Big Bang conventions. */
  code: RuleCode;
  severity: Severity;
  title: string;
  /** Why it matters, in a sentence or two. */
  explanation: string;
  /** What a user sees at runtime, e.g. "404 NR at the ingress gateway". */
  symptom: string;
  /** How to fix it. */
  hint: string;
  /** Kinds (or package files) the rule reads, like Istio analyzers' Inputs. */
  reads: string[];
  /** Needs the package sources (skipped for plain manifests and clusters). */
  needsPackage?: boolean;
  /** Renders the rule runs on, for a package (default: Istio enabled). */
  runsOn?: RenderBranch[];
  /** Other renders it reads through `ctx.pkg.renders` (rendered only when such a rule is enabled). */
  needs?: RenderBranch[];
  supersedes?: Supersession[];
}

/** The package being checked, when the input is a package directory. */
export interface PackageContext {
  dir: string;
  name: string;
  /** The renders check made; `istio-enabled` always. */
  renders: Partial<Record<RenderBranch, RenderResult>> & { 'istio-enabled': RenderResult };
  /** The package's files, read once by the source. */
  files: PackageFiles;
}

export interface RuleContext {
  model: MeshModel;
  layout: BigBangLayout;
  /** Whether Istio is enabled for this input (true for the enabled render, or when Istio objects are present). */
  istioEnabled: boolean;
  /** The render branch the model comes from (package input only). */
  branch?: RenderBranch;
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

/** Where a finding is: see manifest/source.ts. */
export type FindingSource = SourcePlace;

export type FindingRender = RenderBranch | 'input' | 'cluster';

export interface Finding {
  code: RuleCode;
  severity: Severity;
  title: string;
  message: string;
  object: { kind: string; namespace: string; name: string; apiVersion: string };
  /** The object's path the finding is about (as the rule gave it). */
  path?: Path;
  source?: FindingSource;
  symptom: string;
  hint: string;
  /** The object is an assumed platform object, not part of the input. */
  assumed: boolean;
  /** Which render of the matrix found it. */
  render?: FindingRender;
  related: Array<{ object: { kind: string; namespace: string; name: string }; source?: FindingSource; message: string }>;
}
