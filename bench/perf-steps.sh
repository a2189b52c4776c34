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

config_java_opts() { # every config gets one CPU, the same heap and the same extra options
  echo "$GATEWAY_HEAP -XX:ActiveProcessorCount=1 $(gc_flag "${1#*|}") $GATEWAY_EXTRA_OPTS" | tr -s ' ' | sed 's/ $//'
}

ensure_loadgen() { # compiles ConstantRate (Maven profile jmh) when missing or older than its sources
  local class="$LOADGEN_CLASSES/${LOADGEN_CLASS//.//}.class"
  if [[ ! -f "$class" || -n "$(find "$ROOT/src/jmh/java/dev/affinity/gateway/bench" -newer "$class" -print -quit)" ]]; then
    log "building the load generator (./mvnw -Pjmh package)"
    (cd "$ROOT" && timeout 900 ./mvnw -B -q -Pjmh -DskipTests -Dspotless.check.skip=true package)
  fi
  LOADGEN_CP="$ROOT/target/jmh/test-classes:$ROOT/target/jmh/classes:$(cat "$ROOT/target/jmh/jmh-classpath.txt")"
}

run_cr() { # OUTFILE RATE SECONDS URL COOKIE [HGRM]: ConstantRate on the load CPU; never fails the run
  local file="$1" rate="$2" secs="$3" url="$4" cookie="$5" hgrm="${6:-}"
  local args=(--url "$url" --rate "$rate" --duration "$secs" --warmup "$RATE_WARMUP" --connections "$RATE_CONNECTIONS")
  [[ -n "$cookie" ]] && args+=(--cookie "$cookie")
  [[ -n "$hgrm" ]] && args+=(--hgrm "$hgrm")
  # shellcheck disable=SC2086 # LOADGEN_OPTS is a word list
  timeout $((secs + RATE_WARMUP + 60)) taskset -c "$LOAD_CPU" "$LOADGEN_JAVA" $LOADGEN_OPTS -cp "$LOADGEN_CP" \
    "$LOADGEN_CLASS" "${args[@]}" > "$file" 2>&1 || log "ConstantRate exited $? ($file)"
}

cr_value() { # FILE KEY -> the KEY=value of ConstantRate's RESULT line (0 if missing)
  sed -n 's/^RESULT //p' "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k { print $2; found = 1 } END { if (!found) print 0 }'
}

take_sticky_cookie() { # STICKY_COOKIE, checked: sending it back gets no new Set-Cookie
  local gateway="http://$HOST:$GATEWAY_PORT/sticky/"
  STICKY_COOKIE="$(set_cookie_value "$gateway" "$STICKY_COOKIE_NAME")"
  [[ -n "$STICKY_COOKIE" ]] || die "the gateway sent no $STICKY_COOKIE_NAME cookie"
  if curl -s --max-time 5 -D - -o /dev/null -H "Cookie: $STICKY_COOKIE_NAME=$STICKY_COOKIE" "$gateway" | grep -qi '^set-cookie'; then
    die "the sticky cookie is not honoured (the gateway re-issued it)"
  fi
}

stop_gateway() {
  kill -TERM "$GATEWAY_PID" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$GATEWAY_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$GATEWAY_PID" 2>/dev/null || true
  wait "$GATEWAY_PID" 2>/dev/null || true
  forget_pid "$GATEWAY_PID"
  rm -f "$JAR"
  JAR=""
}

# Bytes allocated per request: ConstantRate at RATE for ALLOC_SECONDS + ALLOC_MARGIN s while JFR records every
# thread's allocation counter once a second, from RATE_WARMUP + 2 s into the load for ALLOC_SECONDS;
# the sum of (last - first) over the threads seen at least twice, divided by the requests offered
# between the first and the last sample (RATE x seconds between them). The rate is the open-model
# offered one, so this holds when the gateway keeps up (it does at half its maximum); a '*' marks a
# result where ConstantRate reports it did not. Counts every allocation of the JVM in that window,
# the gateway's own background work included (next to nothing at WARN logging without scraping).
bytes_per_request() { # NAME URL COOKIE RATE -> prints bytes/request
  local name="$1" url="$2" cookie="$3" rate="$4" jfr="$CONFIG_DIR/alloc-$1.jfr" file="$CONFIG_DIR/raw/alloc-$1.txt" cr_pid bytes
  run_cr "$file" "$rate" $((ALLOC_SECONDS + ALLOC_MARGIN)) "$url" "$cookie" &
  cr_pid=$!
  sleep $((RATE_WARMUP + 2))
  timeout 60 "$JAVA_HOME_CFG/bin/jcmd" "$GATEWAY_PID" JFR.start name=bench-alloc settings="$BENCH/alloc.jfc" filename="$jfr" > /dev/null
  sleep "$ALLOC_SECONDS"
  timeout 60 "$JAVA_HOME_CFG/bin/jcmd" "$GATEWAY_PID" JFR.stop name=bench-alloc > /dev/null
  wait "$cr_pid" || true
  bytes="$(timeout 120 "$JAVA_HOME_CFG/bin/jfr" print --json --events jdk.ThreadAllocationStatistics "$jfr" \
    | jq --argjson rate "$rate" -r '
        def ts: .values.startTime | capture("^(?<base>[^.Z+]+)(\\.(?<frac>[0-9]+))?") as $c
          | (($c.base + "Z") | fromdateiso8601) + (("0." + ($c.frac // "0")) | tonumber);
        [.recording.events[] | {t: ts, id: .values.thread.javaThreadId, a: .values.allocated}] as $e
        | ($e | map(.t) | (max - min)) as $span
        | ($e | group_by(.id) | map(select(length > 1) | (max_by(.t).a - min_by(.t).a)) | add // 0) as $bytes
        | if $span > 0 then ($bytes / ($rate * $span) | floor) else "n/a" end')"
  if grep -q 'did not keep up' "$file"; then bytes+="*"; fi
  echo "$bytes"
}

profile_sticky() { # CPU and allocation flame graphs of the sticky path under ConstantRate at RATE
  local rate="$1" dir="$PROFILE_DIR/$CONFIG" cr_pid
  log "flame graphs of the sticky path at $rate req/s -> $dir"
  run_cr "$CONFIG_DIR/raw/profile-load.txt" "$rate" $((2 * PROFILE_SECONDS + 15)) \
    "http://$HOST:$GATEWAY_PORT/sticky/" "$STICKY_COOKIE_NAME=$STICKY_COOKIE" &
  cr_pid=$!
  sleep $((RATE_WARMUP + 2))
  TITLE="sticky hit, $CONFIG, $rate req/s" bash "$BENCH/profile.sh" "$GATEWAY_PID" "$PROFILE_SECONDS" "$dir" \
    || log "profiling failed (see $dir/profiler.log)"
  wait "$cr_pid" || true
}

measure_config() { # "JAVA_HOME|GC": one gateway JVM, warmed up, then every measurement of this config
  local config_spec="$1" round s name url cookie file rps p50 p99 errors rate
  CONFIG="$(config_name "$config_spec")"
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
  start_gateway
  take_sticky_cookie
  SCENARIOS=(
    "direct|http://$HOST:${BACKEND_PORTS[0]}/|"
    "plain|http://$HOST:$GATEWAY_PORT/plain/|"
    "sticky|http://$HOST:$GATEWAY_PORT/sticky/|$STICKY_COOKIE_NAME=$STICKY_COOKIE"
    "new|http://$HOST:$GATEWAY_PORT/sticky/|"
  )
  WARMUP_INDEXES="1 2 3" warm_up
  CONFIG_WARM["$CONFIG"]="${WARM_ELAPSED}s, $( ((WARM_STABLE)) && echo stable || echo "NOT stable within $WARMUP_TOLERANCE")"
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
  rate="${FIXED_RATE:-$(awk -v m="$(median ${SAT_RPS["$CONFIG:plain"]})" -v f="$RATE_FRACTION" 'BEGIN { r = int(m * f); print (r < 1) ? 1 : r }')}"
  CONFIG_RATE["$CONFIG"]=$rate
  for round in $(seq 1 "$PERF_ROUNDS"); do
    for s in "${SCENARIOS[@]:1}"; do
      IFS='|' read -r name url cookie <<< "$s"
      file="$RAW/rate-round$round-$name.txt"
      log "$CONFIG fixed rate round $round/$PERF_ROUNDS: $name at $rate req/s (${RATE_WARMUP}s + ${RATE_DURATION}s)"
      run_cr "$file" "$rate" "$RATE_DURATION" "$url" "$cookie" "$RAW/rate-round$round-$name.hgrm"
      FIX_P50["$CONFIG:$name"]+="$(cr_value "$file" p50_ms) "
      FIX_P99["$CONFIG:$name"]+="$(cr_value "$file" p99_ms) "
      FIX_P999["$CONFIG:$name"]+="$(cr_value "$file" p999_ms) "
      FIX_MAX["$CONFIG:$name"]+="$(cr_value "$file" max_ms) "
      FIX_ACH["$CONFIG:$name"]+="$(cr_value "$file" achieved) "
      FIX_ERR["$CONFIG:$name"]=$(( ${FIX_ERR["$CONFIG:$name"]:-0} + $(cr_value "$file" errors) ))
    done
  done
  for name in $ALLOC_SCENARIOS; do
    for s in "${SCENARIOS[@]:1}"; do
      IFS='|' read -r n url cookie <<< "$s"
      if [[ "$n" == "$name" ]]; then
        log "$CONFIG bytes/request: $name at $rate req/s (JFR, ${ALLOC_SECONDS}s)"
        ALLOC_BPR["$CONFIG:$name"]="$(bytes_per_request "$name" "$url" "$cookie" "$rate" || echo n/a)"
      fi
    done
  done
  if ((PROFILE)); then profile_sticky "$rate"; fi
  stop_gateway
}

declare -A SAT_RPS=() SAT_ERR=() FIX_P50=() FIX_P99=() FIX_P999=() FIX_MAX=() FIX_ACH=() FIX_ERR=() ALLOC_BPR=()
declare -A CONFIG_OPTS=() CONFIG_JAVA=() CONFIG_WARM=() CONFIG_RATE=()
CONFIG_ORDER=()

write_perf_summary() {
  local config name m_plain m_sticky m_new p_plain p_sticky p_new
  echo "Affinity Gateway issue-13 benchmark  (run $RUN_ID)$( ((QUICK)) && echo '  QUICK SMOKE RUN: the figures mean nothing')"
  echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -r);" \
       "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "wrk $(wrk -v 2>&1 | head -1 | awk '{ print $2 }'); nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'); load generator:" \
       "$("$LOADGEN_JAVA" -version 2>&1 | head -1) $LOADGEN_OPTS"
  echo "pinning: gateway and nginx on CPU $SERVER_CPU, wrk and ConstantRate on CPU $LOAD_CPU; source: commit $GIT_NOTE; jar $JAR_NOTE"
  echo "method: per config, warm-up ${WARMUP_SECONDS}-${WARMUP_MAX_SECONDS}s, then $PERF_ROUNDS interleaved rounds of" \
       "plain/sticky/new: saturation with wrk -t$THREADS -c$CONNECTIONS for ${SAT_DURATION}s; then $PERF_ROUNDS interleaved rounds at a fixed" \
       "offered rate ($RATE_RULE) with ConstantRate ($RATE_CONNECTIONS connections," \
       "${RATE_WARMUP}s + ${RATE_DURATION}s, latency from the intended start); medians over rounds; bytes/request from JFR" \
       "jdk.ThreadAllocationStatistics at the fixed rate"
  for config in "${CONFIG_ORDER[@]}"; do
    echo
    echo "== $config: ${CONFIG_JAVA[$config]}; ${CONFIG_OPTS[$config]}; warm-up ${CONFIG_WARM[$config]}; fixed rate ${CONFIG_RATE[$config]} req/s"
    printf '%-7s %9s %6s  %-34s | %9s %9s %9s %9s %9s %6s | %9s\n' scenario "sat req/s" errors "per round" \
      "p50 ms" "p99 ms" "p99.9 ms" "max ms" "achieved" errors "B/req"
    for name in plain sticky new; do
      # shellcheck disable=SC2086
      printf '%-7s %9.0f %6d  %-34s | %9.3f %9.3f %9.3f %9.3f %9.1f %6d | %9s\n' "$name" \
        "$(median ${SAT_RPS["$config:$name"]})" "${SAT_ERR["$config:$name"]:-0}" \
        "$(printf '%.0f ' ${SAT_RPS["$config:$name"]})" \
        "$(median ${FIX_P50["$config:$name"]})" "$(median ${FIX_P99["$config:$name"]})" \
        "$(median ${FIX_P999["$config:$name"]})" "$(median ${FIX_MAX["$config:$name"]})" \
        "$(median ${FIX_ACH["$config:$name"]})" "${FIX_ERR["$config:$name"]:-0}" "${ALLOC_BPR["$config:$name"]:--}"
    done
    # shellcheck disable=SC2086
    {
      m_plain=$(median ${SAT_RPS["$config:plain"]}); m_sticky=$(median ${SAT_RPS["$config:sticky"]}); m_new=$(median ${SAT_RPS["$config:new"]})
      p_plain=$(median ${FIX_P99["$config:plain"]}); p_sticky=$(median ${FIX_P99["$config:sticky"]}); p_new=$(median ${FIX_P99["$config:new"]})
    }
    echo "ratios (medians, this config)          value   goal (issue 13)"
    printf '  sticky/plain req/s (saturation)   %8s   >= 1.5 (moonshot 2.0)\n' "$(ratio "$m_sticky" "$m_plain")"
    printf '  new/plain    req/s (saturation)   %8s   >= 1.4\n' "$(ratio "$m_new" "$m_plain")"
    printf '  sticky/plain p99 at fixed rate    %8s   <= 1.0\n' "$(ratio "$p_sticky" "$p_plain")"
    printf '  new/plain    p99 at fixed rate    %8s\n' "$(ratio "$p_new" "$p_plain")"
  done
  if ((${#CONFIG_ORDER[@]} > 1)); then
    echo
    echo "== across configs (each config's own medians; sticky p99 at that config's fixed rate)"
    printf '%-18s %10s %10s %10s %12s %12s %8s\n' config "plain r/s" "sticky r/s" "new r/s" "sticky p99" "fixed rate" "B/req"
    for config in "${CONFIG_ORDER[@]}"; do
      # shellcheck disable=SC2086
      printf '%-18s %10.0f %10.0f %10.0f %12.3f %12s %8s\n' "$config" "$(median ${SAT_RPS["$config:plain"]})" \
        "$(median ${SAT_RPS["$config:sticky"]})" "$(median ${SAT_RPS["$config:new"]})" \
        "$(median ${FIX_P99["$config:sticky"]})" "${CONFIG_RATE[$config]}" "${ALLOC_BPR["$config:sticky"]:--}"
    done
  fi
  echo
  echo "raw outputs (wrk, ConstantRate, .hgrm, JFR, gateway logs): $RUN_DIR/<config>/"
  echo "B/req: JFR per-thread allocated bytes / offered requests (bench/README.md); * = the gateway did not keep up with the rate"
  if ((PROFILE)); then echo "flame graphs: $PROFILE_DIR/<config>/{cpu,alloc}.html"; fi
}
