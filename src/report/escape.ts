// Text from the input (object names, labels, hosts, file names, parser messages) never reaches a
// terminal raw: an ESC or OSC sequence in an object name could recolour, retitle or rewrite the
// screen (or hide a finding), and bidirectional overrides could make one name read as another.
// Text reports pass such strings through these functions before adding their own colours.
import type { Finding } from '../analysis/rules/types.js';

/**
 * C0 controls but tab and newline, DEL, C1 controls, and the Unicode bidirectional controls
 * (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069).
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNPRINTABLE_LINE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\u001b': '\\e', '\u2028': '\\u2028', '\u2029': '\\u2029' };

function visible(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text that may span lines (a message): non-printable characters as `\e`, `\x07`, `\u202e`; newlines kept. */
export function escapeText(s: string): string {
  UNPRINTABLE.lastIndex = 0;
  return UNPRINTABLE.test(s) ? s.replace(UNPRINTABLE, visible) : s;
}

/** One line of text (a name, a host, a path): newlines escaped too, so nothing can forge a line of the report. */
export function escapeLine(s: string): string {
  UNPRINTABLE_LINE.lastIndex = 0;
  return UNPRINTABLE_LINE.test(s) ? s.replace(UNPRINTABLE_LINE, visible) : s;
}

/** `escapeLine` for an optional value. */
export function escapeMaybe<T extends string | undefined>(s: T): T {
  return (s === undefined ? s : escapeLine(s)) as T;
}

/** Kind, namespace and name of an object, each as one escaped line. */
export function escapeObject<T extends { kind: string; namespace?: string; name: string }>(o: T): T {
  return { ...o, kind: escapeLine(o.kind), name: escapeLine(o.name), namespace: escapeMaybe(o.namespace) };
}

/** Where something is written, with its file and template names escaped. */
export function escapeSource<T extends { file: string; template?: string; templatePath?: string }>(s: T | undefined): T | undefined {
  if (!s) return s;
  return { ...s, file: escapeLine(s.file), template: escapeMaybe(s.template), templatePath: escapeMaybe(s.templatePath) };
}

/** A finding with everything that can come from the input escaped (message, symptom, fix, object, source). */
export function escapeFinding(f: Finding): Finding {
  return {
    ...f,
    message: escapeLine(f.message),
    symptom: escapeLine(f.symptom),
    hint: escapeLine(f.hint),
    object: escapeObject(f.object),
    source: escapeSource(f.source),
    related: f.related.map((r) => ({
      ...r,
      object: escapeObject(r.object),
      source: escapeSource(r.source),
      message: escapeLine(r.message),
    })),
  };
}
