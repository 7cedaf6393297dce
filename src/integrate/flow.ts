// Flow mappings (`{a: b, c: {d: e}}`) inside Helm templates, where no YAML parser can read the text
// before Helm runs it: found by scanning, with template actions and quoted strings skipped.

export interface FlowEntry {
  key: string;
  /** Offsets in the text: where the value starts (after `:` and spaces) and ends (before `,` or `}`). */
  valueStart: number;
  valueEnd: number;
}

/** Index just past a template action that starts at `i` (`{{ ... }}`). */
function skipAction(text: string, i: number): number {
  const end = text.indexOf('}}', i + 2);
  return end < 0 ? text.length : end + 2;
}

function skipQuoted(text: string, i: number): number {
  const q = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (q === '"' && text[j] === '\\') j++;
    else if (text[j] === q) {
      if (q === "'" && text[j + 1] === "'") j++;
      else return j + 1;
    }
  }
  return text.length;
}

/** A `{` that opens a flow mapping (not a template action's `{{`). */
export function opensFlowMap(text: string, i: number): boolean {
  return text[i] === '{' && text[i + 1] !== '{';
}

/**
 * The index of the `}` closing the flow mapping opened at `open`, and its top-level entries; undefined
 * when it does not close.
 */
export function flowMap(text: string, open: number): { close: number; entries: FlowEntry[] } | undefined {
  const entries: FlowEntry[] = [];
  let depth = 0;
  let start = open + 1;
  let colon = -1;
  const finish = (end: number) => {
    const raw = text.slice(start, colon < 0 ? end : colon).trim();
    if (raw && colon >= 0) {
      let vs = colon + 1;
      while (vs < end && /\s/.test(text[vs])) vs++;
      entries.push({ key: raw.replace(/^(["'])(.*)\1$/, '$2'), valueStart: vs, valueEnd: end });
    }
  };
  for (let i = open + 1; i < text.length;) {
    const c = text[i];
    if (c === '{' && text[i + 1] === '{') {
      i = skipAction(text, i);
      continue;
    }
    if (c === '"' || c === "'") {
      i = skipQuoted(text, i);
      continue;
    }
    if (c === '#' && /\s/.test(text[i - 1] ?? ' ')) {
      const eol = text.slice(i).search(/[\r\n]/);
      i = eol < 0 ? text.length : i + eol;
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '}') {
      if (depth === 0) {
        finish(i);
        return { close: i, entries };
      }
      depth--;
    } else if (depth === 0 && c === ':' && colon < 0 && /[\s,}]/.test(text[i + 1] ?? ' ')) colon = i;
    else if (depth === 0 && c === ',') {
      finish(i);
      start = i + 1;
      colon = -1;
    }
    i++;
  }
  return undefined;
}

/**
 * Text to insert into the flow mapping at [open, close] so that `entry` (`key: value`) is added when
 * `condition` holds; returns the offset and the text.
 */
export function conditionalEntry(
  text: string,
  open: number,
  close: number,
  condition: string,
  entry: string,
): { at: number; text: string } {
  let last = close - 1;
  while (last > open && /\s/.test(text[last])) last--;
  if (last === open) return { at: open + 1, text: ` {{- if ${condition} }}${entry} {{- end }} ` };
  if (text[last] === ',') return { at: last + 1, text: ` {{- if ${condition} }} ${entry}, {{- end }}` };
  return { at: last + 1, text: ` {{- if ${condition} }}, ${entry} {{- end }}` };
}
