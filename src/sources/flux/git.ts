// GitRepository sources with the system git (the user's own config, credential helpers and SSH keys):
// resolve spec.ref to one commit as source-controller does, fetch exactly that commit into the cache
// (shallow), and drop what Flux leaves out of the artifact.
import { SourceError, errorLine, exec, stripCredentials } from './exec.js';
import { cacheKey } from './cache.js';
import { DEFAULT_TIMEOUT_MS, once, type FluxContext } from './context.js';
import { applyIgnore } from './ignore.js';
import { highestMatching } from './versions.js';

export interface GitRef {
  branch?: string;
  tag?: string;
  semver?: string;
  name?: string;
  commit?: string;
}

export interface GitSource {
  url: string;
  ref?: GitRef;
  /** spec.ignore: .gitignore-format rules applied after Flux's defaults. */
  ignore?: string;
  timeoutMs?: number;
}

export interface ResolvedGitRef {
  commit: string;
  /** Flux's revision string, e.g. `1.2.0-bb.1@sha1:<commit>` or `sha1:<commit>`. */
  revision: string;
  /** What to ask the remote for: a ref name, or the commit itself. */
  want: string;
  /** With a commit: the branch that contains it, fetched in full when the server refuses a bare commit. */
  branch?: string;
}

export interface FetchedGit {
  /** The artifact's root directory (read-only: it is shared through the cache). */
  dir: string;
  key: string;
  url: string;
  revision: string;
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const algo = (sha: string) => (sha.length === 64 ? 'sha256' : 'sha1');
const rev = (label: string, sha: string) => `${label}@${algo(sha)}:${sha}`;

type Refs = Record<string, string>;

function parseLsRemote(out: string): Refs {
  const refs: Refs = {};
  for (const line of out.split('\n')) {
    const [sha, ref] = line.trim().split(/\s+/);
    if (!sha || !ref || !SHA.test(sha)) continue;
    // an annotated tag is listed twice; the peeled `^{}` line names the commit
    if (ref.endsWith('^{}')) refs[ref.slice(0, -3)] = sha;
    else if (!(ref in refs)) refs[ref] = sha;
  }
  return refs;
}

/** The remote's refs (heads and tags; every ref when `all`), from `git ls-remote` or, offline, its last answer. */
export function listRefs(url: string, ctx: FluxContext, all = false): Promise<Refs> {
  const id = stripCredentials(url);
  return once(ctx, `git-refs:${all}:${id}`, async () => {
    const record = `git-refs:${id}`;
    if (ctx.offline) {
      const saved = ctx.cache.readRecord(record) as { refs?: Refs } | undefined;
      if (saved?.refs) return saved.refs;
      throw new SourceError(`offline, and the refs of ${id} are not in the cache (${ctx.cache.root})`);
    }
    const args = ['ls-remote', ...(all ? [] : ['--heads', '--tags']), url];
    const r = await exec(ctx.git, args, { env: GIT_ENV, timeoutMs: 60_000, onCommand: ctx.onCommand });
    if (r.code !== 0) throw new SourceError(`git ls-remote ${id} failed: ${errorLine(r.stderr)}`);
    const refs = parseLsRemote(r.stdout);
    ctx.cache.writeRecord(record, { url: id, listed: new Date().toISOString(), refs });
    return refs;
  });
}

// never wait for a password prompt; the user's credential helpers still answer
const GIT_ENV = { GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never' };

function need(refs: Refs, ref: string, what: string, url: string): string {
  const sha = refs[ref];
  if (!sha) throw new SourceError(`${what} not found in ${stripCredentials(url)}`);
  return sha;
}

/** spec.ref to a commit. Precedence as in source-controller: commit > name > semver > tag > branch (default `master`). */
export async function resolveGitRef(src: GitSource, ctx: FluxContext): Promise<ResolvedGitRef> {
  const ref = src.ref ?? {};
  if (ref.commit) {
    const commit = ref.commit.toLowerCase();
    if (!SHA.test(commit)) throw new SourceError(`ref.commit "${ref.commit}" is not a full commit SHA`);
    return { commit, revision: ref.branch ? rev(ref.branch, commit) : `${algo(commit)}:${commit}`, want: commit, branch: ref.branch };
  }
  if (ref.name) {
    const refs = await listRefs(src.url, ctx, true);
    const commit = need(refs, ref.name, `ref ${ref.name}`, src.url);
    return { commit, revision: rev(ref.name, commit), want: ref.name };
  }
  const refs = await listRefs(src.url, ctx);
  if (ref.semver) {
    const tags = Object.keys(refs)
      .filter((r) => r.startsWith('refs/tags/'))
      .map((r) => r.slice('refs/tags/'.length));
    const tag = highestMatching(tags, ref.semver);
    if (!tag) throw new SourceError(`no tag of ${stripCredentials(src.url)} matches semver "${ref.semver}"`);
    const commit = refs[`refs/tags/${tag}`];
    return { commit, revision: rev(tag, commit), want: `refs/tags/${tag}` };
  }
  if (ref.tag) {
    const commit = need(refs, `refs/tags/${ref.tag}`, `tag ${ref.tag}`, src.url);
    return { commit, revision: rev(ref.tag, commit), want: `refs/tags/${ref.tag}` };
  }
  const branch = ref.branch || 'master';
  const commit = need(refs, `refs/heads/${branch}`, `branch ${branch}`, src.url);
  return { commit, revision: rev(branch, commit), want: `refs/heads/${branch}` };
}

async function git(ctx: FluxContext, args: string[], timeoutMs: number, what: string): Promise<string> {
  const r = await exec(ctx.git, ['-c', 'core.hooksPath=/dev/null', ...args], { env: GIT_ENV, timeoutMs, onCommand: ctx.onCommand });
  if (r.code !== 0) throw new SourceError(`${what} failed: ${errorLine(r.stderr)}`);
  return r.stdout.trim();
}

/** Fetches the one commit into `dir` (a fresh directory) and checks it out; applyIgnore later drops `.git`. */
async function checkout(src: GitSource, res: ResolvedGitRef, dir: string, ctx: FluxContext): Promise<void> {
  const url = stripCredentials(src.url);
  const timeout = src.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  await git(ctx, ['init', '-q', '--template=', dir], 30_000, 'git init');
  const fetch = (extra: string[]) => git(ctx, ['-C', dir, 'fetch', '-q', '--no-tags', ...extra], timeout, `git fetch ${url}`);
  try {
    await fetch(['--depth', '1', src.url, res.want]);
  } catch (e) {
    // some servers refuse to serve a commit by its id: fetch the branch that holds it (or all branches) instead
    if (res.want !== res.commit) throw e;
    await fetch([
      src.url,
      res.branch ? `+refs/heads/${res.branch}:refs/remotes/origin/${res.branch}` : '+refs/heads/*:refs/remotes/origin/*',
    ]);
  }
  const fetched = await git(
    ctx,
    ['-C', dir, 'rev-parse', '--verify', '-q', `${res.want === res.commit ? res.commit : 'FETCH_HEAD'}^{commit}`],
    30_000,
    'git rev-parse',
  ).catch(() => '');
  if (!fetched) throw new SourceError(`commit ${res.commit} is not in ${url}${res.branch ? ` branch ${res.branch}` : ''}`);
  if (fetched !== res.commit) throw new SourceError(`${res.revision} moved while it was fetched from ${url}; run again`);
  await git(
    ctx,
    ['-C', dir, '-c', 'advice.detachedHead=false', 'checkout', '-q', '--detach', res.commit],
    60_000,
    `git checkout ${res.commit}`,
  );
}

/** The GitRepository's artifact as a directory in the cache, fetched only when that revision is not there yet. */
export async function fetchGitSource(src: GitSource, ctx: FluxContext): Promise<FetchedGit> {
  const url = stripCredentials(src.url);
  const res = await resolveGitRef(src, ctx);
  const key = cacheKey(['git', url, res.commit, src.ignore ?? '']);
  return once(ctx, `git-source:${key}`, async () => {
    const hit = ctx.cache.get(key);
    if (hit) return { dir: hit, key, url, revision: res.revision };
    if (ctx.offline) throw new SourceError(`offline, and ${url} at ${res.revision} is not in the cache (${ctx.cache.root})`);
    const dir = await ctx.cache.put(key, { kind: 'git', url, revision: res.revision }, async (content) => {
      await checkout(src, res, content, ctx);
      applyIgnore(content, src.ignore);
    });
    return { dir, key, url, revision: res.revision };
  });
}
