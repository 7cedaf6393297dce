// Big Bang 2.x ("bb2", the guide's names) and Big Bang 3.x ("bb3") names used by `integrate`.
// The package chart always reads its Istio values under `istio` (the guide's key, kept in the
// doc's last version); only the umbrella-side names change between layouts.
import { UserError } from '../core/errors.js';

export type LayoutName = 'bb2' | 'bb3';

export interface Layout {
  name: LayoutName;
  /** Umbrella expression that says "Istio is on" (bigbang/ templates: label, passdown, dependsOn). */
  enabledExpr: string;
  /** Umbrella keys turned on in bigbang/values.yaml for integration testing, in order. */
  enableKeys: string[];
  /** Values key the package chart reads (`.Values.<key>.enabled`, `.Values.<key>.<name>.gateways`). */
  valuesKey: 'istio';
  /** Gateway the package chart defaults to when deployed without Big Bang. */
  packageGateway: string;
  /** Gateway Big Bang passes down, as a template expression of the bigbang/ chart. */
  passdownGateway(pkgValues: string): string;
  /** The HelmRelease the package must wait for. */
  dependency: string;
}

const BB2: Layout = {
  name: 'bb2',
  enabledExpr: '.Values.istio.enabled',
  enableKeys: ['istioOperator', 'istio'],
  valuesKey: 'istio',
  packageGateway: 'istio-system/main',
  passdownGateway: (v) => `istio-system/{{ default "public" ${v}.ingress.gateway }}`,
  dependency: 'istio',
};

const BB3: Layout = {
  name: 'bb3',
  enabledExpr: '.Values.istiod.enabled',
  enableKeys: ['istioCRDs', 'istiod', 'istioGateway'],
  valuesKey: 'istio',
  packageGateway: 'istio-gateway/public-ingressgateway',
  passdownGateway: (v) => `istio-gateway/{{ default "public" ${v}.ingress.gateway }}-ingressgateway`,
  dependency: 'istiod',
};

export function getLayout(name: string | undefined): Layout {
  if (name === undefined || name === 'bb2') return BB2;
  if (name === 'bb3') return BB3;
  throw new UserError(`unknown layout "${name}"`, {
    hint: 'pass --layout bb2 (Big Bang 1.x/2.x, the guide) or --layout bb3 (Big Bang 3.x)',
  });
}

/** `.Values.<key>` as a template expression, `(index .Values "<key>")` when the key is not an identifier. */
export function valuesRef(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.Values.${key}` : `(index .Values "${key}")`;
}
