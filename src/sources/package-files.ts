// A package's source files (bigbang/ and chart/), read once when the package is loaded and handed
// to the analyses: rules and the locator read template and values text from here, never from disk.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Text files larger than this are not kept (a chart's templates and values are far smaller). */
const MAX_FILE = 4 * 1024 * 1024;
const TEXT = /\.(ya?ml|tpl|txt|json|md|tmpl|gotmpl)$|(^|\/)(Chart\.lock|\.helmignore)$/;

export interface PackageFiles {
  /** The package directory (absolute). */
  root: string;
  /** A file's text, by absolute path or path relative to the root; undefined when absent. */
  text(path: string): string | undefined;
  /** Files under a directory (absolute or relative to the root), recursively, sorted, as absolute paths. */
  list(dir: string): string[];
}

class FileSnapshot implements PackageFiles {
  readonly root: string;
  private readonly files: Map<string, string>;
  private sorted?: string[];

  constructor(root: string, files: Map<string, string>) {
    this.root = root;
    this.files = files;
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
  for (const s of subdirs) walk(join(root, s), files, 0);
  return new FileSnapshot(root, files);
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
