// The options and result of a render (dev layout, or through a real umbrella chart).
import type { NotRendered, UmbrellaOptions, UmbrellaRead } from '../umbrella/types.js';
import type { LayoutName } from '../../core/layout.js';
import type { Manifest } from '../../manifest/types.js';
import type { Values } from './values.js';

export interface RenderOptions {
  /**
   * Umbrella values files, lowest precedence. Dev layout: in place of the umbrella chart's values.yaml
   * (default: built-in). Through an umbrella: the operator's environment values, after its values.yaml.
   */
  umbrellaValues?: string[];
  /**
   * Dev layout without umbrellaValues: the built-in stand-in takes this layout's domain (3.x: dev.bigbang.mil,
   * as the 3.x umbrella's values.yaml). Default: detected from the chart (bb-common dependency).
   */
  layout?: LayoutName;
  /** Extra values files for stage 1, after bigbang/values.yaml (umbrella: after umbrellaValues). */
  values?: string[];
  /** `--set K=V` for stage 1. */
  set?: string[];
  /** Helm's other value flags for stage 1, passed to `helm template` as given (Helm applies them). */
  setString?: string[];
  setFile?: string[];
  setJson?: string[];
  /** Namespace of input objects that name none (manifest files; a package render takes Flux's namespaces). */
  namespace?: string;
  helm?: string;
  /** Package name; default: from bigbang/Chart.yaml (`bigbang-<pkg>`) or the chart's name. Umbrella: the package key. */
  packageName?: string;
  /** Default: a current release, or the highest kubeVersion minimum of the charts rendered (kube-version.ts). */
  kubeVersion?: string;
  /** Advertise the Istio (and Gateway API) group versions in `.Capabilities` (default true; false: a cluster without Istio). */
  istioApis?: boolean;
  /** Print credential Secrets' sensitive values as rendered (default: redacted). */
  showSecrets?: boolean;
  /** Render through a real Big Bang umbrella chart: one package (a package dir) or the whole deployment (none). */
  umbrella?: UmbrellaOptions;
}

export interface ReleaseInfo {
  /** The HelmRelease object (namespace/name) in stage 1. */
  helmRelease: { namespace: string; name: string };
  releaseName: string;
  namespace: string;
  chartDir: string;
  /** The merged values passed to the package chart (chart defaults are added by Helm). */
  values: Values;
  /** Whole deployment: where the chart came from (`<url> <revision> <path>`, or `local DIR`). */
  source?: string;
}

export interface RenderResult {
  /** The package directory; for a whole deployment, the umbrella chart directory. */
  packageDir: string;
  /** The package (its HelmRelease name through an umbrella); `bigbang` for a whole deployment. */
  packageName: string;
  /** The YAML stream `bbmesh render` prints; every manifest's position refers to it. */
  text: string;
  manifests: Manifest[];
  releases: ReleaseInfo[];
  /** Stage-1 values as merged from the files (umbrella < bigbang/values.yaml < -f < --set). */
  bigbangValues: Values;
  /** Rendered through an umbrella: what was read from it. */
  umbrella?: UmbrellaRead;
  /** Whole deployment: the HelmReleases that could not be rendered, one line each. */
  notRendered?: NotRendered[];
  /** What stage 2 ran with, so that it can run again with other values (the domain probe, probe.ts). */
  stage2?: { helm: string; capabilities: string[]; postRenderers: unknown[] };
}

/** What a package render knows once stage 1 is read: enough to run stage 2 again (the domain probe). */
export type Stage1Outcome = Pick<RenderResult, 'packageDir' | 'packageName' | 'releases' | 'bigbangValues'> &
  Required<Pick<RenderResult, 'stage2'>>;

/** Callbacks of one render; not options (they change nothing it renders). */
export interface RenderHooks {
  /** Called before stage 2 starts. */
  afterStage1?: (s: Stage1Outcome) => void;
}
