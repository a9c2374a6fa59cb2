{{/* Chart name, overridable with nameOverride. */}}
{{- define "akka-pipeline.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full resource name: release-chart, or fullnameOverride; at most 63 characters (DNS label). */}}
{{- define "akka-pipeline.fullname" -}}
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

{{/* Labels that pick this release's pods: used by Services, the PDB, anti-affinity and Akka discovery. */}}
{{- define "akka-pipeline.selectorLabels" -}}
app.kubernetes.io/name: {{ include "akka-pipeline.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The same labels as a Kubernetes label selector string, for Akka.Discovery.KubernetesApi. */}}
{{- define "akka-pipeline.podLabelSelector" -}}
{{- printf "app.kubernetes.io/name=%s,app.kubernetes.io/instance=%s" (include "akka-pipeline.name" .) .Release.Name }}
{{- end }}

{{/* Labels on every resource. */}}
{{- define "akka-pipeline.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "akka-pipeline.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The ServiceAccount the pods run as. */}}
{{- define "akka-pipeline.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "akka-pipeline.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Name of the headless Service that gives pods their cluster-internal DNS names. */}}
{{- define "akka-pipeline.headlessName" -}}
{{- printf "%s-cluster" (include "akka-pipeline.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of the Secret the chart creates for secrets given as values (trials only). */}}
{{- define "akka-pipeline.generatedSecretName" -}}
{{- printf "%s-secrets" (include "akka-pipeline.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Seconds of a HOCON duration such as "30s", "2m", "1500ms" or "1h" (rounded up), so the grace period
can be checked against the drain deadline at render time.
*/}}
{{- define "akka-pipeline.durationSeconds" -}}
{{- $d := toString . | trim }}
{{- if regexMatch "^[0-9]+ ?(ms|millis|milliseconds)$" $d }}
{{- $ms := regexFind "^[0-9]+" $d | atoi }}
{{- div (add $ms 999) 1000 }}
{{- else if regexMatch "^[0-9]+ ?(s|second|seconds)?$" $d }}
{{- regexFind "^[0-9]+" $d | atoi }}
{{- else if regexMatch "^[0-9]+ ?(m|minute|minutes)$" $d }}
{{- mul (regexFind "^[0-9]+" $d | atoi) 60 }}
{{- else if regexMatch "^[0-9]+ ?(h|hour|hours)$" $d }}
{{- mul (regexFind "^[0-9]+" $d | atoi) 3600 }}
{{- else }}
{{- fail (printf "pipeline.shutdownTimeout %q is not a duration the chart understands; use a whole number with ms, s, m or h, e.g. 30s" $d) }}
{{- end }}
{{- end }}

{{/*
One HOCON assignment per entry of a map, one per line: `prefix.key = value`. Values are written as
JSON, which is valid HOCON for strings, numbers, booleans, lists and maps.
*/}}
{{- define "akka-pipeline.hoconAssignments" -}}
{{- $prefix := .prefix }}
{{- $lines := list }}
{{- range $key, $value := .entries }}
{{- $path := ternary (printf "%s.%s" $prefix $key) $key (ne $prefix "") }}
{{- $lines = append $lines (printf "%s = %s" $path (toJson $value)) }}
{{- end }}
{{- join "\n" $lines }}
{{- end }}
