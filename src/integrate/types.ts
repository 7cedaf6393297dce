import type { BigBangLayout as Layout } from '../core/layout.js';
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
}
