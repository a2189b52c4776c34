# The steps and summary of bench/perf.sh (sourced, not run). Uses bench/lib.sh and bench/phases.sh
# (start_backends, resolve_jar, start_gateway, warm_up, run_wrk, parse_wrk, median, ratio).
# shellcheck shell=bash
# shellcheck disable=SC2034 # upper-case results are read by the summary

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
  echo "$GATEWAY_HEAP -XX:ActiveProcessorCount=1 $(gc_flag "${1#*|}") $modern $GATEWAY_EXTRA_OPTS" | tr -s ' ' | sed 's/ $//'
}

ensure_loadgen() { # compiles ConstantRate (Maven profile jmh) when missing or older than its sources
  local class="$LOADGEN_CLASSES/${LOADGEN_CLASS//.//}.class"
  if [[ ! -f "$class" || -n "$(find "$ROOT/src/jmh/java/dev/affinity/gateway/bench" -newer "$class" -print -quit)" ]]; then
    log "building the load generator (./mvnw -Pjmh package)"
    (cd "$ROOT" && timeout 900 ./mvnw -B -q -Pjmh -DskipTests -Dspotless.check.skip=true package)
  fi
  LOADGEN_CP="$ROOT/target/jmh/test-classes:$ROOT/target/jmh/classes:$(cat "$ROOT/target/jmh/jmh-classpath.txt")"
}

