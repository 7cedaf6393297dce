// A VirtualService `gateways` entry as istiod resolves it (pilot/pkg/model/config.go resolveGatewayName).

/**
 * `mesh` stays; `ns/name` as is; `./name` and a bare `name` are in the VirtualService's namespace;
 * the legacy `name.ns[.svc.cluster.local]` means `ns/name`. The same for `match[].gateways`.
 */
export function resolveGatewayRef(ref: string, vsNamespace: string): string {
  if (ref === 'mesh') return 'mesh';
  const slash = ref.indexOf('/');
  if (slash >= 0) {
    const ns = ref.slice(0, slash);
    return `${ns === '.' ? vsNamespace : ns}/${ref.slice(slash + 1)}`;
  }
  const dot = ref.indexOf('.');
  if (dot >= 0) {
    const parts = ref.split('.');
    return `${parts[1]}/${parts[0]}`;
  }
  return `${vsNamespace}/${ref}`;
}

/** `ns/name` split, for a resolved reference. */
export function splitRef(resolved: string): { namespace: string; name: string } {
  const i = resolved.indexOf('/');
  return i < 0 ? { namespace: '', name: resolved } : { namespace: resolved.slice(0, i), name: resolved.slice(i + 1) };
}
