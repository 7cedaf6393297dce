// What source-controller leaves out of a GitRepository artifact: its default exclusions, then any
// `.sourceignore` files, then `spec.ignore`, all in .gitignore format. Matching follows the Go gitignore
// matcher Flux uses: each file is tested on its own, the last matching pattern decides, and a pattern
// that matches a parent directory matches the files below it (so `/*` then `!/deploy` keeps deploy/).
import { lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface IgnorePattern {
  /** Directory (path segments from the root) whose .sourceignore declared the pattern. */
  domain: string[];
  parts: string[];
  negate: boolean;
  dirOnly: boolean;
  anchored: boolean;
}

/** Flux's default exclusions: VCS files, binary/archive extensions, CI and tool configs. */
export const FLUX_DEFAULT_IGNORE = [
  '.git/',
  '.gitignore',
  '.gitmodules',
  '.gitattributes',
  '*.jpg',
  '*.jpeg',
  '*.gif',
  '*.png',
  '*.wmv',
  '*.flv',
  '*.tar.gz',
  '*.zip',
  '.github/',
  '.circleci/',
  '.travis.yml',
  '.gitlab-ci.yml',
  'appveyor.yml',
  '.drone.yml',
  'cloudbuild.yaml',
  'codeship-services.yml',
  'codeship-steps.yml',
  '**/.goreleaser.yml',
  '**/.sops.yaml',
  '**/.flux.yaml',
].join('\n');

export function parseIgnore(text: string, domain: string[] = []): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let p = raw.endsWith('\\ ') ? raw : raw.replace(/ +$/, '');
    if (!p.trim() || p.startsWith('#')) continue;
    const negate = p.startsWith('!');
    if (negate) p = p.slice(1);
    const dirOnly = p.endsWith('/');
    if (dirOnly) p = p.slice(0, -1);
    out.push({ domain, parts: p.split('/'), negate, dirOnly, anchored: p.includes('/') });
  }
  return out;
}

const globCache = new Map<string, RegExp>();
const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** One path segment against a Go filepath.Match pattern (`*`, `?`, `[a-z]`, `[^x]`, `\` escapes). */
function segmentMatch(glob: string, name: string): boolean {
  let re = globCache.get(glob);
  if (!re) {
    let src = '';
    for (let i = 0; i < glob.length; i++) {
      const c = glob[i];
      if (c === '*') src += '[^/]*';
      else if (c === '?') src += '[^/]';
      else if (c === '\\' && i + 1 < glob.length) src += escapeRe(glob[++i]);
      else if (c === '[') {
        const end = glob.indexOf(']', i + 1);
        if (end < 0) {
          src += '\\[';
          continue;
        }
        src += `[${glob.slice(i + 1, end).replace(/\[/g, '\\[')}]`;
        i = end;
      } else src += escapeRe(c);
    }
    re = new RegExp(`^${src}$`, 's');
    globCache.set(glob, re);
  }
  return re.test(name);
}

function anchoredMatch(p: IgnorePattern, path: string[], isDir: boolean): boolean {
  let rest = path;
  let matched = false;
  let traverse = false;
  for (let i = 0; i < p.parts.length; i++) {
    const part = p.parts[i];
    if (part === '') {
      traverse = false;
      continue;
    }
    if (part === '**') {
      if (i === p.parts.length - 1) break;
      traverse = true;
      continue;
    }
    if (part.includes('**') || rest.length === 0) return false;
    if (traverse) {
      traverse = false;
      matched = false;
      while (rest.length > 0) {
        const head = rest[0];
        rest = rest.slice(1);
        if (segmentMatch(part, head)) {
          matched = true;
          break;
        }
      }
      if (!matched) return false;
    } else {
      if (!segmentMatch(part, rest[0])) return false;
      matched = true;
      rest = rest.slice(1);
    }
  }
  return !(matched && p.dirOnly && !isDir && rest.length === 0) && matched;
}

function nameMatch(p: IgnorePattern, path: string[], isDir: boolean): boolean {
  for (let i = 0; i < path.length; i++) {
    if (!segmentMatch(p.parts[0], path[i])) continue;
    return !(p.dirOnly && !isDir && i === path.length - 1);
  }
  return false;
}

/** True when the last pattern that matches `path` excludes it. */
export function isIgnored(patterns: IgnorePattern[], path: string[], isDir = false): boolean {
  for (let i = patterns.length - 1; i >= 0; i--) {
    const p = patterns[i];
    if (path.length <= p.domain.length || p.domain.some((d, j) => path[j] !== d)) continue;
    const rel = path.slice(p.domain.length);
    if (p.anchored ? anchoredMatch(p, rel, isDir) : nameMatch(p, rel, isDir)) return !p.negate;
  }
  return false;
}

function walk(root: string, rel: string[], visit: (rel: string[], kind: 'file' | 'dir' | 'other') => void): void {
  for (const name of readdirSync(join(root, ...rel)).sort()) {
    const path = [...rel, name];
    const st = lstatSync(join(root, ...path));
    if (st.isDirectory()) {
      visit(path, 'dir');
      walk(root, path, visit);
    } else visit(path, st.isFile() ? 'file' : 'other');
  }
}

/**
 * Deletes from `dir` what Flux would leave out of the artifact: excluded files, and anything that is
 * not a regular file or directory (symlinks). Returns how many files were removed.
 */
export function applyIgnore(dir: string, specIgnore?: string): number {
  rmSync(join(dir, '.git'), { recursive: true, force: true });
  const patterns = parseIgnore(FLUX_DEFAULT_IGNORE);
  walk(dir, [], (rel, kind) => {
    if (kind === 'file' && rel[rel.length - 1] === '.sourceignore') {
      patterns.push(...parseIgnore(readFileSync(join(dir, ...rel), 'utf8'), rel.slice(0, -1)));
    }
  });
  if (specIgnore) patterns.push(...parseIgnore(specIgnore));
  const doomed: string[][] = [];
  walk(dir, [], (rel, kind) => {
    if (kind === 'other' || (kind === 'file' && isIgnored(patterns, rel))) doomed.push(rel);
  });
  for (const rel of doomed) rmSync(join(dir, ...rel), { force: true });
  return doomed.length;
}
