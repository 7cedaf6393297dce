// Credentials never reach the terminal: in rendered Secrets that hold credentials (registry
// auth, TLS private keys, passwords, SSH keys) the sensitive values are replaced in place,
// line for line, so every position in the printed stream stays the same.
// The values Secrets Big Bang builds for Flux (type generic) are kept: they are the passdowns
// a maintainer renders to read.

const CREDENTIAL_TYPES = new Set([
  'kubernetes.io/dockerconfigjson',
  'kubernetes.io/dockercfg',
  'kubernetes.io/tls',
  'kubernetes.io/basic-auth',
  'kubernetes.io/ssh-auth',
]);
const SENSITIVE_KEYS = new Set(['.dockerconfigjson', '.dockercfg', 'tls.key', 'password', 'ssh-privatekey']);
export const REDACTED = '<redacted by bbmesh; --show-secrets prints it>';

/** Redacts the sensitive values of one rendered document when it is a credential Secret. */
export function redactSecret(doc: string): string {
  if (!/^kind:[ \t]*["']?Secret["']?[ \t]*$/m.test(doc)) return doc;
  const type = /^type:[ \t]*["']?([^"'\s]+)/m.exec(doc)?.[1];
  if (!type || !CREDENTIAL_TYPES.has(type)) return doc;
  const lines = doc.split('\n');
  let section = false;
  let blockIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === '' || indent > blockIndent) {
        if (line.trim() !== '') lines[i] = `${' '.repeat(indent)}${REDACTED}`;
        continue;
      }
      blockIndent = -1;
    }
    if (indent === 0) {
      section = /^(data|stringData):[ \t]*$/.test(line);
      continue;
    }
    if (!section) continue;
    const m = /^([ \t]+)["']?([^"':]+)["']?:[ \t]*(.*)$/.exec(line);
    if (!m || !SENSITIVE_KEYS.has(m[2])) continue;
    if (/^[|>]/.test(m[3])) blockIndent = m[1].length;
    else if (m[3] !== '') lines[i] = `${m[1]}${m[2]}: ${JSON.stringify(REDACTED)}`;
  }
  return lines.join('\n');
}
