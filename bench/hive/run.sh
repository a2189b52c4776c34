#!/usr/bin/env bash
# Real-client proofs of issue 22 against three real HiveServer2 4.0.1 instances (docs/HIVE-PROOF.md).
#   bench/hive/run.sh [all|appending|cookieless]     default: all
# appending  (proof A) Node.js hive-driver 1.0.0, which appends every Set-Cookie, through the gateway;
#            one HiveServer2 killed and restarted (node/appending-client.js)
# cookieless (proof B) Hive JDBC 4.0.1 standalone behind HAProxy that deletes Set-Cookie: balancer hash
#            on the Basic user keeps every session; round robin breaks them (CookielessSessions.java)
# Needs java 17, node/npm, /usr/sbin/haproxy (proof B), Maven Central and the npm registry once.
# Uses target/affinity-gateway-*.jar (built when missing or older than src/main). Ports: 20101-20103 (HiveServer2),
# 18280/18281 (gateway), 18290 (HAProxy). Work files and logs: $HIVE_WORK (target/hive-proof).
# Knobs: CLIENTS, STATEMENTS (proof A), SESSIONS, ROUNDS (proof B); GATEWAY_JAR (another build, e.g. an
# older version to see proof A fail), GATEWAY_CONFIG (another gateway.yml). Exits non-zero when a proof fails.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export HIVE_WORK="${HIVE_WORK:-$ROOT/target/hive-proof}"
WHAT="${1:-all}"
HS2="$HERE/hs2.sh"
INSTANCES=(hs2-1:20101 hs2-2:20102 hs2-3:20103)
JDBC_JAR="$HIVE_WORK/hive-jdbc-4.0.1-standalone.jar"
STARTED=()

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

cleanup() {
  local status=$? pid
  trap - EXIT
  for pid in "${STARTED[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for entry in "${INSTANCES[@]}"; do bash "$HS2" stop "${entry%%:*}" || true; done
  for pid in "${STARTED[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

setup() {
  mkdir -p "$HIVE_WORK"
  bash "$HS2" classpath
  if [[ ! -s "$JDBC_JAR" ]]; then
    "$ROOT/mvnw" -B -q dependency:copy -Dartifact=org.apache.hive:hive-jdbc:4.0.1:jar:standalone \
      -DoutputDirectory="$HIVE_WORK" >&2
  fi
  [[ -d "$HERE/node/node_modules/hive-driver" ]] || (cd "$HERE/node" && npm ci --no-audit --no-fund >&2)
  local jar
  jar="$(ls "$ROOT"/target/affinity-gateway-*.jar 2> /dev/null | head -1 || true)"
  if [[ -z "${GATEWAY_JAR:-}" ]] && [[ -z "$jar" || -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$jar" | head -1)" ]]; then
    log "building the gateway jar (missing or older than src/main)"
    (cd "$ROOT" && ./mvnw -B -q -DskipTests -Dspotless.check.skip=true package >&2)
  fi
  # a private copy: a rebuild during the run does not pull the jar from under the gateway
  cp "${GATEWAY_JAR:-$(ls "$ROOT"/target/affinity-gateway-*.jar | head -1)}" "$HIVE_WORK/gateway.jar"
}

start_all() {
  local entry port
  for port in 20101 20102 20103 18280 18281 18290; do port_free "$port" || { log "port $port is in use"; exit 1; }; done
  log "starting HiveServer2 ${INSTANCES[*]} and the gateway"
  for entry in "${INSTANCES[@]}"; do bash "$HS2" start "${entry%%:*}" "${entry##*:}"; done
  java -Xmx256m -jar "$HIVE_WORK/gateway.jar" --spring.config.additional-location="file:${GATEWAY_CONFIG:-$HERE/gateway.yml}" \
    > "$HIVE_WORK/gateway.log" 2>&1 < /dev/null &
  local gateway=$!
  STARTED+=("$gateway")
  for entry in "${INSTANCES[@]}"; do bash "$HS2" wait "${entry##*:}"; done
  local deadline=$((SECONDS + 120))
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18281/actuator/health || true)" == 200 ]]; do
    ((SECONDS < deadline)) && kill -0 "$gateway" 2> /dev/null || { log "gateway not up; see $HIVE_WORK/gateway.log"; exit 1; }
    sleep 0.5
  done
  log "all up after ${SECONDS}s"
}

appending() {
  log "proof A: the appending client (hive-driver)"
  node "$HERE/node/appending-client.js" 2>&1 | tee "$HIVE_WORK/proof-a.txt"
}

jdbc() { # PATH EXPECT [PORT [COMMAND]]: proof B's client through HAProxy (port 18290) or the gateway
  local url="jdbc:hive2://127.0.0.1:${3:-18290}/default;transportMode=http;httpPath=$1"
  java -cp "$JDBC_JAR" "$HERE/CookielessSessions.java" "$url" "${SESSIONS:-9}" "${ROUNDS:-10}" "$2" "${4:-}" 2>&1 \
    | grep -v -E '^(SLF4J|log4j):' | tee -a "$HIVE_WORK/proof-b.txt"
}

cookieless() {
  log "proof B: Hive JDBC behind HAProxy that deletes Set-Cookie"
  /usr/sbin/haproxy -db -f "$HERE/haproxy.cfg" > "$HIVE_WORK/haproxy.log" 2>&1 < /dev/null &
  STARTED+=($!)
  until ! port_free 18290; do sleep 0.2; done
  : > "$HIVE_WORK/proof-b.txt"
  local direct proxied
  direct="$(curl -s -D - -o /dev/null -u u:x -X POST http://127.0.0.1:18280/hash/cliservice | grep -ci '^set-cookie' || true)"
  proxied="$(curl -s -D - -o /dev/null -u u:x -X POST http://127.0.0.1:18290/hash/cliservice | grep -ci '^set-cookie' || true)"
  echo "Set-Cookie headers on one request: $direct from the gateway, $proxied through HAProxy" | tee -a "$HIVE_WORK/proof-b.txt"
  [[ "$direct" -ge 1 && "$proxied" -eq 0 ]] || { log "HAProxy does not strip Set-Cookie"; exit 1; }
  echo "== B1 balancer hash, hash-on basic-user, through HAProxy (expect: kept)" | tee -a "$HIVE_WORK/proof-b.txt"
  jdbc hash/cliservice kept
  echo "== B2 round robin, through HAProxy (control, expect: broken)" | tee -a "$HIVE_WORK/proof-b.txt"
  jdbc rr/cliservice broken
  echo "== B3 round robin, straight to the gateway: the driver keeps the cookie (expect: kept)" | tee -a "$HIVE_WORK/proof-b.txt"
  jdbc rr/cliservice kept 18280
  echo "== B4 balancer hash through HAProxy; one HiveServer2 killed half-way (expect: the others' sessions stay)" | tee -a "$HIVE_WORK/proof-b.txt"
  jdbc hash/cliservice survivors 18290 "bash '$HS2' kill-port {port}"
}

setup
start_all
case "$WHAT" in
  all) appending; cookieless ;;
  appending) appending ;;
  cookieless) cookieless ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
log "done in ${SECONDS}s; outputs in $HIVE_WORK/proof-*.txt"
