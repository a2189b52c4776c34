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
A secret value generated once and kept across upgrades: the value already in the cluster (lookup),
else, on a first install only, a new random one. Never a new random value on an upgrade: there an
empty lookup means the renderer cannot see the cluster (helm template, --dry-run, Argo CD, Flux),
and a new key would silently move every client, so rendering fails with what to set instead.
Memoized per render, so the Secret and the checksum/secret annotation see the same value.
Arguments: (list $ secretName key length hint). Base64, as Secret data holds it.
*/}}
{{- define "affinity-gateway.keptRandom" -}}
{{- $root := index . 0 -}}
{{- $secretName := index . 1 -}}
{{- $key := index . 2 -}}
{{- $length := index . 3 -}}
{{- $hint := index . 4 -}}
{{- $cacheKey := printf "%s/%s" $secretName $key -}}
{{- $cache := $root.Values.__keptRandom | default dict -}}
{{- if not (hasKey $cache $cacheKey) -}}
{{- $existing := lookup "v1" "Secret" $root.Release.Namespace $secretName -}}
{{- if and $existing $existing.data (hasKey $existing.data $key) -}}
{{- $_ := set $cache $cacheKey (dict "value" (index $existing.data $key) "generated" false) -}}
{{- else if $root.Release.IsUpgrade -}}
{{- fail (printf "refusing to generate a new %s on an upgrade: Secret %s (key %s) cannot be read from namespace %s. Either this renderer has no cluster access (helm template, --dry-run without =server, Argo CD, Flux) or the Secret was deleted. A new random value would silently replace the one in use%s. Set %s (see docs/KUBERNETES.md, \"GitOps\")." $hint $secretName $key $root.Release.Namespace (ternary " and every client would lose its instance" "" (eq $hint "cookie key")) (ternary "cookieSecret.existingSecret, or cookieSecret.value to set or rotate the key deliberately" "actuator.existingSecret" (eq $hint "cookie key"))) -}}
{{- else -}}
{{- $_ := set $cache $cacheKey (dict "value" (randAlphaNum $length | b64enc) "generated" true) -}}
{{- end -}}
{{- $_ := set $root.Values "__keptRandom" $cache -}}
{{- end -}}
{{- index (index $cache $cacheKey) "value" -}}
{{- end }}

{{/*
Whether the chart renders the cookie Secret itself (no existingSecret). In GitOps mode it then
needs cookieSecret.value: a generated key would change on every render.
*/}}
{{- define "affinity-gateway.ownsCookieSecret" -}}
{{- if not .Values.cookieSecret.existingSecret -}}
{{- if and .Values.gitops (not .Values.cookieSecret.value) -}}
{{- fail "gitops: true: the cookie key must not be generated by the chart (each render would make a new one and move every client). Set cookieSecret.existingSecret to a Secret you manage (Sealed Secrets, External Secrets, SOPS) or cookieSecret.value; see docs/KUBERNETES.md, \"GitOps\"." -}}
{{- end -}}
true
{{- end -}}
{{- end }}

{{/*
Whether Actuator writes get a password: from actuator.existingSecret, or one the chart generates
(not in GitOps mode, where writes are then disabled rather than given a password per render).
*/}}
{{- define "affinity-gateway.actuatorPassword" -}}
{{- if or .Values.actuator.existingSecret (not .Values.gitops) -}}
true
{{- end -}}
{{- end }}

{{/*
The data of the cookie Secret the chart renders (also hashed into checksum/secret).
*/}}
{{- define "affinity-gateway.cookieSecretData" -}}
{{- $name := include "affinity-gateway.cookieSecretName" . -}}
{{- if .Values.cookieSecret.value -}}
{{ .Values.cookieSecret.secretKey }}: {{ .Values.cookieSecret.value | b64enc | quote }}
{{- else -}}
{{ .Values.cookieSecret.secretKey }}: {{ include "affinity-gateway.keptRandom" (list . $name .Values.cookieSecret.secretKey 48 "cookie key") | quote }}
{{- end }}
{{ .Values.cookieSecret.previousSecretsKey }}: {{ join "," .Values.cookieSecret.previousSecrets | b64enc | quote }}
{{- end }}

{{/*
The data of the Actuator password Secret the chart renders (also hashed into checksum/secret).
*/}}
{{- define "affinity-gateway.actuatorSecretData" -}}
{{ .Values.actuator.passwordKey }}: {{ include "affinity-gateway.keptRandom" (list . (include "affinity-gateway.actuatorSecretName" .) .Values.actuator.passwordKey 24 "Actuator password") | quote }}
{{- end }}

