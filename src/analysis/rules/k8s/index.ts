import type { Rule } from '../types.js';
import { k8s001 } from './k8s001-schema.js';

/** Kubernetes API rules (K8Snnn): objects as the API server and admission webhooks accept them. */
export const K8S_RULES: Rule[] = [k8s001];
