# The servers of bench/load.sh and bench/perf.sh, and load.sh's later steps (sourced, not run). Each
# step is bounded in time and starts processes only through `start`, so cleanup stops exactly those.
# shellcheck shell=bash
# shellcheck disable=SC2034 # the upper-case results are read by summary.sh and load.sh

start() { # LOGFILE COMMAND...: runs COMMAND on the server CPU in the background, remembers its PID
  local logfile="$1"
  shift
  taskset -c "$SERVER_CPU" "$@" > "$logfile" 2>&1 &
  STARTED_PIDS+=($!)
}

start_backends() { # nginx from bench/nginx.conf, its pid, logs and temp files in the run folder
  local dir="$OUT/nginx" port
  mkdir -p "$dir/tmp"
  sed "s|@RUN_DIR@|$dir|g" "$BENCH/nginx.conf" > "$dir/nginx.conf"
  log "starting nginx backends on ${BACKEND_PORTS[*]} (CPU $SERVER_CPU)"
  start "$dir/stdout.log" nginx -p "$dir/" -e "$dir/error.log" -c "$dir/nginx.conf"
  for port in "${BACKEND_PORTS[@]}"; do wait_200 "http://$HOST:$port/" 20; done
}

start_haproxy() {
  log "starting haproxy on $HAPROXY_PORT (CPU $SERVER_CPU)"
  start "$OUT/haproxy.log" haproxy -db -f "$BENCH/haproxy.cfg"
  wait_200 "http://$HOST:$HAPROXY_PORT/" 20
}

resolve_jar() { # sets SOURCE_JAR, JAR_NOTE, GIT_NOTE; builds the jar when there is none
  SOURCE_JAR="${GATEWAY_JAR:-$(find_jar)}"
  if [[ -z "$SOURCE_JAR" || ! -f "$SOURCE_JAR" ]]; then
    log "building the gateway jar"
    (cd "$ROOT" && timeout 900 ./mvnw -B -q -DskipTests -Dspotless.check.skip=true package)
    SOURCE_JAR="$(find_jar)"
  fi
  [[ -f "$SOURCE_JAR" ]] || die "no gateway jar found"
  JAR_NOTE="built $(date -r "$SOURCE_JAR" '+%Y-%m-%d %H:%M:%S')"
  if [[ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$SOURCE_JAR" -print -quit 2>/dev/null)" ]]; then
    JAR_NOTE+="; WARNING: older than src/main or pom.xml (rebuild: ./mvnw -B -q -DskipTests -Dspotless.check.skip=true package)"
    log "WARNING: $SOURCE_JAR is older than src/main or pom.xml; measuring it anyway"
  fi
  GIT_NOTE="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- src/main pom.xml 2>/dev/null || echo ' + uncommitted changes in src/main or pom.xml')"
}

start_gateway() { # a private copy of the jar: a rebuild of target/ cannot pull it from under the JVM
  JAR="$OUT/$(basename "$SOURCE_JAR")"
  cp "$SOURCE_JAR" "$JAR"
  log "starting the gateway on $GATEWAY_PORT (CPU $SERVER_CPU): $GATEWAY_JAVA_OPTS $GATEWAY_ARGS"
  local start_ns
  start_ns=$(date +%s%N)
  # shellcheck disable=SC2086 # GATEWAY_JAVA_OPTS and GATEWAY_ARGS are word lists
  start "$OUT/gateway.log" "${GATEWAY_JAVA:-java}" $GATEWAY_JAVA_OPTS -jar "$JAR" \
    --spring.config.additional-location="file:$BENCH/gateway-bench.yml" $GATEWAY_ARGS
  GATEWAY_PID=${STARTED_PIDS[-1]}
  if ! wait_200 "http://$HOST:$GATEWAY_PORT/plain/" "$STARTUP_TIMEOUT"; then tail -50 "$OUT/gateway.log" >&2; exit 1; fi
  FIRST_200_MS=$(( ($(date +%s%N) - start_ns) / 1000000 ))
  STARTED_LINE=""
  for _ in $(seq 1 100); do
    STARTED_LINE="$(grep -o 'Started [A-Za-z]* in [0-9.]* seconds[^)]*)' "$OUT/gateway.log" | head -1 || true)"
    [[ -n "$STARTED_LINE" ]] && break
    sleep 0.1
  done
}

