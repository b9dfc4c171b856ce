{{- define "voicebridge.name" -}}{{ .Release.Name }}{{- end -}}

{{- define "voicebridge.labels" -}}
app.kubernetes.io/name: voicebridge
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- define "voicebridge.selector" -}}
app.kubernetes.io/name: voicebridge
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "voicebridge.image" -}}
{{ .root.Values.image.registry }}/{{ .component }}:{{ .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- end -}}

{{- define "voicebridge.pullSecrets" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
{{- end -}}

{{/* The env value of an HTTP bind address: "podIP" = the pod's address (downward API). */}}
{{- define "voicebridge.bindAddress" -}}
{{- if eq . "podIP" -}}
valueFrom: {fieldRef: {fieldPath: status.podIP}}
{{- else -}}
value: {{ . | quote }}
{{- end -}}
{{- end -}}

{{- define "voicebridge.telemetryEnv" -}}
{{- if .Values.telemetry.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ .Values.telemetry.otlpEndpoint | quote }}
{{- end }}
{{- end -}}

{{/* Egress to DNS (port 53), only to networkPolicies.dnsTo when set (default: kube-system). */}}
{{- define "voicebridge.dnsEgress" -}}
- ports:
    - {port: 53, protocol: UDP}
    - {port: 53, protocol: TCP}
  {{- with .Values.networkPolicies.dnsTo }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}

{{/* Egress to the OTLP collector's port (from telemetry.otlpEndpoint; 4318, OTLP/HTTP's, when it names none). */}}
{{- define "voicebridge.otlpEgress" -}}
{{- with .Values.telemetry.otlpEndpoint }}
{{- $hostPort := splitList ":" (urlParse .).host }}
{{- $port := ternary (last $hostPort) "4318" (gt (len $hostPort) 1) }}
- ports:
    - {port: {{ $port }}, protocol: TCP}
{{- end }}
{{- end -}}

{{/*
get on the named Secrets, or nothing: an empty resourceNames list would grant every Secret of the
namespace. Argument: the list of names (empty entries and duplicates dropped, sorted).
*/}}
{{- define "voicebridge.secretsRule" -}}
{{- include "voicebridge.namedSecretsRule" (dict "names" . "verbs" (list "get")) }}
{{- end -}}

{{/*
As voicebridge.secretsRule with list and watch too, for an informer on each named Secret: the API
server authorizes a list or watch by resourceNames only with a metadata.name field selector, so this
grants no more than get on the same names. Argument: the list of names.
*/}}
{{- define "voicebridge.watchedSecretsRule" -}}
{{- include "voicebridge.namedSecretsRule" (dict "names" . "verbs" (list "get" "list" "watch")) }}
{{- end -}}

{{- define "voicebridge.namedSecretsRule" -}}
{{- $names := .names | compact | uniq | sortAlpha }}
{{- if $names -}}
- apiGroups: [""]
  resources: [secrets]
  verbs: {{ toJson .verbs }}
  resourceNames: {{ toJson $names }}
{{- end }}
{{- end -}}
