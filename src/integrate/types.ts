import type { BigBangLayout as Layout } from '../core/layout.js';
import type { RenderSettings } from './preview.js';
import type { Workspace } from './workspace.js';

export type StepId = 1 | 2 | 3 | 4 | 5 | 6 | 'scaffold';
export type StepStatus = 'done' | 'present' | 'skipped';

export interface StepReport {
  step: StepId;
  title: string;
  status: StepStatus;
  reason?: string;
  /** Files the step created or edited (relative to the package directory, `/`-separated). */
  files: string[];
}

/** What every step sees. */
export interface StepContext {
  ws: Workspace;
  pkg: string;
  layout: Layout;
  /** `istio.<key>` values blocks the VirtualService(s) read, one per exposed service. */
  keys: string[];
  /** Default host (without domain) for each key. */
  hosts: Map<string, string>;
  /** Big Bang 3.x with bb-common: `keys` are `routes.inbound` keys. */
  library?: boolean;
}

/** What the guides read from integrate's options. */
export interface PlanOptions {
  /** Services to expose (their names, short names or template file names); required when the chart renders several. */
  service?: readonly string[];
  /** HTTP port of the exposed Service(s): a number or a values path (`service.port`). */
  port?: string;
  /** bb2: regenerate the generated VirtualService template; bb3: add a route even where the chart hand-writes a VirtualService. */
  force?: boolean;
  /** bb3: the bb-common version chart/Chart.yaml depends on (default: the newest vendored in chart/charts/). */
  bbCommonVersion?: string;
  /** bb3: the repository of bb-common (default: oci://registry1.dso.mil/bigbang; a file:// one is packaged for the render check). */
  bbCommonRepository?: string;
}

/** What a release line's integration plans from: the package, where it deploys, the options and the renders. */
export interface PlanInput {
  ws: Workspace;
  pkg: string;
  namespace: string;
  layout: Layout;
  opts: PlanOptions;
  settings: RenderSettings;
  /** What integrate assumed or learned, for the user to check. */
  notes: string[];
}

/** The staged edits, and how the result is render-checked before it is written. */
export interface Plan {
  steps: StepReport[];
  /** `prepare` completes each scratch copy before it is rendered; `skip` says why it cannot be rendered. */
  check: { prepare?: (dir: string) => Promise<void> } | { skip: string };
}
