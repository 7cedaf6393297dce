// SemVer ranges the way Flux and Helm read them (Masterminds/semver), on top of node-semver:
// - versions are strict SemVer with an optional leading `v` (Flux's version.ParseVersion);
// - constraints may separate comparators with commas (`>=1.0.0, <2.0.0`);
// - a prerelease (Big Bang's `1.2.0-bb.1`) matches only comparators that name a prerelease themselves:
//   `>=1.0.0-0 <2.0.0-0` can pick one, `>=1.0.0 <2.0.0` and `>=1.0.0-0 <2.0.0` cannot;
//   an empty range or `*` means the latest release.
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

interface Group {
  range: semver.Range;
  /** Masterminds: a prerelease satisfies a comparator only when that comparator names a prerelease. */
  allowsPrerelease: boolean;
}

/** `>=1.0.0, <2.0.0 || ~3.1` → AND-groups, each with node-semver's reading and the prerelease rule. */
function parseConstraint(constraint: string): Group[] {
  const text = constraint.trim() || '*';
  return text.split('||').map((g) => {
    const group =
      g
        .trim()
        .replace(/\s*,\s*/g, ' ')
        .replace(/([<>=~^]+)\s+/g, '$1') || '*';
    const comparators = group.split(/\s+/).filter((t) => t && t !== '-');
    try {
      return {
        range: new semver.Range(group, { includePrerelease: true }),
        allowsPrerelease: comparators.every((c) => /^[<>=~^v]*\d+(?:\.[\dxX*]+){0,2}-/.test(c)),
      };
    } catch {
      throw new SourceError(`invalid semver range "${constraint}"`);
    }
  });
}

function satisfies(v: semver.SemVer, groups: Group[]): boolean {
  return groups.some((g) => (v.prerelease.length === 0 || g.allowsPrerelease) && g.range.test(v));
}

/** The candidate (kept as spelled, e.g. a tag `v1.2.3`) with the highest version in the range. */
export function highestMatching(candidates: Iterable<string>, constraint: string): string | undefined {
  const groups = parseConstraint(constraint);
  let best: { text: string; v: semver.SemVer } | undefined;
  for (const text of candidates) {
    const v = parseVersion(text);
    if (!v || !satisfies(v, groups)) continue;
    if (!best || semver.gt(v, best.v)) best = { text, v };
  }
  return best?.text;
}

/** Helm's choice from a repository index: an exact string match first, then the highest in the range. */
export function pickChartVersion(available: string[], wanted: string | undefined): string | undefined {
  if (wanted && available.includes(wanted)) return wanted;
  return highestMatching(available, wanted ?? '');
}
