{{- define "bbmesh.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "bbmesh.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "bbmesh.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "bbmesh.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "bbmesh.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bbmesh.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "bbmesh.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "bbmesh.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The arguments of `bbmesh verify`: every package, PolicyReports written to the cluster. */}}
{{- define "bbmesh.args" -}}
- verify
- --all
- --output
- policyreport
- --apply
- --request-timeout
- {{ .Values.verify.requestTimeout | quote }}
{{- with .Values.verify.layout }}
- --layout
- {{ . | quote }}
{{- end }}
{{- with .Values.verify.address }}
- --address
- {{ . | quote }}
{{- end }}
{{- if .Values.verify.allowUnchecked }}
- --allow-unchecked
{{- end }}
{{- range .Values.verify.extraArgs }}
- {{ . | quote }}
{{- end }}
{{- end -}}
