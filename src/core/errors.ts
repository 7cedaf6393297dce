/** A problem with the user's input or flags: printed as one line, exit code 2, no stack trace. */
export class UserError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly hint?: string;
  constructor(message: string, where: { file?: string; line?: number; column?: number; hint?: string } = {}) {
    super(message);
    this.name = 'UserError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
    this.hint = where.hint;
  }

  /** `file:line:col: message (hint)` */
  format(): string {
    let loc = '';
    if (this.file) {
      loc = this.file;
      if (this.line) loc += `:${this.line}`;
      if (this.line && this.column) loc += `:${this.column}`;
      loc += ': ';
    }
    return `${loc}${this.message}${this.hint ? ` (${this.hint})` : ''}`;
  }
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** What a file-system error code means, in a user's words. */
const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many levels of symbolic links (a symlink loop?)',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  ENXIO: 'no such device or address',
  ENODEV: 'no such device',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EBUSY: 'resource busy',
  ETXTBSY: 'text file busy',
  EINVAL: 'invalid argument',
  ENOEXEC: 'not an executable format',
};

/** A Node system error from the file system (it has an errno code we know). */
export function isFsError(err: unknown): err is NodeJS.ErrnoException {
  return (
    err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).code! in FS_REASONS
  );
}

/** `EACCES` -> `permission denied`; unknown codes as they are. */
export function fsReason(err: unknown): string {
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  if (code && code in FS_REASONS) return `${FS_REASONS[code]} (${code})`;
  return err instanceof Error ? err.message : String(err);
}

/** A file-system fault as an exit-2 error naming the path and the reason: `cannot read x: permission denied (EACCES)`. */
export function fileError(err: unknown, what: string, path?: string): UserError {
  const p = path ?? (err instanceof Error ? (err as NodeJS.ErrnoException).path : undefined);
  return new UserError(`cannot ${what}${p ? ` ${p}` : ''}: ${fsReason(err)}`, { hint: fsHint(err) });
}

function fsHint(err: unknown): string | undefined {
  switch (err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined) {
    case 'EACCES':
    case 'EPERM':
      return 'check the file permissions (ls -l) and who runs bbmesh';
    case 'ELOOP':
      return 'a symbolic link points at itself or at a link back to it; `ls -l` the path';
    case 'ENAMETOOLONG':
      return 'a path component may be at most 255 bytes';
    case 'ENOENT':
      return 'check the path; a dangling symbolic link also reads as missing';
    default:
      return undefined;
  }
}
