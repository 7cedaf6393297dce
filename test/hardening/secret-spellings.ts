// Random spellings of one Kubernetes Secret, for the "no Secret value in any output" tests: YAML
// block and flow styles and JSON; quoted and spaced keys, explicit keys, merge keys and aliases;
// plain, quoted, multi-line and block-scalar values; comments; odd kinds and types. Every value
// that must stay hidden carries the case's marker (on every one of its lines); the passdown values
// Big Bang builds for Flux carry a `visible` string that must stay in the rendered text.
import fc from 'fast-check';

export const CREDENTIAL_TYPES = [
  'kubernetes.io/tls',
  'kubernetes.io/dockerconfigjson',
  'kubernetes.io/basic-auth',
  'kubernetes.io/ssh-auth',
  'kubernetes.io/service-account-token',
];
const OTHER_TYPES = ['Opaque', 'generic', 'example.com/custom'];
const SECRET_KEYS = ['tls.key', 'tls.crt', 'ca.crt', 'password', 'username', '.dockerconfigjson', 'token', 'ssh-privatekey', 'config.json'];
const PASSDOWN_KEYS = ['common', 'defaults', 'overlays', 'values.yaml'];

export type Format = 'block' | 'flow' | 'json';
type ValueStyle = 'plain' | 'plain-multi' | 'dq' | 'dq-multi' | 'sq' | 'literal' | 'literal-strip' | 'folded' | 'pem' | 'comment';
type KeyStyle = 'plain' | 'dq' | 'sq' | 'spaced' | 'explicit';

export interface EntrySpec {
  key: string;
  keyStyle: KeyStyle;
  style: ValueStyle;
  /** The value is written once with an anchor and read again under a second key through an alias. */
  aliased: boolean;
}

export interface SecretSpec {
  format: Format;
  kind: number;
  type: string | undefined;
  typeComment: boolean;
  name: string;
  namespace: string;
  /** `metadata` is a string holding key material (a templating mistake). */
  metadataString: boolean;
  /** `data` is not a mapping but one sensitive scalar. */
  dataScalar: boolean;
  data: EntrySpec[];
  stringData: EntrySpec[];
  passdowns: Array<{ key: string; withPem: boolean }>;
  merge: boolean;
  marker: string;
}

export interface Spelling {
  text: string;
  marker: string;
  /** Strings that must remain visible in the rendered text (passdown values). */
  visible: string[];
  spec: SecretSpec;
}

const entry = fc.record({
  key: fc.constantFrom(...SECRET_KEYS),
  keyStyle: fc.constantFrom<KeyStyle>('plain', 'dq', 'sq', 'spaced', 'explicit'),
  style: fc.constantFrom<ValueStyle>(
    'plain',
    'plain-multi',
    'dq',
    'dq-multi',
    'sq',
    'literal',
    'literal-strip',
    'folded',
    'pem',
    'comment',
  ),
  aliased: fc.boolean(),
});

const uniqueEntries = fc.uniqueArray(entry, { selector: (e) => e.key, minLength: 0, maxLength: 4 });

export const secretSpec: fc.Arbitrary<SecretSpec> = fc.record({
  format: fc.constantFrom<Format>('block', 'block', 'flow', 'json'),
  kind: fc.nat({ max: 6 }),
  type: fc.option(fc.constantFrom(...CREDENTIAL_TYPES, ...OTHER_TYPES), { nil: undefined }),
  typeComment: fc.boolean(),
  name: fc.constantFrom('public-cert', 'app-creds', 'private-registry'),
  namespace: fc.constantFrom('istio-system', 'podinfo', 'bigbang'),
  metadataString: fc.nat({ max: 9 }).map((n) => n < 2),
  dataScalar: fc.nat({ max: 9 }).map((n) => n < 2),
  data: uniqueEntries,
  stringData: uniqueEntries,
  passdowns: fc.uniqueArray(fc.record({ key: fc.constantFrom(...PASSDOWN_KEYS), withPem: fc.boolean() }), {
    selector: (p) => p.key,
    maxLength: 2,
  }),
  merge: fc.boolean(),
  marker: fc.stringMatching(/^[a-z0-9]{10}$/).map((s) => `SeKrEt${s}`),
});

