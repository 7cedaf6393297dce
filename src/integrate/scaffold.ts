// Scaffold of the bigbang/ dev chart (Big Bang flux.md), so that `render` works right after.
// The templates are those of the umbrella chart's per-package folder, parameterized by the package name.
import { valuesRef } from './layouts.js';
import type { StepReport } from './types.js';
import type { Workspace } from './workspace.js';

export const HELPERS_TPL = `{{/*
Helpers copied from the Big Bang umbrella chart (chart/templates/_helpers.tpl).
*/}}

{{- define "imagePullSecret" }}
  {{- if .Values.registryCredentials -}}
    {{- $credType := typeOf .Values.registryCredentials -}}
          {{- /* If we have a list, embed that here directly. This allows for complex configuration from configmap, downward API, etc. */ -}}
    {{- if eq $credType "[]interface {}" -}}
    {{- include "multipleCreds" . | b64enc }}
    {{- else if eq $credType "map[string]interface {}" }}
      {{- /* If we have a map, treat those as key-value pairs. */ -}}
      {{- if and .Values.registryCredentials.username .Values.registryCredentials.password }}
      {{- with .Values.registryCredentials }}
      {{- printf "{\\"auths\\":{\\"%s\\":{\\"username\\":\\"%s\\",\\"password\\":\\"%s\\",\\"email\\":\\"%s\\",\\"auth\\":\\"%s\\"}}}" .registry .username .password .email (printf "%s:%s" .username .password | b64enc) | b64enc }}
      {{- end }}
      {{- end }}
    {{- end -}}
  {{- end }}
{{- end }}

{{- define "multipleCreds" -}}
{
  "auths": {
    {{- range $i, $m := .Values.registryCredentials }}
    {{- /* Only create entry if resulting entry is valid */}}
    {{- if and $m.registry $m.username $m.password }}
    {{- if $i }},{{ end }}
    "{{ $m.registry }}": {
      "username": "{{ $m.username }}",
      "password": "{{ $m.password }}",
      "email": "{{ $m.email | default "" }}",
      "auth": "{{ printf "%s:%s" $m.username $m.password | b64enc }}"
    }
    {{- end }}
    {{- end }}
  }
}
{{- end }}

{{/*
Build the appropriate git credentials secret for private git repositories.
*/}}
{{- define "gitCreds" -}}
{{- if .Values.git.existingSecret -}}
secretRef:
  name: {{ .Values.git.existingSecret }}
{{- else if coalesce .Values.git.credentials.username .Values.git.credentials.password .Values.git.credentials.caFile .Values.git.credentials.privateKey .Values.git.credentials.publicKey .Values.git.credentials.knownHosts "" -}}
{{- /* Input validation happens in git-credentials.yaml template */ -}}
secretRef:
  name: {{ $.Release.Name }}-git-credentials
{{- end -}}
{{- end -}}

{{/*
Pointer to the right git reference: a commit needs a branch; then semver, tag, branch.
*/}}
{{- define "validRef" -}}
{{- if .commit -}}
{{- if not .branch -}}
{{- fail "A valid branch is required when a commit is specified!" -}}
{{- end -}}
branch: {{ .branch | quote }}
commit: {{ .commit }}
{{- else if .semver -}}
semver: {{ .semver | quote }}
{{- else if .tag -}}
tag: {{ .tag }}
{{- else -}}
branch: {{ .branch | quote }}
{{- end -}}
{{- end -}}

{{/*
Common labels for all objects
*/}}
{{- define "commonLabels" -}}
app.kubernetes.io/instance: "{{ .Release.Name }}"
app.kubernetes.io/version: "{{ .Chart.Version }}"
app.kubernetes.io/part-of: "bigbang"
app.kubernetes.io/managed-by: "flux"
{{- end -}}

{{/*
Files excluded from the GitRepository
*/}}
{{- define "gitIgnore" -}}
  ignore: |
    # exclude file extensions
    /**/*.md
    /**/*.txt
    /**/*.sh
    !/chart/tests/scripts/*.sh
{{- end -}}

{{/*
The values Secret that Flux reads through valuesFrom: common, then defaults, then overlays.
*/}}
{{- define "values-secret" -}}
apiVersion: v1
kind: Secret
metadata:
  name: {{ .root.Release.Name }}-{{ .name }}-values
  namespace: {{ .root.Release.Namespace }}
type: generic
stringData:
  common: |
  defaults: {{- toYaml .defaults | nindent 4 }}
  overlays: |
    {{- toYaml .package.values | nindent 4 }}
{{- end -}}
`;

