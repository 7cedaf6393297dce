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
  service?: readonly string[];
  port?: string;
  force?: boolean;
  bbCommonVersion?: string;
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
