#!/usr/bin/env bash
# Real HiveServer2 4.0.1 instances for the proofs of issue 22 (run.sh, and the Node client that kills
# and restarts one). Each instance: HTTP transport on its own port, path /cliservice, authentication
# NONE, its own embedded Derby metastore and warehouse under $HIVE_WORK/<name>, fs.defaultFS=file:///.
#   hs2.sh classpath          resolve HiveServer2's classpath (bench/hive/pom.xml) into $HIVE_WORK
#   hs2.sh start NAME PORT    start one instance in the background (pid in $HIVE_WORK/NAME/pid)
#   hs2.sh wait PORT [SECS]   until it answers HTTP (401 without credentials), default 180 s
#   hs2.sh kill NAME          SIGKILL it (a crash: its sessions are gone); kill-port PORT: the one on PORT
#   hs2.sh stop NAME          SIGTERM it and wait
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
HIVE_WORK="${HIVE_WORK:-$ROOT/target/hive-proof}"
CP_FILE="$HIVE_WORK/hs2-classpath.txt"

classpath() {
  mkdir -p "$HIVE_WORK"
  if [[ ! -s "$CP_FILE" || "$HERE/pom.xml" -nt "$CP_FILE" ]]; then
    "$ROOT/mvnw" -B -q -f "$HERE/pom.xml" dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >&2
  fi
  # the shaded hadoop-client-api must not be there: its Configuration breaks startup
  if tr ':' '\n' < "$CP_FILE" | grep -q 'hadoop-client-api'; then
    echo "hadoop-client-api on HiveServer2's classpath: exclude it in $HERE/pom.xml" >&2; exit 1
  fi
}

start() {
  local name="$1" port="$2" dir="$HIVE_WORK/$1"
  [[ -s "$CP_FILE" ]] || classpath
  mkdir -p "$dir/tmp"
  # Java 17: Hive and Hadoop reflect into these packages.
  local opens=() pkg
  for pkg in java.base/java.lang java.base/java.lang.reflect java.base/java.lang.invoke java.base/java.io \
             java.base/java.net java.base/java.nio java.base/java.util java.base/java.util.concurrent \
             java.base/java.util.regex java.base/java.text java.base/sun.nio.ch java.sql/java.sql; do
    opens+=("--add-opens=$pkg=ALL-UNNAMED")
  done
  local conf=(
    hive.server2.transport.mode=http
    hive.server2.thrift.http.port="$port"
    hive.server2.thrift.http.path=cliservice
    hive.server2.authentication=NONE
    hive.server2.enable.doAs=false
    hive.server2.webui.port=0
    fs.defaultFS=file:///
    "javax.jdo.option.ConnectionURL=jdbc:derby:;databaseName=$dir/metastore_db;create=true"
    hive.metastore.schema.verification=false
    datanucleus.schema.autoCreateAll=true
    hive.metastore.warehouse.dir="$dir/warehouse"
    hive.exec.scratchdir="$dir/scratch"
    hive.exec.local.scratchdir="$dir/localscratch"
    hive.downloaded.resources.dir="$dir/resources"
    hive.querylog.location="$dir/querylog"
    hive.server2.logging.operation.log.location="$dir/oplog"
    hive.execution.engine=mr
    hive.stats.autogather=false
    hive.server2.active.passive.ha.enable=false
  )
  local args=() kv
  for kv in "${conf[@]}"; do args+=(--hiveconf "$kv"); done
  # setsid: a kill of the proof's shell (Ctrl-C) does not reach it; run.sh stops it by its pid
  setsid java -Xmx512m -XX:+UseSerialGC "${opens[@]}" -Dderby.system.home="$dir" -Djava.io.tmpdir="$dir/tmp" \
    -cp "$(cat "$CP_FILE")" org.apache.hive.service.server.HiveServer2 "${args[@]}" \
    > "$dir/out.log" 2>&1 < /dev/null &
  echo $! > "$dir/pid"
  echo "$port" > "$dir/port"
}

kill_port() { # PORT: SIGKILL the instance started on PORT
  local dir
  for dir in "$HIVE_WORK"/*/; do
    [[ "$(cat "$dir/port" 2> /dev/null)" == "$1" ]] && signal KILL "$(basename "$dir")"
  done
  return 0
}

wait_up() {
  local port="$1" deadline=$((SECONDS + ${2:-180})) code
  while ((SECONDS < deadline)); do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/cliservice" || true)"
    [[ "$code" != 000 ]] && return 0
    sleep 0.5
  done
  echo "HiveServer2 on port $port did not answer within ${2:-180}s (see $HIVE_WORK/*/out.log)" >&2
  return 1
}

signal() { # SIGNAL NAME: the instance's own pid only, then wait until it is gone
  local pid_file="$HIVE_WORK/$2/pid" pid
  [[ -s "$pid_file" ]] || return 0
  pid="$(cat "$pid_file")"
  kill "-$1" "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pid_file"
}

case "${1:-}" in
  classpath) classpath ;;
  start) start "$2" "$3" ;;
  wait) wait_up "$2" "${3:-180}" ;;
  kill) signal KILL "$2" ;;
  kill-port) kill_port "$2" ;;
  stop) signal TERM "$2" ;;
  *) sed -n '2,10p' "$0" >&2; exit 2 ;;
esac