export function scaffoldFiles(pkg: string, namespace = pkg, repo?: string): Record<string, string> {
  const v = valuesRef(pkg);
  return {
    'bigbang/Chart.yaml': `apiVersion: v2\nname: bigbang-${pkg}\ndescription: Big Bang dev chart that deploys the ${pkg} package through Flux, as the umbrella chart would (scaffolded by bbmesh integrate)\ntype: application\nversion: 0.1.0\n`,
    // No `domain:` here: the umbrella's values (passed first) set it, and a value here would override them.
    'bigbang/values.yaml': `# Values for the ${pkg} dev chart (scaffolded by bbmesh integrate). The umbrella chart's values.yaml\n# is passed first (helm template -f ~/bigbang/chart/values.yaml -f bigbang/values.yaml ...); it sets the domain.\n\n${pkg}:\n  enabled: true\n  git:\n    repo: ${repo ?? `https://repo1.dso.mil/big-bang/product/packages/${pkg}.git`}\n    branch: main\n    path: "./chart"\n  flux: {}\n  values: {}\n  postRenderers: []\n`,
    'bigbang/templates/_helpers.tpl': HELPERS_TPL,
    [`bigbang/templates/${pkg}/namespace.yaml`]: `{{- if ${v}.enabled }}
apiVersion: v1
kind: Namespace
metadata:
  name: ${namespace}
  labels:
    app.kubernetes.io/name: ${pkg}
    app.kubernetes.io/component: "sandbox"
    {{- include "commonLabels" . | nindent 4 }}
{{- end }}
`,
    [`bigbang/templates/${pkg}/gitrepository.yaml`]: `{{- if and ${v}.enabled (eq (default "git" ${v}.sourceType) "git") }}
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: ${pkg}
  namespace: {{ .Release.Namespace }}
  labels:
    app.kubernetes.io/name: ${pkg}
    app.kubernetes.io/component: "sandbox"
    {{- include "commonLabels" . | nindent 4 }}
spec:
  interval: {{ .Values.flux.interval }}
  url: {{ ${v}.git.repo }}
  ref:
    {{- include "validRef" ${v}.git | nindent 4 }}
  {{ include "gitIgnore" . }}
  {{- include "gitCreds" . | nindent 2 }}
{{- end }}
`,
    [`bigbang/templates/${pkg}/helmrelease.yaml`]: `{{- $fluxSettings := merge ${v}.flux .Values.flux -}}
{{- if ${v}.enabled }}
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${pkg}
  namespace: {{ .Release.Namespace }}
  labels:
    app.kubernetes.io/name: ${pkg}
    app.kubernetes.io/component: "sandbox"
    {{- include "commonLabels" . | nindent 4 }}
  annotations:
    checksum/bigbang-values: {{ include (print $.Template.BasePath "/${pkg}/values.yaml") . | sha256sum }}
spec:
  targetNamespace: ${namespace}
  chart:
    spec:
      chart: {{ ${v}.git.path }}
      interval: 5m
      reconcileStrategy: Revision
      sourceRef:
        kind: GitRepository
        name: ${pkg}
        namespace: {{ .Release.Namespace }}

  {{- toYaml $fluxSettings | nindent 2 }}

  {{- if ${v}.postRenderers }}
  postRenderers:
  {{ toYaml ${v}.postRenderers | nindent 4 }}
  {{- end }}
  valuesFrom:
    - name: {{ .Release.Name }}-${pkg}-values
      kind: Secret
      valuesKey: "common"
    - name: {{ .Release.Name }}-${pkg}-values
      kind: Secret
      valuesKey: "defaults"
    - name: {{ .Release.Name }}-${pkg}-values
      kind: Secret
      valuesKey: "overlays"
{{- end }}
`,
    [`bigbang/templates/${pkg}/imagepullsecret.yaml`]: `{{- if ${v}.enabled }}
{{- if ( include "imagePullSecret" . ) }}
apiVersion: v1
kind: Secret
metadata:
  name: private-registry
  namespace: ${namespace}
  labels:
    app.kubernetes.io/name: ${pkg}
    app.kubernetes.io/component: "sandbox"
    {{- include "commonLabels" . | nindent 4 }}
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: {{ template "imagePullSecret" . }}
{{- end }}
{{- end }}
`,
    [`bigbang/templates/${pkg}/values.yaml`]: `{{- define "bigbang.defaults.${pkg}" -}}
imagePullSecrets:
  - name: private-registry
{{- end }}

{{- /* Create secret */ -}}
{{- if ${v}.enabled }}
{{- include "values-secret" (dict "root" $ "package" ${v} "name" "${pkg}" "defaults" (include "bigbang.defaults.${pkg}" .)) }}
{{- end }}
`,
  };
}

export function stepScaffold(ws: Workspace, pkg: string, namespace: string): StepReport {
  const title = 'bigbang/ dev chart';
  if (ws.isDir('bigbang')) return { step: 'scaffold', title, status: 'present', files: [] };
  const files = scaffoldFiles(pkg, namespace);
  for (const [rel, text] of Object.entries(files)) ws.write(rel, text);
  return { step: 'scaffold', title, status: 'done', reason: 'bigbang/ did not exist', files: Object.keys(files) };
}
