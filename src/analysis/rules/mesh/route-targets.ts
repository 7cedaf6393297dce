// The pods an ingress route delivers to, walked as trace walks it: each VirtualService bound to a Gateway that
// serves one of its hosts, the first gateway workload of that Gateway, each reachable http route (a request
// matches it) and every tls/tcp route, each destination with traffic, the Service port and the pod and
// container port its targetPort resolves to. The rules judging that last connection (NetworkPolicies,
// AuthorizationPolicies) share this walk so they report exactly what trace can show.
import type { Path } from '../../../manifest/types.js';
import { resolveDestination, resolveTargetPort, selectServicePort } from '../../../model/destination.js';
import { serversBinding } from '../../../model/gateway.js';
import { blocksOn, exampleRequest } from '../../../model/match.js';
import { gatewayWorkloads, workloadsOfService } from '../../../model/selectors.js';
import type {
  GatewayInfo,
  MeshModel,
  RouteDestination,
  ServiceInfo,
  ServicePort,
  VirtualServiceInfo,
  Workload,
} from '../../../model/types.js';
import { boundGateways } from './util.js';

export interface RouteTarget {
  vs: VirtualServiceInfo;
  gateway: GatewayInfo;
  /** The gateway pod (workload) that proxies the route. */
  gw: Workload;
  /** `http[0]`, `tls[1]`... and its path in the VirtualService. */
  route: string;
  routePath: Path;
  destination: RouteDestination;
  service: ServiceInfo;
  servicePort: ServicePort;
  workload: Workload;
  /** The port the pod receives on (the targetPort as a container port). */
  containerPort: number;
}

export function routeTargets(model: MeshModel): RouteTarget[] {
  const out: RouteTarget[] = [];
  for (const vs of model.virtualServices) {
    for (const gateway of boundGateways(model, vs)) {
      if (!vs.hosts.some((_, i) => serversBinding(gateway, vs, i).length)) continue;
      const gw = gatewayWorkloads(model, gateway)[0];
      if (!gw) continue;
      const routes: Array<{ name: string; path: Path; route: RouteDestination[]; listener: number }> = [];
      for (const r of vs.http)
        if (blocksOn(r, gateway.key).some((b) => exampleRequest(b)))
          routes.push({ name: `http[${r.index}]`, path: r.path, route: r.route, listener: 8443 });
      for (const [kind, list] of [
        ['tls', vs.tls],
        ['tcp', vs.tcp],
      ] as const)
        for (const r of list)
          routes.push({ name: `${kind}[${r.index}]`, path: r.path, route: r.route, listener: r.match?.find((m) => m.port)?.port ?? 8443 });
      for (const r of routes) {
        for (const d of r.route) {
          if (r.route.length > 1 && !((d.weight ?? 0) > 0)) continue;
          const res = resolveDestination(model, d, gw.namespace);
          if (res.kind !== 'service') continue;
          const sp = selectServicePort(res.service, d, r.listener).port;
          const pods = workloadsOfService(model, res.service);
          if (!sp || !pods.length) continue;
          const target = resolveTargetPort(sp, pods);
          if (target.kind === 'unnamed') continue;
          out.push({
            vs,
            gateway,
            gw,
            route: r.name,
            routePath: r.path,
            destination: d,
            service: res.service,
            servicePort: sp,
            workload: target.workload,
            containerPort: target.containerPort,
          });
        }
      }
    }
  }
  return out;
}
