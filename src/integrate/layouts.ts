// What integrate needs beyond the layout table (core/layout.ts): the values key the package chart
// reads its Istio settings from (the guide's `istio`, kept by both release lines for hand-written
// VirtualServices), and how a package key is written as a template expression.

/** Values key the package chart reads (`.Values.istio.enabled`, `.Values.istio.<name>.gateways`). */
export const VALUES_KEY = 'istio';

/** `.Values.<key>` as a template expression, `(index .Values "<key>")` when the key is not an identifier. */
export function valuesRef(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.Values.${key}` : `(index .Values "${key}")`;
}