# ConstantRate on the load CPU, never failing the run. One JVM measures every fixed-rate run of a config:
# it first loads nginx directly for RATE_GEN_WARMUP s (its own JIT: a cold client on one CPU falls
# seconds behind the schedule and that backlog would count as gateway latency), then the targets.
run_cr() { # OUTFILE RATE SECONDS ROUNDS RUN_SPEC...   (RUN_SPEC: 'label|url|cookie|hgrm', see ConstantRate)
  local file="$1" rate="$2" secs="$3" rounds="$4" spec
  shift 4
  local args=(--url "http://$HOST:${BACKEND_PORTS[0]}/" --generator-warmup "$RATE_GEN_WARMUP" --rounds "$rounds"
              --rate "$rate" --duration "$secs" --warmup "$RATE_WARMUP" --connections "$RATE_CONNECTIONS")
  for spec in "$@"; do args+=(--run "$spec"); done
  # shellcheck disable=SC2086 # LOADGEN_OPTS is a word list
  timeout $(( RATE_GEN_WARMUP + rounds * $# * (secs + RATE_WARMUP + 15) + 60 )) taskset -c "$LOAD_CPU" "$LOADGEN_JAVA" $LOADGEN_OPTS \
    -cp "$LOADGEN_CP" "$LOADGEN_CLASS" "${args[@]}" > "$file" 2>&1 || log "ConstantRate exited $? ($file)"
}

cr_value() { # FILE LABEL KEY -> the KEY=value of ConstantRate's RESULT line for LABEL (0 if missing)
  grep "^RESULT .* label=$2\$" "$1" | head -1 | sed 's/^RESULT //' | tr ' ' '\n' \
    | awk -F= -v k="$3" '$1 == k { print $2; found = 1 } END { if (!found) print 0 }'
}

take_sticky_cookie() { # STICKY_COOKIE, checked: sending it back gets no new Set-Cookie
  local gateway="http://$HOST:$GATEWAY_PORT/sticky/"
  STICKY_COOKIE="$(set_cookie_value "$gateway" "$STICKY_COOKIE_NAME")"
  [[ -n "$STICKY_COOKIE" ]] || die "the gateway sent no $STICKY_COOKIE_NAME cookie"
  if curl -s --max-time 5 -D - -o /dev/null -H "Cookie: $STICKY_COOKIE_NAME=$STICKY_COOKIE" "$gateway" | grep -qi '^set-cookie'; then
    die "the sticky cookie is not honoured (the gateway re-issued it)"
  fi
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
  STOCK_SOURCE_JAR="${STOCK_GATEWAY_JAR:-$(bench_project_jar "$BENCH/stock-gateway" stock-gateway "stock Spring Cloud Gateway")}"
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

# Bytes allocated per request: JFR records every thread's allocation counter once a second while wrk
# saturates the scenario, first for ALLOC_SETTLE s (not counted: starting JFR deoptimizes compiled code,
# and until the JIT has recompiled it the gateway runs slower and allocates more, since interpreted and
# C1 code does no escape analysis), then for ALLOC_SECONDS. Over that second wrk run only: the sum of
# (last - first) over the threads sampled at least twice in it, divided by the requests served between
# those samples (its wrk requests/s x seconds between them). Counts every allocation of the JVM in that
# window, its background work included (next to nothing at WARN logging without scraping).
bytes_per_request() { # NAME URL COOKIE PID -> prints bytes/request
  local name="$1" url="$2" cookie="$3" pid="$4" jfr="$CONFIG_DIR/alloc-$1.jfr" file="$CONFIG_DIR/raw/alloc-$1.txt" rps from to
  timeout 60 "$JAVA_HOME_CFG/bin/jcmd" "$pid" JFR.start name=bench-alloc settings="$BENCH/alloc.jfc" filename="$jfr" > /dev/null
  run_wrk "$CONFIG_DIR/raw/alloc-$1-settle.txt" "$ALLOC_SETTLE" "$url" "$cookie"
  from="$(date +%s.%N)"
  run_wrk "$file" "$ALLOC_SECONDS" "$url" "$cookie"
  to="$(date +%s.%N)"
  timeout 60 "$JAVA_HOME_CFG/bin/jcmd" "$pid" JFR.stop name=bench-alloc > /dev/null
  read -r rps _ <<< "$(parse_wrk "$file")"
  timeout 120 "$JAVA_HOME_CFG/bin/jfr" print --json --events jdk.ThreadAllocationStatistics "$jfr" \
    | jq --argjson rate "$rps" --argjson from "$from" --argjson to "$to" -r '
        def ts: .values.startTime | capture("^(?<base>[^.Z+]+)(\\.(?<frac>[0-9]+))?") as $c
          | (($c.base + "Z") | fromdateiso8601) + (("0." + ($c.frac // "0")) | tonumber);
        [.recording.events[] | {t: ts, id: .values.thread.javaThreadId, a: .values.allocated}
          | select(.t >= $from and .t <= $to)] as $e
        | ($e | map(.t) | if length > 1 then max - min else 0 end) as $span
        | ($e | group_by(.id) | map(select(length > 1) | (max_by(.t).a - min_by(.t).a)) | add // 0) as $bytes
        | if $span > 0 and $rate > 0 then ($bytes / ($rate * $span) | floor) else "n/a" end'
}

profile_path() { # NAME URL COOKIE PID: CPU and allocation flame graphs under ConstantRate at FIXED_RATE_CFG
  local name="$1" url="$2" cookie="$3" pid="$4" dir="$PROFILE_DIR/$CONFIG/$1" cr_pid
  log "flame graphs of $name at $FIXED_RATE_CFG req/s -> $dir"
  run_cr "$CONFIG_DIR/raw/profile-load-$name.txt" "$FIXED_RATE_CFG" $((2 * PROFILE_SECONDS + 15)) 1 "$name|$url|$cookie|" &
  cr_pid=$!
  sleep $((RATE_GEN_WARMUP + RATE_WARMUP + 2))
  TITLE="$name, $CONFIG, $FIXED_RATE_CFG req/s" bash "$BENCH/profile.sh" "$pid" "$PROFILE_SECONDS" "$dir" \
    || log "profiling failed (see $dir/profiler.log)"
  wait "$cr_pid" || true
  # The text form (stack;frames weight) is megabytes: it stays with the run, the HTML goes to docs/.
  for f in "$dir"/*.collapsed; do [[ -f "$f" ]] && mv "$f" "$CONFIG_DIR/raw/$name-$(basename "$f")"; done
}

step_on() { [[ " $PERF_STEPS " == *" $1 "* ]]; } # STEP: is it in PERF_STEPS?

scenario_target() { # NAME -> "url|cookie" of that scenario in SCENARIOS (fails for an unknown name)
  local s
  for s in "${SCENARIOS[@]}"; do
    if [[ "${s%%|*}" == "$1" ]]; then echo "${s#*|}"; return 0; fi
  done
  log "unknown scenario '$1' (stock, plain, sticky, new)"
  return 1
}

scenario_pid() { # NAME -> the JVM that serves it
  if [[ "$1" == stock ]]; then echo "$STOCK_PID"; else echo "$GATEWAY_PID"; fi
}

measure_config() { # "JAVA_HOME|GC|on-or-off": both gateway JVMs, warmed up, then every measurement of this config
  local config_spec="${1%|*}" observability="${1##*|}" round s name label url cookie target file rps errors pid specs=()
  local switch="--spring.cloud.gateway.server.webflux.observability.enabled=$([[ "$observability" == on ]] && echo true || echo false)"
  CONFIG="$(config_name "$config_spec")-observability-$observability"
  GATEWAY_ARGS="${BASE_GATEWAY_ARGS:-} $switch" STOCK_ARGS="${BASE_STOCK_ARGS:-} $switch"
  JAVA_HOME_CFG="${config_spec%%|*}"
  CONFIG_DIR="$RUN_DIR/$CONFIG"
  OUT="$CONFIG_DIR" RAW="$CONFIG_DIR/raw"
  mkdir -p "$RAW"
  GATEWAY_JAVA="$JAVA_HOME_CFG/bin/java"
  GATEWAY_JAVA_OPTS="$(config_java_opts "$config_spec")"
  CONFIG_OPTS["$CONFIG"]="$GATEWAY_JAVA_OPTS"
  CONFIG_JAVA["$CONFIG"]="$("$GATEWAY_JAVA" -version 2>&1 | head -1)"
  CONFIG_ORDER+=("$CONFIG")
  log "=== $CONFIG: $GATEWAY_JAVA $GATEWAY_JAVA_OPTS"
  start_stock
  # OURS_EXTRA_OPTS: JVM options for our gateway only, to try a setting before making it a default in
  # the product; figures taken with it are not the issue's "same JVM flags" comparison (the summary says so).
  GATEWAY_JAVA_OPTS="$GATEWAY_JAVA_OPTS${OURS_EXTRA_OPTS:+ $OURS_EXTRA_OPTS}" start_gateway
  take_sticky_cookie
  # The first JFR recording in a JVM deoptimizes compiled code, and on one core the JIT takes more than
  # 30 s to recover: start and stop one in both JVMs now, so that the warm-up pays for it.
  if step_on alloc; then
    for pid in "$STOCK_PID" "$GATEWAY_PID"; do
      timeout 60 "$JAVA_HOME_CFG/bin/jcmd" "$pid" JFR.start name=bench-prime settings="$BENCH/alloc.jfc" > /dev/null
      timeout 60 "$JAVA_HOME_CFG/bin/jcmd" "$pid" JFR.stop name=bench-prime > /dev/null
    done
  fi
  SCENARIOS=(
    "direct|http://$HOST:${BACKEND_PORTS[0]}/|"
    "stock|http://$HOST:$STOCK_PORT/stock/|"
    "plain|http://$HOST:$GATEWAY_PORT/plain/|"
    "sticky|http://$HOST:$GATEWAY_PORT/sticky/|$STICKY_COOKIE_NAME=$STICKY_COOKIE"
    "new|http://$HOST:$GATEWAY_PORT/sticky/|"
  )
  WARMUP_INDEXES="1 2 3 4" warm_up
  CONFIG_WARM["$CONFIG"]="${WARM_ELAPSED}s, $( ((WARM_STABLE)) && echo stable || echo "NOT stable within $WARMUP_TOLERANCE")"
  CONFIG_WARM_TRACE["$CONFIG"]="$WARM_TRACE"
  for round in $(seq 1 "$PERF_ROUNDS"); do
    for s in "${SCENARIOS[@]:1}"; do
      IFS='|' read -r name url cookie <<< "$s"
      file="$RAW/sat-round$round-$name.txt"
      log "$CONFIG saturation round $round/$PERF_ROUNDS: $name (${SAT_DURATION}s)"
      run_wrk "$file" "$SAT_DURATION" "$url" "$cookie"
      read -r rps _ _ errors <<< "$(parse_wrk "$file")"
      SAT_RPS["$CONFIG:$name"]+="$rps "
      SAT_ERR["$CONFIG:$name"]=$(( ${SAT_ERR["$CONFIG:$name"]:-0} + errors ))
    done
  done
  # shellcheck disable=SC2086
  FIXED_RATE_CFG="${FIXED_RATE:-$(awk -v m="$(median ${SAT_RPS["$CONFIG:stock"]})" -v f="$RATE_FRACTION" 'BEGIN { r = int(m * f); print (r < 1) ? 1 : r }')}"
  CONFIG_RATE["$CONFIG"]=$FIXED_RATE_CFG
  if step_on rate; then
    for s in "${SCENARIOS[@]:1}"; do
      IFS='|' read -r name url cookie <<< "$s"
      specs+=("$name|$url|$cookie|$RAW/rate-round%r-$name.hgrm")
    done
    log "$CONFIG fixed rate: $PERF_ROUNDS rounds of ${SCENARIOS[*]:1} at $FIXED_RATE_CFG req/s (${RATE_WARMUP}s + ${RATE_DURATION}s each, one generator JVM)"
    run_cr "$RAW/rate.txt" "$FIXED_RATE_CFG" "$RATE_DURATION" "$PERF_ROUNDS" "${specs[@]}"
    for round in $(seq 1 "$PERF_ROUNDS"); do
      for s in "${SCENARIOS[@]:1}"; do
        name="${s%%|*}" label="${s%%|*}"
        ((PERF_ROUNDS > 1)) && label+="_round_$round"
        FIX_P50["$CONFIG:$name"]+="$(cr_value "$RAW/rate.txt" "$label" p50_ms) "
        FIX_P99["$CONFIG:$name"]+="$(cr_value "$RAW/rate.txt" "$label" p99_ms) "
        FIX_P999["$CONFIG:$name"]+="$(cr_value "$RAW/rate.txt" "$label" p999_ms) "
        FIX_MAX["$CONFIG:$name"]+="$(cr_value "$RAW/rate.txt" "$label" max_ms) "
        FIX_ACH["$CONFIG:$name"]+="$(cr_value "$RAW/rate.txt" "$label" achieved) "
        FIX_LAG["$CONFIG:$name"]+="$(cr_value "$RAW/rate.txt" "$label" send_lag_ms) "
        FIX_ERR["$CONFIG:$name"]=$(( ${FIX_ERR["$CONFIG:$name"]:-0} + $(cr_value "$RAW/rate.txt" "$label" errors) ))
      done
    done
  fi
  # Flame graphs before bytes/request: starting JFR deoptimizes compiled code, and the recompilation
  # would show in the profiles.
  if ((PROFILE)) && step_on profile; then
    for name in $PROFILE_SCENARIOS; do
      target="$(scenario_target "$name")" || continue
      IFS='|' read -r url cookie <<< "$target"
      profile_path "$name" "$url" "$cookie" "$(scenario_pid "$name")"
    done
  fi
  if step_on alloc; then
    for name in $ALLOC_SCENARIOS; do
      target="$(scenario_target "$name")" || continue
      IFS='|' read -r url cookie <<< "$target"
      log "$CONFIG bytes/request: $name (wrk, JFR ${ALLOC_SECONDS}s)"
      ALLOC_BPR["$CONFIG:$name"]="$(bytes_per_request "$name" "$url" "$cookie" "$(scenario_pid "$name")" || echo n/a)"
    done
  fi
  stop_gateways
}

declare -A SAT_RPS=() SAT_ERR=() FIX_P50=() FIX_P99=() FIX_P999=() FIX_MAX=() FIX_ACH=() FIX_LAG=() FIX_ERR=() ALLOC_BPR=()
declare -A CONFIG_OPTS=() CONFIG_JAVA=() CONFIG_WARM=() CONFIG_WARM_TRACE=() CONFIG_RATE=()
CONFIG_ORDER=()

write_perf_summary() {
  local config name m_stock m_plain m_sticky m_new p_stock p_sticky p_new
  echo "Affinity Gateway issue-13 benchmark  (run $RUN_ID)$( ((QUICK)) && echo '  QUICK SMOKE RUN: the figures mean nothing')"
  echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -r);" \
       "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "wrk $(wrk -v 2>&1 | head -1 | awk '{ print $2 }'); nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'); load generator:" \
       "$("$LOADGEN_JAVA" -version 2>&1 | head -1) $LOADGEN_OPTS"
  echo "pinning: both gateways and nginx on CPU $SERVER_CPU, wrk and ConstantRate on CPU $LOAD_CPU; source: commit $GIT_NOTE; jar $JAR_NOTE"
  echo "Spring args: ours ${BASE_GATEWAY_ARGS:-none}, stock ${BASE_STOCK_ARGS:-none} (plus observability per config); JVM options ${OURS_EXTRA_OPTS:-none}$([[ -n "${OURS_EXTRA_OPTS:-}" ]] && echo ' (NOT the same JVM flags as stock)')"
  echo "method: per config, warm-up ${WARMUP_SECONDS}-${WARMUP_MAX_SECONDS}s, then $PERF_ROUNDS interleaved rounds of" \
       "stock/plain/sticky/new: saturation with wrk -t$THREADS -c$CONNECTIONS for ${SAT_DURATION}s; then $PERF_ROUNDS interleaved rounds at a fixed" \
       "offered rate ($RATE_RULE) with ConstantRate ($RATE_CONNECTIONS connections, one JVM warmed ${RATE_GEN_WARMUP}s on nginx," \
       "${RATE_WARMUP}s + ${RATE_DURATION}s per run, latency from the intended start); medians over rounds; bytes/request from JFR" \
       "jdk.ThreadAllocationStatistics under wrk"
  echo "stock = unmodified Spring Cloud Gateway (bench/stock-gateway, lb:// round-robin, defaults); plain = our jar, route without affinity"
  for config in "${CONFIG_ORDER[@]}"; do
    echo
    echo "== $config: ${CONFIG_JAVA[$config]}; ${CONFIG_OPTS[$config]}; warm-up ${CONFIG_WARM[$config]}; fixed rate ${CONFIG_RATE[$config]} req/s"
    printf '%-7s %9s %6s  %-34s | %8s %8s %9s %8s %8s %6s %7s | %7s\n' scenario "sat req/s" errors "per round" \
      "p50 ms" "p99 ms" "p99.9 ms" "max ms" achieved errors "lag ms" "B/req"
    for name in stock plain sticky new; do
      # shellcheck disable=SC2086
      printf '%-7s %9.0f %6d  %-34s | %8.3f %8.3f %9.3f %8.3f %8.1f %6d %7.1f | %7s\n' "$name" \
        "$(median ${SAT_RPS["$config:$name"]})" "${SAT_ERR["$config:$name"]:-0}" \
        "$(printf '%.0f ' ${SAT_RPS["$config:$name"]})" \
        "$(median ${FIX_P50["$config:$name"]:-})" "$(median ${FIX_P99["$config:$name"]:-})" \
        "$(median ${FIX_P999["$config:$name"]:-})" "$(median ${FIX_MAX["$config:$name"]:-})" \
        "$(median ${FIX_ACH["$config:$name"]:-})" "${FIX_ERR["$config:$name"]:-0}" "$(median ${FIX_LAG["$config:$name"]:-})" \
        "${ALLOC_BPR["$config:$name"]:--}"
    done
    # shellcheck disable=SC2086
    {
      m_stock=$(median ${SAT_RPS["$config:stock"]:-}); m_plain=$(median ${SAT_RPS["$config:plain"]:-})
      m_sticky=$(median ${SAT_RPS["$config:sticky"]:-}); m_new=$(median ${SAT_RPS["$config:new"]:-})
      p_stock=$(median ${FIX_P99["$config:stock"]:-}); p_sticky=$(median ${FIX_P99["$config:sticky"]:-}); p_new=$(median ${FIX_P99["$config:new"]:-})
    }
    echo "ratios (medians, this config)          value   goal (issue 13)"
    printf '  sticky/stock req/s (saturation)   %8s   >= 1.5 (moonshot 2.0)\n' "$(ratio "$m_sticky" "$m_stock")"
    printf '  new/stock    req/s (saturation)   %8s   >= 1.4\n' "$(ratio "$m_new" "$m_stock")"
    printf '  plain/stock  req/s (saturation)   %8s\n' "$(ratio "$m_plain" "$m_stock")"
    printf '  sticky/stock p99 at fixed rate    %8s   <= 1.0\n' "$(ratio "$p_sticky" "$p_stock")"
    printf '  new/stock    p99 at fixed rate    %8s\n' "$(ratio "$p_new" "$p_stock")"
    echo "warm-up trace (req/s per ${WARMUP_CHUNK}s chunk):"
    printf '%s' "${CONFIG_WARM_TRACE[$config]}"
  done
  if ((${#CONFIG_ORDER[@]} > 1)); then
    echo
    echo "== across configs (each config's own medians; p99 at that config's fixed rate)"
    printf '%-18s %10s %10s %10s %8s %11s %11s %10s %8s\n' config "stock r/s" "sticky r/s" "new r/s" sticky/st "stock p99" "sticky p99" "fixed rate" "B/req"
    for config in "${CONFIG_ORDER[@]}"; do
      # shellcheck disable=SC2086
      printf '%-18s %10.0f %10.0f %10.0f %8s %11.3f %11.3f %10s %8s\n' "$config" "$(median ${SAT_RPS["$config:stock"]:-})" \
        "$(median ${SAT_RPS["$config:sticky"]:-})" "$(median ${SAT_RPS["$config:new"]:-})" \
        "$(ratio "$(median ${SAT_RPS["$config:sticky"]:-})" "$(median ${SAT_RPS["$config:stock"]:-})")" \
        "$(median ${FIX_P99["$config:stock"]:-})" "$(median ${FIX_P99["$config:sticky"]:-})" "${CONFIG_RATE[$config]}" "${ALLOC_BPR["$config:sticky"]:--}"
    done
  fi
  echo
  echo "raw outputs (wrk, ConstantRate, .hgrm, JFR, gateway logs): $RUN_DIR/<config>/"
  echo "lag ms: the generator's worst send delay (its own health; well under the p99 or the p99 is the generator's)"
  echo "B/req: JFR per-thread allocated bytes / requests served under wrk (bench/README.md)"
  if ((PROFILE)); then echo "flame graphs: $PROFILE_DIR/<config>/<scenario>/{cpu,alloc}.html (text form: raw/<scenario>-{cpu,alloc}.collapsed)"; fi
}
