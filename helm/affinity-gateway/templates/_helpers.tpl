{{/*
Expand the name of the chart.
*/}}
{{- define "affinity-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name.
We truncate at 63 chars because some Kubernetes name fields are limited to this (by the DNS naming spec).
If release name contains chart name it will be used as a full name.
*/}}
{{- define "affinity-gateway.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Create chart name and version as used by the chart label.
*/}}
{{- define "affinity-gateway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "affinity-gateway.labels" -}}
helm.sh/chart: {{ include "affinity-gateway.chart" . }}
{{ include "affinity-gateway.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels
*/}}
{{- define "affinity-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "affinity-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Create the name of the service account to use
*/}}
{{- define "affinity-gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "affinity-gateway.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Name of the Secret holding the cookie key (ours, or the user's existingSecret).
*/}}
{{- define "affinity-gateway.cookieSecretName" -}}
{{- if .Values.cookieSecret.existingSecret }}
{{- .Values.cookieSecret.existingSecret }}
{{- else }}
{{- printf "%s-cookie" (include "affinity-gateway.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/*
Name of the Secret holding the Actuator write password (ours, or the user's existingSecret).
*/}}
{{- define "affinity-gateway.actuatorSecretName" -}}
{{- if .Values.actuator.existingSecret }}
{{- .Values.actuator.existingSecret }}
{{- else }}
{{- printf "%s-actuator" (include "affinity-gateway.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/*
A secret value generated once and kept across upgrades: reuse the value already in the cluster
(lookup), else generate one. Arguments: (list $ secretName key length).
*/}}
{{- define "affinity-gateway.keptRandom" -}}
{{- $root := index . 0 -}}
{{- $secretName := index . 1 -}}
{{- $key := index . 2 -}}
{{- $length := index . 3 -}}
{{- $existing := lookup "v1" "Secret" $root.Release.Namespace $secretName -}}
{{- if and $existing $existing.data (hasKey $existing.data $key) -}}
{{- index $existing.data $key -}}
{{- else -}}
{{- randAlphaNum $length | b64enc -}}
{{- end -}}
{{- end }}

{{/*
The application.yml the gateway reads, rendered from values (the cookie secret is not in it: it
comes from the Secret through the AFFINITY_COOKIE_SECRET environment variable).
*/}}
{{- define "affinity-gateway.baseApplicationYaml" -}}
server:
  port: 8080
  shutdown: graceful
management:
  server:
    port: 8081
spring:
  lifecycle:
    timeout-per-shutdown-phase: {{ .Values.shutdownTimeout | quote }}
  cloud:
    discovery:
      client:
        simple:
          instances:
            {{- range $id, $service := .Values.gateway.services }}
            {{ $id }}:
              {{- range $service.instances }}
              - uri: {{ .uri | quote }}
                {{- with .id }}
                instance-id: {{ . | quote }}
                {{- end }}
                {{- with .metadata }}
                metadata:
                  {{- toYaml . | nindent 18 }}
                {{- end }}
              {{- end }}
            {{- end }}
    gateway:
      server:
        webflux:
          {{- with .Values.gateway.httpclient }}
          httpclient:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          routes:
            {{- range $id, $service := .Values.gateway.services }}
            - id: {{ $id | quote }}
              uri: {{ printf "lb://%s" $id | quote }}
              predicates:
                {{- toYaml $service.predicates | nindent 16 }}
              {{- with $service.filters }}
              filters:
                {{- toYaml . | nindent 16 }}
              {{- end }}
            {{- end }}
affinity:
  {{- with .Values.gateway.cookie }}
  cookie:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- $sticky := dict }}
  {{- range $id, $service := .Values.gateway.services }}
  {{- if $service.affinity }}
  {{- $_ := set $sticky $id $service.affinity }}
  {{- end }}
  {{- end }}
  {{- with $sticky }}
  services:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}

{{/*
The base above, deep-merged with gateway.extraConfig (which wins), as one YAML document.
*/}}
{{- define "affinity-gateway.applicationYaml" -}}
{{- $base := include "affinity-gateway.baseApplicationYaml" . | fromYaml -}}
{{- toYaml (mustMergeOverwrite $base (deepCopy .Values.gateway.extraConfig)) -}}
{{- end }}
