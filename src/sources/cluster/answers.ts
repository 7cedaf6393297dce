// What an API server's answer means for a read: the JSON body, or a ReadError in the user's terms.
// A server that answers HTML or a redirect is not the Kubernetes API (a login proxy, most often):
// that is said as such instead of being read as an empty cluster.
import type { RestAnswer } from './rest.js';

export interface StatusBody {
  kind?: string;
  reason?: string;
  message?: string;
  details?: { name?: string };
}

/** Why an answer is not the Kubernetes API, or undefined when it looks like it is (JSON). */
export function notApi(a: RestAnswer, server: string): string | undefined {
  const html = /html/i.test(a.contentType) || /^\s*</.test(a.text);
  if (html) {
    const title = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(a.text)?.[1];
    const t = title ? `, page "${printable(title).slice(0, 80)}"` : '';
    return `the API server answered HTML (HTTP ${a.status}${t}): a login proxy? ${server} is not answering as the Kubernetes API`;
  }
  if (a.status >= 300 && a.status < 400) {
    const to = a.location ? ` to ${printable(a.location).slice(0, 120)}` : '';
    return `the API server answered a redirect (HTTP ${a.status}${to}): a login proxy? ${server} is not answering as the Kubernetes API`;
  }
  return undefined;
}

/** The JSON body, or why it is not JSON. */
export function jsonBody(a: RestAnswer): { json?: unknown; why?: string } {
  try {
    return { json: JSON.parse(a.text) };
  } catch {
    const type = a.contentType.split(';')[0] || 'no content type';
    return { why: `the API server answered ${type}, not JSON (HTTP ${a.status})` };
  }
}

/** A Kubernetes `Status` object in an error answer. */
export function statusOf(a: RestAnswer): StatusBody | undefined {
  const { json } = jsonBody(a);
  return json && typeof json === 'object' && (json as StatusBody).kind === 'Status' ? (json as StatusBody) : undefined;
}

/** Control characters out of text a server chose. */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}
