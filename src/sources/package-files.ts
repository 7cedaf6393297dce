// A package's source files (bigbang/ and chart/), read once when the package is loaded and handed
// to the analyses: rules and the locator read template and values text from here, never from disk.
// Subcharts count as part of the package, unpacked (`charts/<name>/`) or vendored as Helm vendors them
// (`charts/<name>-<version>.tgz`, read in memory): their files appear at the path Helm gives them,
// `chart/charts/<name>/...`, so a library's templates are read like the chart's own.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ReadEntry } from 'tar';
import { lazyRequire } from '../core/lazy-require.js';

const tarLib = lazyRequire<typeof import('tar')>('tar');

/** Text files larger than this are not kept (a chart's templates and values are far smaller). */
const MAX_FILE = 4 * 1024 * 1024;
const TEXT = /\.(ya?ml|tpl|txt|json|md|tmpl|gotmpl)$|(^|\/)(Chart\.lock|\.helmignore)$/;
/** Vendored chart archives larger than this are not opened. */
const MAX_ARCHIVE = 16 * 1024 * 1024;

/** A subchart of a package chart: unpacked in `charts/<name>/` or vendored as `charts/<name>-<version>.tgz`. */
export interface Subchart {
  /** The chart's name (its directory inside the archive). */
  name: string;
  version?: string;
  /** Where its files are listed: `<chart>/charts/<name>` (absolute). */
  dir: string;
  /** The archive it was read from, when vendored. */
  archive?: string;
}

export interface PackageFiles {
  /** The package directory (absolute). */
  root: string;
  /** A file's text, by absolute path or path relative to the root; undefined when absent. */
  text(path: string): string | undefined;
  /** Files under a directory (absolute or relative to the root), recursively, sorted, as absolute paths. */
  list(dir: string): string[];
  /** The subcharts of a chart directory (absolute or relative to the root). */
  subcharts(chartDir: string): Subchart[];
}

class FileSnapshot implements PackageFiles {
  readonly root: string;
  private readonly files: Map<string, string>;
  private sorted?: string[];

  private readonly archives: Map<string, Subchart[]>;

  constructor(root: string, files: Map<string, string>, archives = new Map<string, Subchart[]>()) {
    this.root = root;
    this.files = files;
    this.archives = archives;
  }

  private abs(p: string): string {
    return isAbsolute(p) ? resolve(p) : resolve(this.root, p);
  }

  text(path: string): string | undefined {
    return this.files.get(this.abs(path));
  }

  list(dir: string): string[] {
    const d = this.abs(dir) + sep;
    this.sorted ??= [...this.files.keys()].sort();
    return this.sorted.filter((f) => f.startsWith(d));
  }

  subcharts(chartDir: string): Subchart[] {
    const charts = join(this.abs(chartDir), 'charts');
    const out = [...(this.archives.get(charts) ?? [])];
    for (const f of this.list(charts)) {
      const m = /^([^/\\]+)[/\\]Chart\.yaml$/.exec(relative(charts, f));
      if (!m || out.some((c) => c.name === m[1])) continue;
      const version = /^version:\s*["']?([^"'\s#]+)/m.exec(this.files.get(f) ?? '')?.[1];
      out.push({ name: m[1], version, dir: join(charts, m[1]) });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** `bb-common-0.8.2.tgz` -> name and version, as `helm dependency update` names archives. */
function archiveName(file: string): { name: string; version?: string } {
  const m = /^(.+?)-(\d+\.\d+\.\d+[^/]*)\.tgz$/.exec(basename(file));
  return m ? { name: m[1], version: m[2] } : { name: basename(file, '.tgz') };
}

/** The text files of each `charts/*.tgz` of a chart, put at `<chart>/charts/<name>/...`; an unpacked copy wins. */
function readVendoredCharts(chartDir: string, out: Map<string, string>): Subchart[] {
  const charts = join(chartDir, 'charts');
  let entries: string[];
  try {
    entries = readdirSync(charts);
  } catch {
    return [];
  }
  const found: Subchart[] = [];
  for (const e of entries.filter((x) => x.endsWith('.tgz')).sort()) {
    const archive = join(charts, e);
    let data: Buffer;
    try {
      if (statSync(archive).size > MAX_ARCHIVE) continue;
      data = readFileSync(archive);
    } catch {
      continue;
    }
    const files = new Map<string, string>();
    const parser = new (tarLib().Parser)({ strict: false });
    parser.on('entry', (entry: ReadEntry) => {
      const parts = entry.path.split('/').filter(Boolean);
      const safe = parts.length > 1 && !parts.some((p) => p === '..' || p === '.');
      if (entry.type !== 'File' || !safe || entry.size > MAX_FILE || !TEXT.test(entry.path)) {
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => files.set(parts.join('/'), Buffer.concat(chunks).toString('utf8')));
    });
    try {
      parser.end(data); // synchronous for an in-memory buffer
    } catch {
      continue; // not a chart archive: nothing to read
    }
    const top = [...files.keys()].map((k) => k.split('/')[0]);
    const name = top.find((t) => files.has(`${t}/Chart.yaml`)) ?? archiveName(archive).name;
    for (const [k, text] of files) {
      const p = join(charts, ...k.split('/'));
      if (!out.has(p)) out.set(p, text);
    }
    found.push({ name, version: archiveName(archive).version, dir: join(charts, name), archive });
  }
  return found;
}

function walk(dir: string, out: Map<string, string>, depth: number): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue; // a dangling link: nothing to read
    }
    if (st.isDirectory()) {
      if (depth < 12 && e !== 'node_modules' && e !== '.git') walk(p, out, depth + 1);
    } else if (st.isFile() && st.size <= MAX_FILE && TEXT.test(p)) {
      try {
        out.set(p, readFileSync(p, 'utf8'));
      } catch {
        // unreadable: treated as absent
      }
    }
  }
}

/** Reads the text files of `bigbang/` and `chart/` under a package directory. */
export function readPackageFiles(dir: string, subdirs: string[] = ['bigbang', 'chart']): PackageFiles {
  const root = resolve(dir);
  const files = new Map<string, string>();
  const archives = new Map<string, Subchart[]>();
  for (const s of subdirs) walk(join(root, s), files, 0);
  for (const s of subdirs) {
    const found = readVendoredCharts(join(root, s), files);
    if (found.length) archives.set(join(root, s, 'charts'), found);
  }
  return new FileSnapshot(root, files, archives);
}

/** The templates Helm loads for a chart: its own `templates/` and those of its subcharts (libraries included). */
export function chartTemplateFiles(files: PackageFiles, chartDir: string): string[] {
  const own = files.list(join(chartDir, 'templates'));
  return own.concat(...files.subcharts(chartDir).map((c) => files.list(join(c.dir, 'templates'))));
}

/** A snapshot from given texts (keys relative to `root` or absolute): for tests and in-memory sources. */
export function packageFilesFrom(root: string, texts: Record<string, string>): PackageFiles {
  const abs = resolve(root);
  return new FileSnapshot(abs, new Map(Object.entries(texts).map(([k, v]) => [isAbsolute(k) ? resolve(k) : resolve(abs, k), v])));
}

/** Path as shown to a user: relative to the working directory. */
export function displayPath(file: string, cwd = process.cwd()): string {
  return relative(cwd, file) || file;
}
