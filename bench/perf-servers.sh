# The JVM configurations and the servers of bench/perf.sh (sourced, not run): each config's Java and
# options, the stock gateway beside ours, and stopping both. Uses bench/lib.sh and bench/phases.sh.
# shellcheck shell=bash
# shellcheck disable=SC2034 # upper-case results are read by the other perf-*.sh files

gc_flag() { # GC name -> JVM flag (empty for the JVM's own choice)
  case "$1" in
    default) echo "" ;;
    G1) echo "-XX:+UseG1GC" ;;
    Serial) echo "-XX:+UseSerialGC" ;;
    Parallel) echo "-XX:+UseParallelGC" ;;
    *) return 1 ;;
  esac
}

java_major() { # JAVA_HOME -> 17, 25, ...
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null || echo unknown
}

config_name() { echo "java$(java_major "${1%%|*}")-${1#*|}"; }

config_java_opts() { # every config gets one CPU, the same heap and the same extra options, both gateways
  local modern=""
  # Netty (4.2) stops using sun.misc.Unsafe on Java 25+ unless the JVM allows it, and falls back to
  # slower buffer code: measured here, both gateways lost about a third of their throughput.
  if [[ "$(java_major "${1%%|*}")" =~ ^[0-9]+$ ]] && (( $(java_major "${1%%|*}") >= 24 )); then
    modern="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
  fi
  echo "$GATEWAY_HEAP -XX:ActiveProcessorCount=1 $(gc_flag "${1#*|}") $modern" | tr -s ' ' | sed 's/ $//'
}

bench_project_jar() { # DIR ARTIFACT WHAT -> the jar of a Maven project under bench/, built when missing or older than its sources
  local dir="$1" jar
  jar="$(find "$dir/target" -maxdepth 1 -name "$2-*.jar" 2>/dev/null | head -1)"
  if [[ -z "$jar" || -n "$(find "$dir/pom.xml" "$dir/src" -newer "$jar" -print -quit 2>/dev/null)" ]]; then
    log "building $3 (${dir#"$ROOT"/})"
    (cd "$ROOT" && timeout 900 ./mvnw -B -q -f "$dir/pom.xml" -DskipTests package) >&2
    jar="$(find "$dir/target" -maxdepth 1 -name "$2-*.jar" | head -1)"
  fi
  echo "$jar"
}

resolve_stock_jar() { # STOCK_SOURCE_JAR: stock Spring Cloud Gateway (bench/stock-gateway), built when missing
  STOCK_SOURCE_JAR="$(bench_project_jar "$BENCH/stock-gateway" stock-gateway "stock Spring Cloud Gateway")"
  [[ -f "$STOCK_SOURCE_JAR" ]] || die "no stock gateway jar"
}

start_stock() { # the stock gateway, same JVM and options as ours, on the same CPU, alongside it
  STOCK_JAR="$CONFIG_DIR/$(basename "$STOCK_SOURCE_JAR")"
  cp "$STOCK_SOURCE_JAR" "$STOCK_JAR"
  log "starting stock Spring Cloud Gateway on $STOCK_PORT (CPU $SERVER_CPU): $GATEWAY_JAVA_OPTS ${STOCK_ARGS:-}"
  # shellcheck disable=SC2086 # GATEWAY_JAVA_OPTS and STOCK_ARGS are word lists
  start "$CONFIG_DIR/stock-gateway.log" "$GATEWAY_JAVA" $GATEWAY_JAVA_OPTS -jar "$STOCK_JAR" \
    --spring.config.additional-location="file:$BENCH/stock-gateway.yml" ${STOCK_ARGS:-}
  STOCK_PID=${STARTED_PIDS[-1]}
  if ! wait_200 "http://$HOST:$STOCK_PORT/stock/" "$STARTUP_TIMEOUT"; then tail -50 "$CONFIG_DIR/stock-gateway.log" >&2; exit 1; fi
}

stop_jvm() { # PID
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  forget_pid "$1"
}

stop_gateways() {
  stop_jvm "$GATEWAY_PID"
  stop_jvm "$STOCK_PID"
  rm -f "$JAR" "$STOCK_JAR"
  JAR=""
}

