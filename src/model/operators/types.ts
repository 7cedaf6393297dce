// What an operator makes at run time from a custom resource: the Services its VirtualServices route to
// and the pod-template workloads those Services select. Plain typed data; index.ts turns it into manifests.
import type { Manifest } from '../../manifest/types.js';

export type Labels = Record<string, string>;

export interface DerivedServicePort {
  name?: string;
  port: number;
  /** A number, or the name of a container port on the selected pods. */
  targetPort: number | string;
  protocol: string;
  appProtocol?: string;
}

export interface DerivedService {
  kind: 'Service';
  name: string;
  namespace: string;
  labels?: Labels;
  /** ClusterIP, NodePort, LoadBalancer. */
  type: string;
  /** 'None' for a headless Service. */
  clusterIP?: string;
  selector: Labels;
  ports: DerivedServicePort[];
  note: string;
}

export interface DerivedContainerPort {
  name?: string;
  containerPort: number;
  protocol: string;
}

export interface DerivedContainer {
  name: string;
  ports: DerivedContainerPort[];
}

export interface DerivedWorkload {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  name: string;
  namespace: string;
  /** The controller's own selector (defaults to the pod labels). */
  matchLabels?: Labels;
  podLabels: Labels;
  podAnnotations?: Labels;
  containers: DerivedContainer[];
  note: string;
}

export type Derived = DerivedService | DerivedWorkload;

export interface OperatorResource {
  /** API group of the custom resource (the part of apiVersion before the `/`). */
  group: string;
  kinds: string[];
}

export interface Operator {
  /** The controller's name as users know it, e.g. `kiali-operator`. */
  name: string;
  resources: OperatorResource[];
  /** What the controller creates for `cr`. Never throws: a malformed CR derives what it can (often nothing). */
  derive(cr: Manifest): Derived[];
}
