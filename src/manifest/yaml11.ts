// YAML 1.1 scalars as Kubernetes reads them (sigs.k8s.io/yaml -> go-yaml v2):
// yes/no/on/off/y/n are booleans, 0755 is octal, 1_000 is an integer, and there is
// no timestamp type (dates stay strings). js-yaml 4 reads YAML 1.2, so we give it
// our own implicit types on top of the failsafe schema.
import jsyaml from 'js-yaml';

const BOOL_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const BOOL_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

const nullType = new jsyaml.Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (s: string) => s === '' || s === '~' || (s.length === 4 && (s === 'null' || s === 'Null' || s === 'NULL')),
  construct: () => null,
  predicate: (o: unknown) => o === null,
  represent: { lowercase: () => 'null' },
  defaultStyle: 'lowercase',
});

const boolType = new jsyaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (s: string) => s.length <= 5 && (BOOL_TRUE.has(s) || BOOL_FALSE.has(s)),
  construct: (s: string) => BOOL_TRUE.has(s),
  predicate: (o: unknown) => typeof o === 'boolean',
  represent: { lowercase: (o: object) => (o ? 'true' : 'false') },
  defaultStyle: 'lowercase',
});

/** Cheap pre-check before the number regexes: most scalars in manifests are words. */
function maybeNumber(s: string): boolean {
  const c = s.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46; // 0-9 + - .
}

const INT_RE = /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|0|[1-9][0-9_]*|[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;

export function parseInt11(s: string): number {
  let t = s.replace(/_/g, '');
  let sign = 1;
  if (t[0] === '-' || t[0] === '+') {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  if (t === '0') return 0;
  if (t.startsWith('0b')) return sign * parseInt(t.slice(2), 2);
  if (t.startsWith('0x')) return sign * parseInt(t.slice(2), 16);
  if (t.startsWith('0')) return sign * parseInt(t.slice(1), 8);
  if (t.includes(':')) return sign * t.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
  return sign * Number(t);
}

const intType = new jsyaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (s: string) => maybeNumber(s) && INT_RE.test(s) && !/^[-+]?_/.test(s),
  construct: parseInt11,
  predicate: (o: unknown) => typeof o === 'number' && Number.isInteger(o),
  represent: { decimal: (o: object) => String(o) },
  defaultStyle: 'decimal',
});

const FLOAT_RE =
  /^(?:[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?:[eE][-+]?[0-9]+)|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

const floatType = new jsyaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (s: string) => maybeNumber(s) && FLOAT_RE.test(s) && s !== '.' && s !== '+.' && s !== '-.',
  construct: (s: string) => {
    const t = s.replace(/_/g, '').toLowerCase();
    if (t.endsWith('.inf')) return t.startsWith('-') ? -Infinity : Infinity;
    if (t === '.nan') return NaN;
    return Number(t);
  },
  predicate: (o: unknown) => typeof o === 'number' && !Number.isInteger(o),
  represent: { decimal: (o: object) => String(o) },
  defaultStyle: 'decimal',
});

/** The schema Kubernetes effectively uses: YAML 1.1 null, bool, int, float and merge keys. */
export const K8S_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [nullType, boolType, intType, floatType, (jsyaml as any).types.merge],
});

/**
 * Parses one YAML document (no `---` splitting) the way Kubernetes would. `lastKeyWins`: a duplicated
 * mapping key keeps its last value, as Helm and Flux read values (sigs.k8s.io/yaml), instead of failing.
 */
export function loadYaml11(text: string, filename?: string, opts: { lastKeyWins?: boolean } = {}): unknown {
  return jsyaml.load(text, { schema: K8S_SCHEMA, filename, json: opts.lastKeyWins === true });
}
