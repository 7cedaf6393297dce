// What both release lines learn first: the Services the chart renders with its defaults and which of
// them to expose, on which port (targets.ts), from a real render (learn.ts) or the template text.
import { fluxReleaseName } from '../sources/render/releases.js';
import { learnServices } from './learn.js';
import { findServices } from './services.js';
import { chooseTargets, serviceChoice, type VsTarget } from './targets.js';
import type { PlanInput } from './types.js';

export async function learnTargets(input: PlanInput): Promise<VsTarget[]> {
  const { ws, pkg, namespace, layout, opts, settings, notes } = input;
  const release = fluxReleaseName({ name: pkg, targetNamespace: namespace });
  const learned = await learnServices(ws.root, layout.name, pkg, release, namespace, settings);
  if ('failed' in learned)
    notes.push(`the chart does not render with its defaults (${learned.failed}); its Services were read from the template text`);
  const choice = serviceChoice(findServices(ws, pkg), 'failed' in learned ? undefined : learned, pkg);
  return chooseTargets(ws, pkg, choice, opts);
}
