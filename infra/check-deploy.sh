#!/usr/bin/env bash
# Checks the deployment descriptions (run by ./dev test with the static checks; tools from infra/install.sh):
#   - the Helm chart infra/helm/jianyi: `helm lint --strict`, then `helm template` (default values, and
#     with every optional part on) validated by kubeconform -strict against the Kubernetes $K8S_VERSION
#     JSON schemas, offline (standalone schemas built from the kubernetes-validate package);
#   - the systemd units infra/systemd/*: `systemd-analyze verify` (skipped, and said, where it is missing).
set -euo pipefail
source "$(dirname "$0")/env.sh"
chart="$JIANYI_ROOT/infra/helm/jianyi"
bash "$JIANYI_ROOT/infra/install.sh" deploy-tools
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

"$HELM_BIN" lint --strict "$chart" >"$out/lint.log" 2>&1 || { cat "$out/lint.log"; fail helm "helm lint"; }
log helm "lint passed"
full=(--set ingress.enabled=true --set ingress.tlsSecret=jianyi-tls --set tls.temporalSecret=temporal-client
  --set tls.kafkaCaSecret=kafka-ca --set tls.postgresCaSecret=postgres-ca --set services.api.autoscaling.enabled=false)
for variant in default full; do
  args=(); [ $variant = full ] && args=("${full[@]}")
  "$HELM_BIN" template jianyi "$chart" --namespace jianyi --kube-version "$K8S_VERSION" "${args[@]}" >"$out/$variant.yaml" 2>"$out/template.log" ||
    { cat "$out/template.log"; fail helm "helm template ($variant values)"; }
  "$KUBECONFORM_BIN" -strict -summary -kubernetes-version "$K8S_VERSION" \
    -schema-location "$K8S_SCHEMAS/{{.ResourceKind}}{{.KindSuffix}}.json" "$out/$variant.yaml" ||
    fail kubeconform "the chart's manifests ($variant values) do not validate"
done

if command -v systemd-analyze >/dev/null; then
  (cd "$JIANYI_ROOT/infra/systemd" && systemd-analyze verify --man=no ./*.service ./*.target) ||
    fail systemd "systemd-analyze verify infra/systemd"
  log systemd "units verified"
else
  log systemd "systemd-analyze not installed: units not verified"
fi
