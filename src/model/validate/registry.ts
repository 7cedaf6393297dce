// Finds the schema of an apiVersion/kind in the kept model packages (kubernetes-models,
// @kubernetes-models/istio, @kubernetes-models/flux-cd) and loads it on first use only: a
// stream of Services and VirtualServices never loads the HelmRelease schema. Each kind's
// class module (`<package>/<group>/<version>/<Kind>.js`) names its generated validator
// module; that one is linked synchronously (linker.ts) so a rule's `check` stays synchronous.
//
// Why the 5.x line (kubernetes-models 5.1.0, istio 3.0.1, flux-cd 4.0.0) although it declares
// Node >=22: the newest Node-20-declaring releases (4.5.1, 2.3.0, 2.3.4) have no schema for
// networking.istio.io/v1, security.istio.io/v1 PeerAuthentication, telemetry.istio.io/v1,
// helm.toolkit.fluxcd.io/v2 or source.toolkit.fluxcd.io/v1 HelmRepository/OCIRepository (what
// bb-common and the umbrella render), and their older Istio schemas call targetRefs and mirrors
// unknown fields: false alarms. We run only the generated validators, through our own linker,
// and the tests run them on Node 20; package.json bundles these packages, so installs do not
// warn about engines. test/model/validate-pins.test.ts fails if a version change loses a field.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadValidatorModule } from './linker.js';
import { newShape, type Shape } from './shape.js';

/** One error as the compiled validators report it (Ajv's ErrorObject, the parts we read). */
export interface RawError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

export interface KindSchema {
  apiVersion: string;
  kind: string;
  /** '' for the core group. */
  group: string;
  /** Runs the package's validator; [] when the object is valid. */
  validate(data: unknown): RawError[];
  /** The fields the validator reads, learned as objects are validated (see shape.ts). */
  shape: Shape;
}

const GROUP_RE = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
const VERSION_RE = /^v[0-9]+(?:(?:alpha|beta)[0-9]+)?$/;
const KIND_RE = /^[A-Z][A-Za-z0-9]*$/;

/** The package that holds a group's models; undefined for groups none of them knows. */
function packageOf(group: string): string {
  if (group.endsWith('.istio.io')) return '@kubernetes-models/istio';
  if (group.endsWith('.toolkit.fluxcd.io')) return '@kubernetes-models/flux-cd';
  return 'kubernetes-models';
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

const CLASS_RE = /static\{this\.apiVersion="([^"]+)"\}static\{this\.kind="([^"]+)"\}/;
const SCHEMA_IMPORT_RE = /import\{validate\}from"(\.[^"]*\/_schemas\/[A-Za-z0-9_]+\.js)"/;

function load(apiVersion: string, kind: string): KindSchema | null {
  const { group, version } = splitApiVersion(apiVersion);
  if (!VERSION_RE.test(version) || !KIND_RE.test(kind) || (group && !GROUP_RE.test(group))) return null;
  let file: string;
  try {
    file = fileURLToPath(import.meta.resolve(`${packageOf(group)}/${group ? `${group}/` : ''}${version}/${kind}`));
  } catch {
    return null; // the package does not export this group/version
  }
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  const cls = CLASS_RE.exec(text);
  const schemaFile = SCHEMA_IMPORT_RE.exec(text)?.[1];
  // Classes of sub-types (ServicePort, ...) have no apiVersion/kind of their own.
  if (!cls || cls[1] !== apiVersion || cls[2] !== kind || !schemaFile) return null;
  const compiled = loadValidatorModule(resolve(dirname(file), schemaFile));
  return {
    apiVersion,
    kind,
    group,
    validate(data: unknown): RawError[] {
      return compiled(data) ? [] : ((compiled.errors ?? []) as RawError[]);
    },
    shape: newShape(),
  };
}

const cache = new Map<string, KindSchema | null>();

/** The schema for apiVersion/kind, loading its module on first use; undefined for kinds without a kept schema. */
export function schemaFor(apiVersion: string, kind: string): KindSchema | undefined {
  const key = `${apiVersion}|${kind}`;
  let hit = cache.get(key);
  if (hit === undefined) {
    hit = load(apiVersion, kind);
    cache.set(key, hit);
  }
  return hit ?? undefined;
}

/** How many kind schemas have been loaded so far (for benchmarks and tests of laziness). */
export function loadedSchemaCount(): number {
  let n = 0;
  for (const v of cache.values()) if (v) n++;
  return n;
}
