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
