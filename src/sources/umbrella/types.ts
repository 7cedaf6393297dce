// The options and results of rendering through a real Big Bang umbrella chart.
import type { LayoutName } from '../../core/layout.js';
import type { CommandLog } from '../flux/index.js';

export interface UmbrellaOptions {
  /** A Big Bang repository checkout, or its chart/ directory. */
  dir: string;
  /** One-package mode: the package key as the umbrella's values name it (`kiali`, `argocd`), without `addons.`. */
  package?: string;
  /** The layout the caller chose (`--layout`); default: read from the umbrella. */
  layout?: LayoutName;
  /** Whole deployment: `--chart NAME=DIR` local charts, by HelmRelease name (or `namespace/name`). */
  charts?: Record<string, string>;
  /** Whole deployment: use only what the source cache holds. */
  offline?: boolean;
  /** Source cache root (default `$XDG_CACHE_HOME/bbmesh`). */
  cacheDir?: string;
  /** Renders and fetches at once (default: the number of cores). */
  concurrency?: number;
  /** Called as sources are fetched and releases rendered (the CLI draws a progress line on a TTY). */
  onProgress?: (p: RenderProgress) => void;
  /** Every git/helm command of the source fetches, for --debug. */
  onCommand?: CommandLog;
}

export interface RenderProgress {
  phase: 'fetch' | 'render';
  done: number;
  total: number;
  /** The HelmRelease just finished. */
  release: string;
}

/** One-package mode: where the package is in the umbrella's values. */
export interface UmbrellaPackage {
  /** The key as `--package` takes it (`kiali`). */
  key: string;
  /** Its values path (`kiali` or `addons.kiali`). */
  valuesPath: string;
  /** How the key was found: `--package`, `chart name`, `repository URL`, `HelmRelease name`. */
  foundBy: string;
  /** The values left it off and the render turned it on. */
  enabledForRender: boolean;
}

/** What was read from the umbrella, for every output to show. */
export interface UmbrellaRead {
  /** The umbrella chart directory. */
  chartDir: string;
  version: string;
  layout: LayoutName;
  domain: string;
  /** Enabled ingress gateways (`public`, `passthrough`). */
  gateways: string[];
  kubeVersion: string;
  package?: UmbrellaPackage;
  /** Things the render did that the user should know (a package enabled, an overlay). */
  notes: string[];
  /** `read: umbrella 3.2.0 at DIR, layout bb3, domain x, gateways public,passthrough, kubeVersion 1.32.0` */
  description: string;
}

/** A HelmRelease of a whole-deployment render that could not be rendered. */
export interface NotRendered {
  helmRelease: { namespace: string; name: string };
  /** One line: `kiali: not rendered: <why>; pass --chart kiali=DIR`. */
  message: string;
}