const isCredential = (s: SecretSpec): boolean => s.type !== undefined && CREDENTIAL_TYPES.includes(s.type);

function yamlKey(key: string, style: KeyStyle): string {
  if (style === 'dq') return `"${key}":`;
  if (style === 'sq') return `'${key}':`;
  if (style === 'spaced') return `${key} :`;
  return `${key}:`;
}

/** One sensitive value in block style at indentation `ind` (of its key), as the text after `key:`. */
function blockValue(style: ValueStyle, m: string, ind: string): string {
  const deeper = `${ind}  `;
  switch (style) {
    case 'plain':
      return ` ${m}a`;
    case 'plain-multi':
      return ` ${m}a\n\n${deeper}${m}b\n${deeper}${m}c`;
    case 'dq':
      return ` "${m} q"`;
    case 'dq-multi':
      return ` "${m}\n${deeper}${m}\n\n${deeper}${m}"`;
    case 'sq':
      return ` '${m}''s'`;
    case 'literal':
      return ` |\n${deeper}${m}\n\n${deeper}${m} two`;
    case 'literal-strip':
      return ` |-\n${deeper}${m}`;
    case 'folded':
      return ` >\n${deeper}${m}\n${deeper}${m}`;
    case 'pem':
      return ` |\n${deeper}-----BEGIN PRIVATE KEY-----\n${deeper}${m}\n${deeper}-----END PRIVATE KEY-----`;
    case 'comment':
      return ` ${m} # a comment`;
  }
}

function flowValue(style: ValueStyle, m: string, ind: string): string {
  if (style === 'dq-multi' || style === 'plain-multi') return `"${m}\n${ind}    ${m}"`;
  if (style === 'sq') return `'${m}'`;
  if (style === 'plain' || style === 'comment') return `${m}p`;
  return `"${m}\\n${m}"`;
}

function jsonValue(style: ValueStyle, m: string): string {
  return style === 'pem'
    ? JSON.stringify(`-----BEGIN PRIVATE KEY-----\n${m}\n-----END PRIVATE KEY-----\n`)
    : JSON.stringify(`${m} ${style}`);
}

function passdownText(p: { key: string; withPem: boolean }, visible: string, m: string): string[] {
  const lines = [`istio:`, `  enabled: true`, `note: ${visible}`];
  if (p.withPem) lines.push('cert:', '  key: |', '    -----BEGIN RSA PRIVATE KEY-----', `    ${m}`, '    -----END RSA PRIVATE KEY-----');
  return lines;
}

const KINDS = [
  'kind: Secret',
  'kind: "Secret"',
  "kind: 'Secret'",
  'kind: Secret # the kind',
  '"kind" : Secret',
  'kind: !!str Secret',
  'kind: "Sec\\x72et"',
];

function blockMap(section: string, entries: EntrySpec[], s: SecretSpec, visible: string[], anchors: { n: number }): string[] {
  const out = [`${section}:`];
  for (const e of entries) {
    const v = blockValue(e.style, s.marker, '  ');
    const anchor = e.aliased && !v.includes('\n') ? `&a${anchors.n}` : '';
    if (e.keyStyle === 'explicit') out.push(`  ? ${e.key}`, `  :${anchor ? ` ${anchor}` : ''}${v}`);
    else out.push(`  ${yamlKey(e.key, e.keyStyle)}${anchor ? ` ${anchor}` : ''}${v}`);
    if (anchor) out.push(`  ${e.key}-again: *a${anchors.n++}`);
  }
  if (section === 'stringData') {
    for (const p of s.passdowns) {
      const vis = `visible-${p.key}-${s.marker.slice(-4)}`;
      visible.push(vis);
      out.push(`  ${p.key}: |`, ...passdownText(p, vis, s.marker).map((l) => `    ${l}`));
    }
  }
  if (s.merge && section === 'data') out.push(`  <<: {merged: ${s.marker}m}`);
  return out.length > 1 ? out : [`${section}: {}`];
}