take_sticky_cookie() { # STICKY_COOKIE, checked: sending it back gets no new Set-Cookie
  local gateway="http://$HOST:$GATEWAY_PORT/sticky/"
  STICKY_COOKIE="$(set_cookie_value "$gateway" "$STICKY_COOKIE_NAME")"
  [[ -n "$STICKY_COOKIE" ]] || die "the gateway sent no $STICKY_COOKIE_NAME cookie"
  if curl -s --max-time 5 -D - -o /dev/null -H "Cookie: $STICKY_COOKIE_NAME=$STICKY_COOKIE" "$gateway" \
      | grep -qi '^set-cookie'; then
    die "the sticky cookie is not honoured (the gateway re-issued it)"
  fi
}

take_cookies() { # STICKY_COOKIE and HAPROXY_COOKIE
  take_sticky_cookie
  HAPROXY_COOKIE="$(set_cookie_value "http://$HOST:$HAPROXY_PORT/" SRV)"
  [[ -n "$HAPROXY_COOKIE" ]] || die "haproxy sent no SRV cookie"
  log "sticky cookie: $STICKY_COOKIE_NAME=$STICKY_COOKIE; haproxy cookie: SRV=$HAPROXY_COOKIE"
}

scale_run() { # SCALE_REQUESTS cookieless requests, each a new client; sets SCALE_SECS, SCALE_LINE, SCALE_RESPONSES
  local quota=$(( (SCALE_REQUESTS + THREADS - 1) / THREADS )) marker="$OUT/distinct-clients.done" start_ns wrk_pid
  log "scale run: $SCALE_REQUESTS cookieless requests with distinct client ids (at most ${SCALE_MAX_SECONDS}s)"
  : > "$marker"
  start_ns=$(date +%s%N)
  taskset -c "$LOAD_CPU" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${SCALE_MAX_SECONDS}s" --timeout 10s --latency \
    -s "$BENCH/distinct-clients.lua" "http://$HOST:$GATEWAY_PORT/sticky/" "$quota" "$marker" \
    > "$RAW/scale-distinct-clients.txt" 2>&1 &
  wrk_pid=$!
  STARTED_PIDS+=("$wrk_pid")
  while kill -0 "$wrk_pid" 2>/dev/null; do
    if (( $(wc -l < "$marker") >= THREADS )); then
      kill -INT "$wrk_pid" 2>/dev/null || true # every thread has its quota: wrk prints its summary and exits
      break
    fi
    sleep 0.2
  done
  SCALE_SECS=$(awk -v ms="$(( ($(date +%s%N) - start_ns) / 1000000 ))" 'BEGIN { printf "%.1f", ms / 1000 }')
  wait "$wrk_pid" || true
  forget_pid "$wrk_pid"
  SCALE_LINE="$(grep '^distinct-clients:' "$RAW/scale-distinct-clients.txt" || echo 'distinct-clients: responses=0 set_cookie=0 non200=0')"
  SCALE_RESPONSES="$(sed -n 's/.*responses=\([0-9]*\).*/\1/p' <<< "$SCALE_LINE")"
}

read_counters() { # the gateway's own counters: the sticky clients really were sticky hits
  curl -s --max-time 5 "http://$HOST:$MANAGEMENT_PORT/actuator/affinity/sticky" > "$OUT/actuator-sticky.json" || true
  COUNTERS="$(jq -r '"requests=\(.requests) stickyHits=\([.instances[].counters.stickyHits] | add) newAssignments=\([.instances[].counters.newAssignments] | add) failoversIn=\([.instances[].counters.failoversIn] | add) cookieRejects=\(.cookieRejects) unavailable=\(.unavailable)"' \
    "$OUT/actuator-sticky.json" 2>/dev/null || echo "unavailable")"
}

inspect_jar() { # JAR_BYTES and the native / QUIC / incubator entries inside it
  JAR_BYTES=$(stat -c %s "$JAR")
  NATIVE_ENTRIES="$(unzip -l "$JAR" | grep -iE 'quic|native|incubator|io_uring|epoll|kqueue|\.so$|\.dll$|\.jnilib$' \
    | awk '{ printf "  %10d  %s\n", $1, $4 }' || true)"
}
