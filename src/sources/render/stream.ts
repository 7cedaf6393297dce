// The one YAML stream a render prints: every document of every helm template call, tagged with its
// stage, release and namespace (`# Stage: package (release podinfo-podinfo, namespace podinfo)`), with
// the namespace made explicit as Flux applies it. Manifests parsed back from it keep positions in it.
import { CLUSTER_SCOPED, loadManifests, splitDocuments } from '../../manifest/load.js';
import type { Manifest } from '../../manifest/types.js';
import { attachCertificate } from '../../model/certificate-names.js';
import { asObject, asString } from '../../manifest/json.js';
import { loadYaml11 } from '../../manifest/yaml11.js';
import { redactSecret } from './redact.js';

/** bigbang: stage 1 (the dev chart or the umbrella); package: stage 2; context: stage 1 of other packages. */
export type StreamStage = 'bigbang' | 'package' | 'context';

const SOURCE_RE = /^# Source: (.+)$/m;
const TAG_RE = /# Stage: (\w+) \(release (\S+), namespace (\S+)\)/;

/** Adds `namespace:` under `metadata:` to a rendered document that lacks it (as Flux applies it). */
export function withNamespace(doc: string, namespace: string): string {
  const m = /^metadata:[ \t]*\r?\n((?:[ \t]*#.*\r?\n)*)([ \t]+)\S/m.exec(doc);
  if (!m) return doc;
  const insertAt = m.index + m[0].length - 1 - m[2].length;
  return `${doc.slice(0, insertAt)}${m[2]}namespace: ${namespace}\n${doc.slice(insertAt)}`;
}

function withNamespaceIfNeeded(body: string, ns: string): string {
  const kind = /^kind:\s*(\S+)/m.exec(body)?.[1];
  if (!kind || CLUSTER_SCOPED.has(kind)) return body;
  const meta = /^metadata:[ \t]*\r?\n((?:[ \t]+.*\r?\n|[ \t]*\r?\n)*)/m.exec(body);
  if (meta && /^[ \t]+namespace:/m.test(meta[1])) return body;
  return withNamespace(body, ns);
}

/** The documents of one helm template output, without their `---` lines; blank and comment-only ones dropped. */
export function documentsOf(text: string): string[] {
  const out: string[] = [];
  for (const d of splitDocuments(text, '')) {
    const body = d.text.slice(d.start, d.end).replace(/^---[^\n]*\n/, '');
    if (/\S/.test(body.replace(/^#.*$/gm, ''))) out.push(body);
  }
  return out;
}

/** The template a document came from (Helm's `# Source:` comment). */
export function templateOfDocument(body: string): string | undefined {
  return SOURCE_RE.exec(body)?.[1].trim();
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The certificates (never a key) of a rendered Secret's tls.crt, before redaction blanks the Secret's data:
 * certificate checks read them from the manifest (attachCertificate), the printed stream never shows them.
 */
function secretCertificate(body: string, ns: string): [string, string] | undefined {
  if (!body.includes('tls.crt') || !/^kind:\s*Secret\b/m.test(body)) return undefined;
  try {
    const obj = asObject(loadYaml11(body));
    const meta = asObject(obj.metadata);
    const raw = asString(asObject(obj.data)['tls.crt']);
    const text = raw ? Buffer.from(raw, 'base64').toString('utf8') : asString(asObject(obj.stringData)['tls.crt']);
    const certs = text?.match(PEM_CERT);
    if (!certs || typeof meta.name !== 'string') return undefined;
    return [`${typeof meta.namespace === 'string' ? meta.namespace : ns}/${meta.name}`, certs.join('\n')];
  } catch {
    return undefined;
  }
}

export class RenderStream {
  private readonly parts: string[] = [];
  /** `namespace/name` of each rendered TLS Secret -> its certificates (public; the key is never kept). */
  readonly certificates = new Map<string, string>();
  constructor(private readonly showSecrets = false) {}

  /** One release's documents; `stageOf` may tell a document's stage from its template (default `stage`). */
  add(text: string, stage: StreamStage, release: string, namespace: string, stageOf?: (template?: string) => StreamStage): void {
    this.addDocuments(documentsOf(text), stage, release, namespace, stageOf);
  }

  addDocuments(docs: string[], stage: StreamStage, release: string, ns: string, stageOf?: (template?: string) => StreamStage): void {
    for (let body of docs) {
      const st = stageOf ? stageOf(templateOfDocument(body)) : stage;
      body = withNamespaceIfNeeded(body, ns);
      const cert = secretCertificate(body, ns);
      if (cert) this.certificates.set(cert[0], cert[1]);
      if (!this.showSecrets) body = redactSecret(body);
      this.parts.push(`---\n# Stage: ${st} (release ${release}, namespace ${ns})\n${body.endsWith('\n') ? body : body + '\n'}`);
    }
  }

  text(): string {
    return this.parts.join('');
  }
}

/** Parses a render stream; each manifest gets the stage and release of its tag and the chart directory `chartDirOf` names. */
export function parseStream(
  text: string,
  chartDirOf: (stage: StreamStage, release: string, template?: string) => string | undefined,
  certificates?: ReadonlyMap<string, string>,
): Manifest[] {
  const out = loadManifests(text, { file: 'rendered', stage: 'bigbang' });
  for (const m of out) {
    const cert = m.kind === 'Secret' ? certificates?.get(`${m.namespace}/${m.name}`) : undefined;
    if (cert) attachCertificate(m, cert);
    const d = m.origin.doc;
    const st = d ? TAG_RE.exec(d.text.slice(d.start, d.start + 200)) : null;
    if (!st) continue;
    const stage: StreamStage = st[1] === 'package' || st[1] === 'context' ? st[1] : 'bigbang';
    m.origin.stage = stage;
    m.origin.release = st[2];
    m.origin.chartDir = chartDirOf(stage, st[2], m.origin.template);
  }
  return out;
}