function flowMap(section: string, entries: EntrySpec[], s: SecretSpec): string {
  const parts = entries.map((e) => `${e.keyStyle === 'dq' ? `"${e.key}"` : e.key}: ${flowValue(e.style, s.marker, '')}`);
  if (s.merge && section === 'data') parts.push(`<<: {merged: ${s.marker}m}`);
  return `${section}: {${parts.join(', ')}}`;
}

/** The text of one spelling (no leading `---`). */
export function spell(s: SecretSpec): Spelling {
  const visible: string[] = [];
  const credential = isCredential(s);
  // Non-credential Secrets show their passdowns; a credential Secret hides even those.
  const passdowns = credential ? [] : s.passdowns;
  const spec = { ...s, passdowns };
  if (s.format === 'json') {
    const obj: Record<string, unknown> = { apiVersion: 'v1', kind: 'Secret' };
    obj.metadata = s.metadataString ? `-----BEGIN PRIVATE KEY-----${s.marker}` : { name: s.name, namespace: s.namespace };
    if (s.type) obj.type = s.type;
    const data = Object.fromEntries(s.data.map((e) => [e.key, JSON.parse(jsonValue(e.style, s.marker))]));
    obj.data = s.dataScalar ? `${s.marker}scalar` : data;
    const sd: Record<string, string> = Object.fromEntries(s.stringData.map((e) => [e.key, JSON.parse(jsonValue(e.style, s.marker))]));
    for (const p of passdowns) {
      const vis = `visible-${p.key}-${s.marker.slice(-4)}`;
      if (!p.withPem) visible.push(vis); // a key inside a JSON string hides the whole string
      sd[p.key] = passdownText(p, vis, s.marker).join('\n') + '\n';
    }
    obj.stringData = sd;
    const text = s.kind % 2 ? JSON.stringify(obj, null, 2) : JSON.stringify(obj);
    return { text: text + '\n', marker: s.marker, visible, spec };
  }
  const lines = ['apiVersion: v1', KINDS[s.kind]];
  lines.push(
    s.metadataString ? `metadata: "-----BEGIN PRIVATE KEY-----${s.marker}"` : `metadata: {name: ${s.name}, namespace: ${s.namespace}}`,
  );
  if (s.type) lines.push(`type: ${s.kind % 2 ? `"${s.type}"` : s.type}${s.typeComment ? ' # the type' : ''}`);
  const anchors = { n: 0 };
  if (s.dataScalar) lines.push(`data: ${s.marker}scalar`);
  else if (s.format === 'flow') lines.push(flowMap('data', s.data, s));
  else lines.push(...blockMap('data', s.data, s, visible, anchors));
  lines.push(...blockMap('stringData', s.stringData, spec, visible, anchors));
  return { text: lines.join('\n') + '\n', marker: s.marker, visible, spec };
}

/** A spelling made invalid on a sensitive line, the way a template mistake would (never in the marker itself). */
export const BREAKAGES = [
  (m: string) => `stringData:\n  tls.key: [${m}, ${m}\n`,
  (m: string) => `stringData:\n  tls.key: !binary ${m}\n`,
  (m: string) => `stringData:\n  tls.key: "${m}\n`,
  (m: string) => `stringData:\n  tls.key: ${m}\n   bad: ${m}\n`,
  (m: string) => `stringData:\n  tls.key: *nowhere ${m}\n`,
  (m: string) => `stringData:\n\ttls.key: ${m}\n`,
];

export function brokenSpelling(marker: string, which: number): string {
  const head = 'apiVersion: v1\nkind: Secret\nmetadata: {name: broken, namespace: podinfo}\ntype: kubernetes.io/tls\n';
  return head + BREAKAGES[which % BREAKAGES.length](marker);
}
