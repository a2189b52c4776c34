# The steps of bench/perf.sh per config (sourced, not run): start both gateways, warm up, then
# saturation rounds, fixed-rate rounds, flame graphs and bytes/request. Uses bench/lib.sh,
# bench/phases.sh, bench/rounds.sh, bench/perf-servers.sh and bench/perf-rate.sh.
# shellcheck shell=bash
# shellcheck disable=SC2034 # upper-case results are read by the summary (perf-report.sh)

# Bytes allocated per request: JFR records every thread's allocation counter once a second while wrk
# saturates the scenario, first for ALLOC_SETTLE s (not counted: starting JFR deoptimizes compiled code,
# and until the JIT has recompiled it the gateway runs slower and allocates more, since interpreted and
# C1 code does no escape analysis), then for ALLOC_SECONDS. Over that second wrk run only: the sum of
# (last - first) over the threads sampled at least twice in it, divided by the requests served between
# those samples (its wrk requests/s x seconds between them). Counts every allocation of the JVM in that
# window, its background work included (next to nothing at WARN logging without scraping).
declare -A ALLOC_BPR=()
alloc_scenario() { # ROUND NAME URL COOKIE: ALLOC_BPR of that scenario
  log "$CONFIG bytes/request: $2 (wrk, JFR ${ALLOC_SECONDS}s)"
  ALLOC_BPR["$CONFIG:$2"]="$(bytes_per_request "$2" "$3" "$4" "$(scenario_pid "$2")" || echo n/a)"
}

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

step_on() { [[ " $PERF_STEPS " == *" $1 "* ]]; } # STEP: is it in PERF_STEPS?

each_named() { # "NAMES" COMMAND: one_round 1 COMMAND over the scenarios of those names (unknown ones are skipped)
  local picked=() n s
  for n in $1; do
    for s in "${SCENARIOS[@]}"; do
      if [[ "${s%%|*}" == "$n" ]]; then picked+=("$s"); continue 2; fi
    done
    log "unknown scenario '$n' (stock, plain, sticky, new)"
  done
  one_round 1 "$2" "${picked[@]}"
}

scenario_pid() { # NAME -> the JVM that serves it
  if [[ "$1" == stock ]]; then echo "$STOCK_PID"; else echo "$GATEWAY_PID"; fi
}

measure_config() { # "JAVA_HOME|GC|on-or-off": both gateway JVMs, warmed up, then every measurement of this config
  local config_spec="${1%|*}" observability="${1##*|}" pid enabled=false
  [[ "$observability" == on ]] && enabled=true
  local switch="--spring.cloud.gateway.server.webflux.observability.enabled=$enabled"
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
  warm_up "${SCENARIOS[@]:1}"
  CONFIG_WARM["$CONFIG"]="${WARM_ELAPSED}s, $( ((WARM_STABLE)) && echo stable || echo "NOT stable within $WARMUP_TOLERANCE")"
  CONFIG_WARM_TRACE["$CONFIG"]="$WARM_TRACE"
  rounds "$PERF_ROUNDS" "wrk_round sat- $CONFIG: $SAT_DURATION" "${SCENARIOS[@]:1}" # saturation (always: it sets the fixed rate)
  # shellcheck disable=SC2086
  FIXED_RATE_CFG="${FIXED_RATE:-$(awk -v m="$(median ${RPS["$CONFIG:stock"]})" -v f="$RATE_FRACTION" 'BEGIN { r = int(m * f); print (r < 1) ? 1 : r }')}"
  CONFIG_RATE["$CONFIG"]=$FIXED_RATE_CFG
  if step_on rate; then fixed_rate_rounds "${SCENARIOS[@]:1}"; fi
  # Flame graphs before bytes/request: starting JFR deoptimizes compiled code, and the recompilation
  # would show in the profiles.
  if ((PROFILE)) && step_on profile; then each_named "$PROFILE_SCENARIOS" profile_path; fi
  if step_on alloc; then each_named "$ALLOC_SCENARIOS" alloc_scenario; fi
  stop_gateways
}

