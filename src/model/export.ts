// exportTo: which namespaces see a VirtualService, DestinationRule, ServiceEntry or Service
// (push_context.go VirtualServicesForGateway and friends). Visibility is judged for the namespace of
// the proxy that uses the config: for a gateway, the gateway workload's namespace.

/** Merge rank of config for a proxy namespace: 0 private (`.`, same namespace), 1 exported to it by name, 2 public; -1 hidden. */
export function visibility(exportTo: readonly string[], ownNamespace: string, proxyNamespace: string): number {
  if (exportTo.length === 0) return 2;
  let best = -1;
  for (const e of exportTo) {
    let g = -1;
    if (e === '.') g = ownNamespace === proxyNamespace ? 0 : -1;
    else if (e === '*') g = 2;
    else if (e === proxyNamespace) g = 1;
    if (g >= 0 && (best < 0 || g < best)) best = g;
  }
  return best;
}

export function visibleTo(exportTo: readonly string[], ownNamespace: string, proxyNamespace: string): boolean {
  return visibility(exportTo, ownNamespace, proxyNamespace) >= 0;
}

/** A Service's `networking.istio.io/exportTo` annotation as a list (empty: exported everywhere). */
export function serviceExportTo(annotations: Record<string, string> | undefined): string[] {
  const v = annotations?.['networking.istio.io/exportTo'];
  return v === undefined
    ? []
    : String(v)
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}