{{/*
checksum/secret: a hash of the Secrets' content, so a new or rotated key rolls the pods. Our own
Secrets are hashed as rendered; a Secret you manage (existingSecret) as the cluster holds it when
the renderer can read it (helm install/upgrade), else only by name (GitOps: roll the pods yourself
or with a reloader when you rotate it).
*/}}
{{- define "affinity-gateway.secretChecksum" -}}
{{- $parts := list -}}
{{- if include "affinity-gateway.ownsCookieSecret" . -}}
{{- $parts = append $parts (include "affinity-gateway.cookieSecretData" .) -}}
{{- else -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace .Values.cookieSecret.existingSecret -}}
{{- $parts = append $parts (printf "%s=%s" .Values.cookieSecret.existingSecret (toJson (($existing).data | default dict))) -}}
{{- end -}}
{{- if .Values.actuator.existingSecret -}}
{{- $existing := lookup "v1" "Secret" .Release.Namespace .Values.actuator.existingSecret -}}
{{- $parts = append $parts (printf "%s=%s" .Values.actuator.existingSecret (toJson (($existing).data | default dict))) -}}
{{- else if include "affinity-gateway.actuatorPassword" . -}}
{{- $parts = append $parts (include "affinity-gateway.actuatorSecretData" .) -}}
{{- end -}}
{{- join "\n" $parts | sha256sum -}}
{{- end }}

{{/*
The application.yml the gateway reads, rendered from values (the cookie secret is not in it: it
comes from the Secret through the AFFINITY_COOKIE_SECRET environment variable).
*/}}
{{- define "affinity-gateway.baseApplicationYaml" -}}
{{- $k8s := .Values.discovery.kubernetes -}}
{{- $static := dict -}}
{{- $fromKubernetes := dict -}}
{{- range $id, $service := .Values.gateway.services -}}
{{- if and $service.instances $service.kubernetes -}}
{{- fail (printf "gateway.services.%s: set either instances or kubernetes, not both" $id) -}}
{{- end -}}
{{- if $service.kubernetes -}}
{{- if not $k8s.enabled -}}
{{- fail (printf "gateway.services.%s.kubernetes needs discovery.kubernetes.enabled=true" $id) -}}
{{- end -}}
{{- $mapping := dict "service-name" $service.kubernetes.service -}}
{{- with $service.kubernetes.port -}}
{{- $_ := set $mapping "port-name" . -}}
{{- end -}}
{{- $_ := set $fromKubernetes $id $mapping -}}
{{- else -}}
{{- $list := list -}}
{{- range $service.instances -}}
{{- $instance := dict "uri" .uri -}}
{{- with .id }}{{ $_ := set $instance "instance-id" . }}{{ end -}}
{{- with .metadata }}{{ $_ := set $instance "metadata" . }}{{ end -}}
{{- $list = append $list $instance -}}
{{- end -}}
{{- $_ := set $static $id $list -}}
{{- end -}}
{{- end -}}
server:
  port: 8080
  shutdown: graceful
management:
  server:
    port: 8081
  {{- with .Values.tracing.otlpEndpoint }}
  opentelemetry:
    tracing:
      export:
        otlp:
          endpoint: {{ . | quote }}
  tracing:
    sampling:
      probability: {{ $.Values.tracing.samplingProbability }}
  metrics:
    distribution:
      percentiles-histogram:
        # buckets of each attempt's latency: Prometheus keeps their trace exemplars (the dashboard's link)
        "[http.client.requests]": true
  {{- end }}
spring:
  lifecycle:
    timeout-per-shutdown-phase: {{ .Values.shutdownTimeout | quote }}
  cloud:
    {{- with $static }}
    discovery:
      client:
        simple:
          instances:
            {{- toYaml . | nindent 12 }}
    {{- end }}
    {{- if $k8s.enabled }}
    kubernetes:
      client:
        namespace: {{ .Release.Namespace | quote }}
      discovery:
        enabled: true
        {{- with $k8s.namespaces }}
        namespaces:
          {{- toYaml . | nindent 10 }}
        {{- end }}
        {{- if $k8s.allNamespaces }}
        all-namespaces: true
        {{- end }}
        {{- with $fromKubernetes }}
        services:
          {{- toYaml . | nindent 10 }}
        {{- end }}
    loadbalancer:
      cache:
        # Affinity services follow discovery directly; this keeps routes without affinity (Spring
        # Cloud LoadBalancer's own round-robin) from using a copy of the pod list cached for 35 s.
        enabled: false
    {{- end }}
    gateway:
      server:
        webflux:
          {{- with .Values.gateway.httpclient }}
          httpclient:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          {{- with .Values.gateway.services }}
          routes:
            {{- range $id, $service := . }}
            - id: {{ $id | quote }}
              uri: {{ printf "lb://%s" $id | quote }}
              predicates:
                {{- toYaml $service.predicates | nindent 16 }}
              {{- with $service.filters }}
              filters:
                {{- toYaml . | nindent 16 }}
              {{- end }}
            {{- end }}
          {{- end }}
affinity:
  {{- if .Values.accessLog.enabled }}
  access-log:
    enabled: true
  {{- end }}
  {{- with .Values.gateway.cookie }}
  cookie:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- $sticky := dict }}
  {{- range $id, $service := .Values.gateway.services }}
  {{- if hasKey $service "affinity" }}
  {{- /* affinity: {} means every default; an empty map would not reach Spring at all */ -}}
  {{- $_ := set $sticky $id (default (dict "mode" "sticky") $service.affinity) }}
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
