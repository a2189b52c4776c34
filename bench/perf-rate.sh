# Fixed-rate latency of bench/perf.sh (sourced, not run): the ConstantRate load generator, its
# interleaved rounds over the scenarios, and flame graphs under it. Uses bench/lib.sh and bench/rounds.sh.
# shellcheck shell=bash

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

profile_path() { # ROUND NAME URL COOKIE: CPU and allocation flame graphs under ConstantRate at FIXED_RATE_CFG
  local name="$2" url="$3" cookie="$4" pid dir="$PROFILE_DIR/$CONFIG/$2" cr_pid
  pid="$(scenario_pid "$name")"
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

# PERF_ROUNDS interleaved rounds of every scenario at FIXED_RATE_CFG, all in one generator JVM;
# fills FIX_P50, FIX_P99, FIX_P999, FIX_MAX, FIX_ACH, FIX_LAG (lists, one value per round) and FIX_ERR.
declare -A FIX_P50=() FIX_P99=() FIX_P999=() FIX_MAX=() FIX_ACH=() FIX_LAG=() FIX_ERR=()
fixed_rate_rounds() { # SCENARIO...
  local specs=()
  one_round 1 rate_spec "$@"
  log "$CONFIG fixed rate: $PERF_ROUNDS rounds of ${*%%|*} at $FIXED_RATE_CFG req/s (${RATE_WARMUP}s + ${RATE_DURATION}s each, one generator JVM)"
  run_cr "$RAW/rate.txt" "$FIXED_RATE_CFG" "$RATE_DURATION" "$PERF_ROUNDS" "${specs[@]}"
  rounds "$PERF_ROUNDS" rate_round "$@"
}

rate_spec() { # ROUND NAME URL COOKIE: appends ConstantRate's run spec to fixed_rate_rounds' specs
  specs+=("$2|$3|$4|$RAW/rate-round%r-$2.hgrm")
}

rate_round() { # ROUND NAME URL COOKIE: that run's figures from ConstantRate's output
  local key="$CONFIG:$2" label="$2" file="$RAW/rate.txt"
  ((PERF_ROUNDS > 1)) && label+="_round_$1"
  FIX_P50["$key"]+="$(cr_value "$file" "$label" p50_ms) "
  FIX_P99["$key"]+="$(cr_value "$file" "$label" p99_ms) "
  FIX_P999["$key"]+="$(cr_value "$file" "$label" p999_ms) "
  FIX_MAX["$key"]+="$(cr_value "$file" "$label" max_ms) "
  FIX_ACH["$key"]+="$(cr_value "$file" "$label" achieved) "
  FIX_LAG["$key"]+="$(cr_value "$file" "$label" send_lag_ms) "
  FIX_ERR["$key"]=$(( ${FIX_ERR["$key"]:-0} + $(cr_value "$file" "$label" errors) ))
}
