{{- define "jianyi.fullname" -}}{{ .Release.Name }}-jianyi{{- end -}}
{{- define "jianyi.labels" -}}
app.kubernetes.io/name: jianyi
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}
{{- define "jianyi.selector" -}}
app.kubernetes.io/name: jianyi
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* The environment every process shares: the ConfigMap, the secrets by key, the certificate paths. */}}
{{- define "jianyi.env" -}}
- name: JIANYI_HTTP_HOST
  value: 0.0.0.0
- name: JIANYI_OPS_HOST
  value: 0.0.0.0
{{- range $k, $v := .Values.secretKeys }}
- name: {{ $v }}
  valueFrom:
    secretKeyRef:
      name: {{ $.Values.existingSecret }}
      key: {{ $v }}
      optional: {{ not (has $k (list "databaseUrl" "secretKey")) }}
{{- end }}
{{- if .Values.tls.temporalSecret }}
- name: JIANYI_TEMPORAL_TLS_CERT
  value: /etc/jianyi/temporal/tls.crt
- name: JIANYI_TEMPORAL_TLS_KEY
  value: /etc/jianyi/temporal/tls.key
{{- end }}
{{- if .Values.tls.kafkaCaSecret }}
- name: JIANYI_KAFKA_TLS_CA
  value: /etc/jianyi/kafka/ca.crt
{{- end }}
{{- if .Values.tls.postgresCaSecret }}
- name: JIANYI_PG_SSL_CA
  value: /etc/jianyi/postgres/ca.crt
{{- end }}
{{- end -}}

{{- define "jianyi.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.tls.temporalSecret }}
- name: temporal-tls
  mountPath: /etc/jianyi/temporal
  readOnly: true
{{- end }}
{{- if .Values.tls.kafkaCaSecret }}
- name: kafka-ca
  mountPath: /etc/jianyi/kafka
  readOnly: true
{{- end }}
{{- if .Values.tls.postgresCaSecret }}
- name: postgres-ca
  mountPath: /etc/jianyi/postgres
  readOnly: true
{{- end }}
{{- end -}}

{{- define "jianyi.volumes" -}}
- name: tmp
  emptyDir: {}
{{- if .Values.tls.temporalSecret }}
- name: temporal-tls
  secret:
    secretName: {{ .Values.tls.temporalSecret }}
{{- end }}
{{- if .Values.tls.kafkaCaSecret }}
- name: kafka-ca
  secret:
    secretName: {{ .Values.tls.kafkaCaSecret }}
{{- end }}
{{- if .Values.tls.postgresCaSecret }}
- name: postgres-ca
  secret:
    secretName: {{ .Values.tls.postgresCaSecret }}
{{- end }}
{{- end -}}
