// SemVer ranges the way Flux and Helm read them (Masterminds/semver), on top of node-semver:
// - versions are strict SemVer with an optional leading `v` (Flux's version.ParseVersion);
// - constraints may separate comparators with commas (`>=1.0.0, <2.0.0`);
// - prereleases (Big Bang's `1.2.0-bb.1`) match only when the range itself names a prerelease
//   (`>=1.0.0-0`), never a plain `>=1.0.0 <2.0.0`; an empty range or `*` means the latest release.
import semver from 'semver';
import { SourceError } from './exec.js';

export function parseVersion(text: string): semver.SemVer | null {
  const s = text.startsWith('v') ? text.slice(1) : text;
  return semver.valid(s) ? new semver.SemVer(s) : null;
}

/** True when `text` is one exact version rather than a range. */
export function isExactVersion(text: string | undefined): text is string {
  return !!text && parseVersion(text) !== null;
}

function toRange(constraint: string): semver.Range {
  const text = constraint.trim().replace(/\s*,\s*/g, ' ') || '*';
  const includePrerelease = /\d-[0-9A-Za-z]/.test(text);
  try {
    return new semver.Range(text, { includePrerelease });
  } catch {
    throw new SourceError(`invalid semver range "${constraint}"`);
  }
}

/** The candidate (kept as spelled, e.g. a tag `v1.2.3`) with the highest version in the range. */
export function highestMatching(candidates: Iterable<string>, constraint: string): string | undefined {
  const range = toRange(constraint);
  let best: { text: string; v: semver.SemVer } | undefined;
  for (const text of candidates) {
    const v = parseVersion(text);
    if (!v || !range.test(v)) continue;
    if (!best || semver.gt(v, best.v)) best = { text, v };
  }
  return best?.text;
}

/** Helm's choice from a repository index: an exact string match first, then the highest in the range. */
export function pickChartVersion(available: string[], wanted: string | undefined): string | undefined {
  if (wanted && available.includes(wanted)) return wanted;
  return highestMatching(available, wanted ?? '');
}
