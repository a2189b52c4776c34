#!/usr/bin/env bash
# Load benchmark of Affinity Gateway against stock Spring Cloud Gateway round-robin and HAProxy,
# over three small nginx backends, all on loopback (127.0.0.1) only. See bench/README.md.
#
#   bash bench/load.sh                                   # full run (~50 s warm-up, 3 x 6 x 15 s, 1M scale run)
#   WARMUP_SECONDS=6 DURATION=2 ROUNDS=2 SCALE_REQUESTS=20000 bash bench/load.sh   # smoke run
#
# Pins: gateway, HAProxy and nginx on CPU 1 (BENCH_SERVER_CPU), wrk on CPU 0 (BENCH_LOAD_CPU).
# Everything it starts is stopped on exit; every step is bounded in time.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

# ---- knobs (environment) -------------------------------------------------------------------------
WARMUP_SECONDS="${WARMUP_SECONDS:-50}"          # minimum gateway JVM warm-up, alternating plain/sticky/new
WARMUP_MAX_SECONDS="${WARMUP_MAX_SECONDS:-180}" # warm-up goes on until throughput is stable, at most this long
WARMUP_CHUNK="${WARMUP_CHUNK:-5}"               # seconds per warm-up chunk
WARMUP_TOLERANCE="${WARMUP_TOLERANCE:-0.05}"    # "stable": each scenario within 5% of the previous cycle
DURATION="${DURATION:-15}"                      # seconds per scenario per round
ROUNDS="${ROUNDS:-3}"                           # interleaved rounds (medians are reported)
THREADS="${THREADS:-2}"                         # wrk threads
CONNECTIONS="${CONNECTIONS:-64}"                # wrk connections (HTTP/1.1 keep-alive)
SCALE_REQUESTS="${SCALE_REQUESTS:-1000000}"     # cookieless requests with distinct client identities
SCALE_MAX_SECONDS="${SCALE_MAX_SECONDS:-900}"   # upper bound of the scale run
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-180}"       # seconds to wait for the gateway's first 200
SERVER_CPU="${BENCH_SERVER_CPU:-1}"
LOAD_CPU="${BENCH_LOAD_CPU:-0}"
GATEWAY_JAVA_OPTS="${GATEWAY_JAVA_OPTS:--Xms512m -Xmx512m}"
GATEWAY_ARGS="${GATEWAY_ARGS:-}"                 # extra Spring arguments, e.g. for an A/B of a setting
SKIP_INSTALL="${SKIP_INSTALL:-0}"

HOST=127.0.0.1
GATEWAY_PORT=18080
MANAGEMENT_PORT=18081
HAPROXY_PORT=18090
BACKEND_PORTS=(19001 19002 19003)
STICKY_COOKIE_NAME=KNOX_BACKEND-sticky

for n in WARMUP_SECONDS WARMUP_MAX_SECONDS WARMUP_CHUNK DURATION ROUNDS THREADS CONNECTIONS SCALE_REQUESTS SCALE_MAX_SECONDS STARTUP_TIMEOUT; do
  [[ "${!n}" =~ ^[0-9]+$ ]] || { echo "$n must be a whole number, got '${!n}'" >&2; exit 2; }
done
(( WARMUP_CHUNK >= 1 && DURATION >= 1 && ROUNDS >= 1 && THREADS >= 1 && CONNECTIONS >= THREADS )) || {
  echo "need DURATION>=1, ROUNDS>=1, THREADS>=1, CONNECTIONS>=THREADS" >&2; exit 2; }

RUN_ID="$(date +%Y%m%d-%H%M%S)"
OUT="$ROOT/target/bench/run-$RUN_ID"
RAW="$OUT/raw"
mkdir -p "$RAW" "$OUT/nginx/tmp"
ln -sfn "run-$RUN_ID" "$ROOT/target/bench/latest"
SUMMARY="$OUT/summary.txt"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---- hard upper bound of the whole run -----------------------------------------------------------
SCENARIO_COUNT=6
MAX_TOTAL_SECONDS="${MAX_TOTAL_SECONDS:-$(( 900 + WARMUP_MAX_SECONDS + WARMUP_SECONDS + ROUNDS * SCENARIO_COUNT * (DURATION + 15) + SCALE_MAX_SECONDS + STARTUP_TIMEOUT ))}"

# ---- cleanup: stop exactly what this script started, by PID --------------------------------------
STARTED_PIDS=()
WATCHDOG_PID=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if ((${#STARTED_PIDS[@]})); then
    log "stopping ${STARTED_PIDS[*]}"
    kill -TERM "${STARTED_PIDS[@]}" 2>/dev/null || true
    for _ in $(seq 1 50); do
      local alive=0
      for pid in "${STARTED_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
      ((alive)) || break
      sleep 0.2
    done
    for pid in "${STARTED_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  fi
  if [[ -n "$WATCHDOG_PID" ]]; then kill "$WATCHDOG_PID" 2>/dev/null || true; fi
  if [[ -n "${JAR:-}" ]]; then rm -f "$JAR"; fi # the private copy of the jar (its size is in the summary)
  exit "$status"
}
trap cleanup EXIT
trap 'log "interrupted (or MAX_TOTAL_SECONDS reached, see watchdog.log)"; exit 130' INT TERM

# The watchdog kills its own sleep when it is stopped, and holds none of the script's output pipes.
(
  trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  sleep "$MAX_TOTAL_SECONDS" & sleeper=$!
  wait "$sleeper"
  echo "load.sh: exceeded MAX_TOTAL_SECONDS=$MAX_TOTAL_SECONDS, aborting" >&2
  kill -TERM $$
) > /dev/null 2>> "$OUT/watchdog.log" &
WATCHDOG_PID=$!

# ---- tools ---------------------------------------------------------------------------------------
need_install=()
command -v wrk >/dev/null || need_install+=(wrk)
command -v nginx >/dev/null || need_install+=(nginx-light)
command -v haproxy >/dev/null || need_install+=(haproxy)
command -v jq >/dev/null || need_install+=(jq)
command -v unzip >/dev/null || need_install+=(unzip)
if ((${#need_install[@]})); then
  [[ "$SKIP_INSTALL" == 1 ]] && { echo "missing: ${need_install[*]} (SKIP_INSTALL=1)" >&2; exit 1; }
  log "installing ${need_install[*]} with apt-get"
  # Never let the packages start their own system services (nginx would listen on :80).
  created_policy=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && created_policy=1
  fi
  timeout 300 apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends "${need_install[@]}" >/dev/null
  ((created_policy)) && rm -f /usr/sbin/policy-rc.d
fi
for tool in wrk nginx haproxy jq jcmd jstat curl taskset timeout unzip; do
  command -v "$tool" >/dev/null || { echo "required tool not found: $tool" >&2; exit 1; }
done

port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
for port in "$GATEWAY_PORT" "$MANAGEMENT_PORT" "$HAPROXY_PORT" "${BACKEND_PORTS[@]}"; do
  if port_in_use "$port"; then echo "port $HOST:$port is already in use; stop whatever holds it first" >&2; exit 1; fi
done

# Waits until URL answers HTTP 200 (at most SECONDS); prints nothing.
wait_200() {
  local url="$1" seconds="$2" deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)" == 200 ]] && return 0
    sleep 0.05
  done
  echo "no HTTP 200 from $url within ${seconds}s" >&2
  return 1
}

# ---- nginx backends (one master, 3 server blocks, 1 worker) ---------------------------------------
NGINX_DIR="$OUT/nginx"
{
  echo "worker_processes 1;"
  echo "daemon off;"
  echo "pid $NGINX_DIR/nginx.pid;"
  echo "error_log $NGINX_DIR/error.log warn;"
  echo "events { worker_connections 4096; }"
  echo "http {"
  echo "  access_log off;"
  echo "  default_type text/plain;"
  echo "  keepalive_requests 10000000;"
  echo "  keepalive_timeout 120s;"
  for t in client_body proxy fastcgi uwsgi scgi; do echo "  ${t}_temp_path $NGINX_DIR/tmp/$t;"; done
  i=1
  for port in "${BACKEND_PORTS[@]}"; do
    echo "  server { listen $HOST:$port; location / { return 200 \"backend-$i\\n\"; } }"
    i=$((i + 1))
  done
  echo "}"
} > "$NGINX_DIR/nginx.conf"
log "starting nginx backends on ${BACKEND_PORTS[*]} (CPU $SERVER_CPU)"
taskset -c "$SERVER_CPU" nginx -p "$NGINX_DIR/" -e "$NGINX_DIR/error.log" -c "$NGINX_DIR/nginx.conf" \
  > "$NGINX_DIR/stdout.log" 2>&1 &
STARTED_PIDS+=($!)
for port in "${BACKEND_PORTS[@]}"; do wait_200 "http://$HOST:$port/" 20; done

# ---- HAProxy -------------------------------------------------------------------------------------
log "starting haproxy on $HAPROXY_PORT (CPU $SERVER_CPU)"
taskset -c "$SERVER_CPU" haproxy -db -f "$ROOT/bench/haproxy.cfg" > "$OUT/haproxy.log" 2>&1 &
STARTED_PIDS+=($!)
wait_200 "http://$HOST:$HAPROXY_PORT/" 20

# ---- gateway jar ---------------------------------------------------------------------------------
find_jar() { ls "$ROOT"/target/affinity-gateway-*.jar 2>/dev/null | grep -v '\.original$' | head -1 || true; }
SOURCE_JAR="${GATEWAY_JAR:-$(find_jar)}"
if [[ -z "$SOURCE_JAR" || ! -f "$SOURCE_JAR" ]]; then
  log "building the gateway jar"
  timeout 900 ./mvnw -B -q -DskipTests -Dspotless.check.skip=true package
  SOURCE_JAR="$(find_jar)"
fi
[[ -f "$SOURCE_JAR" ]] || { echo "no gateway jar found" >&2; exit 1; }
JAR_NOTE="built $(date -r "$SOURCE_JAR" '+%Y-%m-%d %H:%M:%S')"
if [[ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$SOURCE_JAR" -print -quit 2>/dev/null)" ]]; then
  JAR_NOTE+="; WARNING: older than src/main or pom.xml (rebuild: ./mvnw -B -q -DskipTests -Dspotless.check.skip=true package)"
  log "WARNING: $SOURCE_JAR is older than src/main or pom.xml; measuring it anyway"
fi
GIT_NOTE="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- src/main pom.xml 2>/dev/null || echo ' + uncommitted changes in src/main or pom.xml')"
# Run a private copy: a rebuild of target/ during the run cannot pull the jar from under the JVM.
JAR="$OUT/$(basename "$SOURCE_JAR")"
cp "$SOURCE_JAR" "$JAR"

log "starting the gateway on $GATEWAY_PORT (CPU $SERVER_CPU): $GATEWAY_JAVA_OPTS $GATEWAY_ARGS"
start_ns=$(date +%s%N)
# shellcheck disable=SC2086 # GATEWAY_JAVA_OPTS and GATEWAY_ARGS are word lists
taskset -c "$SERVER_CPU" java $GATEWAY_JAVA_OPTS -jar "$JAR" \
  --spring.config.additional-location="file:$ROOT/bench/gateway-bench.yml" $GATEWAY_ARGS > "$OUT/gateway.log" 2>&1 &
GATEWAY_PID=$!
STARTED_PIDS+=("$GATEWAY_PID")
if ! wait_200 "http://$HOST:$GATEWAY_PORT/plain/" "$STARTUP_TIMEOUT"; then tail -50 "$OUT/gateway.log" >&2; exit 1; fi
first_200_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
started_line=""
for _ in $(seq 1 100); do
  started_line="$(grep -o 'Started [A-Za-z]* in [0-9.]* seconds[^)]*)' "$OUT/gateway.log" | head -1 || true)"
  [[ -n "$started_line" ]] && break
  sleep 0.1
done

# ---- cookies -------------------------------------------------------------------------------------
set_cookie_value() { # URL COOKIE_NAME -> value from Set-Cookie
  curl -s --max-time 5 -D - -o /dev/null "$1" | tr -d '\r' \
    | sed -n "s/^[Ss]et-[Cc]ookie: $2=\([^;]*\).*/\1/p" | head -1
}
STICKY_COOKIE="$(set_cookie_value "http://$HOST:$GATEWAY_PORT/sticky/" "$STICKY_COOKIE_NAME")"
[[ -n "$STICKY_COOKIE" ]] || { echo "the gateway sent no $STICKY_COOKIE_NAME cookie" >&2; exit 1; }
if curl -s --max-time 5 -D - -o /dev/null -H "Cookie: $STICKY_COOKIE_NAME=$STICKY_COOKIE" \
    "http://$HOST:$GATEWAY_PORT/sticky/" | grep -qi '^set-cookie'; then
  echo "the sticky cookie is not honoured (the gateway re-issued it)" >&2; exit 1
fi
HAPROXY_COOKIE="$(set_cookie_value "http://$HOST:$HAPROXY_PORT/" SRV)"
[[ -n "$HAPROXY_COOKIE" ]] || { echo "haproxy sent no SRV cookie" >&2; exit 1; }
log "sticky cookie: $STICKY_COOKIE_NAME=$STICKY_COOKIE; haproxy cookie: SRV=$HAPROXY_COOKIE"

# ---- scenarios -----------------------------------------------------------------------------------
# name|url|cookie header value (empty: none)
SCENARIOS=(
  "direct|http://$HOST:${BACKEND_PORTS[0]}/|"
  "plain|http://$HOST:$GATEWAY_PORT/plain/|"
  "sticky|http://$HOST:$GATEWAY_PORT/sticky/|$STICKY_COOKIE_NAME=$STICKY_COOKIE"
  "new|http://$HOST:$GATEWAY_PORT/sticky/|"
  "haproxy|http://$HOST:$HAPROXY_PORT/|SRV=$HAPROXY_COOKIE"
  "haproxy_new|http://$HOST:$HAPROXY_PORT/|"
)
for s in "${SCENARIOS[@]}"; do
  IFS='|' read -r _ url _ <<< "$s"
  [[ "$url" == "http://$HOST:"* ]] || { echo "refusing non-loopback target $url" >&2; exit 1; }
done

# run_wrk OUTFILE SECONDS URL COOKIE [LUA_SCRIPT [SCRIPT_ARGS...]]   (COOKIE may be empty)
run_wrk() {
  local file="$1" secs="$2" url="$3" cookie="$4"
  shift 4
  local args=(-t "$THREADS" -c "$CONNECTIONS" -d "${secs}s" --timeout 10s --latency)
  [[ -n "$cookie" ]] && args+=(-H "Cookie: $cookie")
  if (($#)); then
    args+=(-s "$1")
    shift
  fi
  # wrk hands the script its arguments after the URL (args[0] is the URL itself).
  timeout $((secs + 60)) taskset -c "$LOAD_CPU" wrk "${args[@]}" "$url" "$@" > "$file" 2>&1
}

# Converts a wrk latency ("812.00us", "1.20ms", "2.01s") to milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN { n = v; sub(/[a-z]+$/, "", n); u = v; sub(/^[0-9.]+/, "", u);
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1;
    printf "%.3f", n * f }'
}

# parse_wrk FILE -> "rps p50_ms p99_ms errors"
parse_wrk() {
  local f="$1" rps p50 p99 non2xx sock
  rps="$(awk '/^Requests\/sec:/ { print $2 }' "$f")"
  p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$f")")"
  p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$f")")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$f")"
  sock="$(awk '/Socket errors:/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$f")"
  echo "${rps:-0} ${p50:-0} ${p99:-0} $(( ${non2xx:-0} + ${sock:-0} ))"
}

median() { # numbers as arguments
  printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END {
    if (NR == 0) { print 0 } else if (NR % 2) { print a[(NR + 1) / 2] } else { printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 } }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.3f", a / b }'; }

# ---- heap after GC -------------------------------------------------------------------------------
heap_snapshot() { # LABEL -> prints "used_kb metaspace_kb", saves heap_info and histogram
  local label="$1"
  timeout 60 jcmd "$GATEWAY_PID" GC.run > /dev/null
  sleep 1
  timeout 60 jcmd "$GATEWAY_PID" GC.heap_info > "$OUT/heap-$label.txt"
  timeout 60 jcmd "$GATEWAY_PID" GC.class_histogram 2>/dev/null | head -25 > "$OUT/histogram-$label.txt" || true
  timeout 60 jstat -gc "$GATEWAY_PID" | awk '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
    NR == 2 { printf "%.0f %.0f\n", $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"], $col["MU"] }'
}

# ---- warm-up -------------------------------------------------------------------------------------
# Cycles of plain, sticky and new chunks: at least WARMUP_SECONDS, then until every scenario's
# throughput is within WARMUP_TOLERANCE of the previous cycle (the JIT has settled), at most
# WARMUP_MAX_SECONDS. On one contended CPU, C2 can need well over a minute of load.
log "warming the gateway: ${WARMUP_SECONDS}-${WARMUP_MAX_SECONDS}s in ${WARMUP_CHUNK}s chunks (plain / sticky / new)"
warm_elapsed=0
warm_cycle=0
warm_stable=0
warm_trace=""
declare -A WARM_PREV
while :; do
  warm_cycle=$((warm_cycle + 1))
  cycle_stable=1
  warm_trace+="  cycle $warm_cycle:"
  for idx in 1 2 3; do # plain, sticky, new
    IFS='|' read -r name url cookie <<< "${SCENARIOS[$idx]}"
    run_wrk "$RAW/warmup-$warm_cycle-$name.txt" "$WARMUP_CHUNK" "$url" "$cookie"
    read -r rps _ <<< "$(parse_wrk "$RAW/warmup-$warm_cycle-$name.txt")"
    warm_trace+=" $name $(printf '%.0f' "$rps")"
    if [[ -z "${WARM_PREV[$name]:-}" ]] || ! awk -v a="$rps" -v b="${WARM_PREV[$name]}" -v t="$WARMUP_TOLERANCE" \
        'BEGIN { d = (a - b) / (b > 0 ? b : 1); exit !(d <= t && d >= -t) }'; then
      cycle_stable=0
    fi
    WARM_PREV[$name]=$rps
  done
  warm_trace+=$'\n'
  warm_elapsed=$((warm_elapsed + 3 * WARMUP_CHUNK))
  log "warm-up cycle $warm_cycle (${warm_elapsed}s): plain ${WARM_PREV[plain]} sticky ${WARM_PREV[sticky]} new ${WARM_PREV[new]} req/s"
  warm_stable=$cycle_stable
  if ((warm_elapsed >= WARMUP_SECONDS && cycle_stable)) || ((warm_elapsed >= WARMUP_MAX_SECONDS)); then break; fi
done
read -r heap_warm_kb meta_warm_kb <<< "$(heap_snapshot after-warmup || true)"
heap_warm_kb=${heap_warm_kb:-0} meta_warm_kb=${meta_warm_kb:-0}
log "heap after warm-up + GC: ${heap_warm_kb} KB (metaspace ${meta_warm_kb} KB)"

# ---- interleaved rounds --------------------------------------------------------------------------
declare -A RPS P50 P99 ERR
for round in $(seq 1 "$ROUNDS"); do
  for s in "${SCENARIOS[@]}"; do
    IFS='|' read -r name url cookie <<< "$s"
    file="$RAW/round$round-$name.txt"
    log "round $round/$ROUNDS: $name (${DURATION}s)"
    run_wrk "$file" "$DURATION" "$url" "$cookie"
    read -r rps p50 p99 errors <<< "$(parse_wrk "$file")"
    RPS[$name]+="$rps "
    P50[$name]+="$p50 "
    P99[$name]+="$p99 "
    ERR[$name]=$(( ${ERR[$name]:-0} + errors ))
  done
done
read -r heap_rounds_kb meta_rounds_kb <<< "$(heap_snapshot after-rounds || true)"
heap_rounds_kb=${heap_rounds_kb:-0} meta_rounds_kb=${meta_rounds_kb:-0}

# ---- scale: many distinct cookieless clients -----------------------------------------------------
cat > "$OUT/distinct-clients.lua" <<'LUA'
-- Every request is a different client: unique X-Client-Id and User-Agent, no cookie.
-- Each thread stops after its quota of responses (argument 1) and appends a line to the marker
-- file (argument 2); load.sh then ends wrk with SIGINT (wrk itself would idle until -d is over).
local threads = {}
local next_id = 1
function setup(thread)
  thread:set("tid", next_id)
  table.insert(threads, thread)
  next_id = next_id + 1
end
function init(args)
  quota = tonumber(args[1])
  marker = args[2]
  sent, responses, cookies, non200, finished = 0, 0, 0, 0, false
end
function request()
  sent = sent + 1
  local id = string.format("client-%d-%d", tid, sent)
  return wrk.format(nil, nil, { ["X-Client-Id"] = id, ["User-Agent"] = "bench/" .. id })
end
function response(status, headers, body)
  responses = responses + 1
  if status ~= 200 then non200 = non200 + 1 end
  if headers["Set-Cookie"] or headers["set-cookie"] then cookies = cookies + 1 end
  if responses >= quota and not finished then
    finished = true
    local f = io.open(marker, "a")
    f:write("thread done\n")
    f:close()
    wrk.thread:stop()
  end
end
function done(summary, latency, requests)
  local r, c, e = 0, 0, 0
  for _, t in ipairs(threads) do
    r = r + t:get("responses"); c = c + t:get("cookies"); e = e + t:get("non200")
  end
  io.write(string.format("distinct-clients: responses=%d set_cookie=%d non200=%d\n", r, c, e))
end
LUA
quota=$(( (SCALE_REQUESTS + THREADS - 1) / THREADS ))
log "scale run: $SCALE_REQUESTS cookieless requests with distinct client ids (at most ${SCALE_MAX_SECONDS}s)"
marker="$OUT/distinct-clients.done"
: > "$marker"
scale_start_ns=$(date +%s%N)
taskset -c "$LOAD_CPU" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${SCALE_MAX_SECONDS}s" --timeout 10s --latency \
  -s "$OUT/distinct-clients.lua" "http://$HOST:$GATEWAY_PORT/sticky/" "$quota" "$marker" \
  > "$RAW/scale-distinct-clients.txt" 2>&1 &
WRK_PID=$!
STARTED_PIDS+=("$WRK_PID")
while kill -0 "$WRK_PID" 2>/dev/null; do
  if (( $(wc -l < "$marker") >= THREADS )); then
    kill -INT "$WRK_PID" 2>/dev/null || true # every thread has its quota: wrk prints its summary and exits
    break
  fi
  sleep 0.2
done
scale_ms=$(( ($(date +%s%N) - scale_start_ns) / 1000000 ))
wait "$WRK_PID" || true
kept=()
for pid in "${STARTED_PIDS[@]}"; do [[ "$pid" == "$WRK_PID" ]] || kept+=("$pid"); done
STARTED_PIDS=("${kept[@]}") # wrk is gone: never signal a reused PID later
scale_secs=$(awk -v ms="$scale_ms" 'BEGIN { printf "%.1f", ms / 1000 }')
scale_line="$(grep '^distinct-clients:' "$RAW/scale-distinct-clients.txt" || echo 'distinct-clients: responses=0 set_cookie=0 non200=0')"
scale_responses="$(sed -n 's/.*responses=\([0-9]*\).*/\1/p' <<< "$scale_line")"
read -r heap_scale_kb meta_scale_kb <<< "$(heap_snapshot after-scale || true)"
heap_scale_kb=${heap_scale_kb:-0} meta_scale_kb=${meta_scale_kb:-0}

# ---- gateway's own counters (sanity: sticky clients really were sticky hits) ---------------------
curl -s --max-time 5 "http://$HOST:$MANAGEMENT_PORT/actuator/affinity/sticky" > "$OUT/actuator-sticky.json" || true
counters="$(jq -r '"requests=\(.requests) stickyHits=\([.instances[].counters.stickyHits] | add) newAssignments=\([.instances[].counters.newAssignments] | add) failoversIn=\([.instances[].counters.failoversIn] | add) cookieRejects=\(.cookieRejects) unavailable=\(.unavailable)"' \
  "$OUT/actuator-sticky.json" 2>/dev/null || echo "unavailable")"

# ---- jar -----------------------------------------------------------------------------------------
jar_bytes=$(stat -c %s "$JAR")
native_entries="$(unzip -l "$JAR" | grep -iE 'quic|native|incubator|io_uring|epoll|kqueue|\.so$|\.dll$|\.jnilib$' \
  | awk '{ printf "  %10d  %s\n", $1, $4 }' || true)"

# ---- report --------------------------------------------------------------------------------------
{
  echo "Affinity Gateway load benchmark  (run $RUN_ID)"
  echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -r);" \
       "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "java: $(java -version 2>&1 | head -1); wrk $(wrk -v 2>&1 | head -1 | awk '{ print $2 }');" \
       "nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'); haproxy $(haproxy -v 2>&1 | head -1 | awk '{ print $3 }')"
  echo "pinning: gateway/haproxy/nginx on CPU $SERVER_CPU, wrk on CPU $LOAD_CPU; gateway JVM: $GATEWAY_JAVA_OPTS${GATEWAY_ARGS:+; gateway args: $GATEWAY_ARGS}"
  echo "warm-up: ${warm_elapsed}s, $( ((warm_stable)) && echo "throughput stable within $WARMUP_TOLERANCE" || echo "NOT stable within $WARMUP_TOLERANCE when WARMUP_MAX_SECONDS was reached"); req/s per chunk:"
  printf '%s' "$warm_trace"
  echo "method: ${warm_elapsed}s warm-up, then $ROUNDS interleaved rounds x ${#SCENARIOS[@]} scenarios x ${DURATION}s;" \
       "wrk -t$THREADS -c$CONNECTIONS, keep-alive; medians over rounds"
  echo
  printf '%-12s %12s %10s %10s %8s   %s\n' scenario "req/s" "p50 ms" "p99 ms" errors "req/s per round"
  for s in "${SCENARIOS[@]}"; do
    IFS='|' read -r name _ _ <<< "$s"
    # shellcheck disable=SC2086
    printf '%-12s %12.0f %10.3f %10.3f %8d   %s\n' "$name" "$(median ${RPS[$name]})" "$(median ${P50[$name]})" \
      "$(median ${P99[$name]})" "${ERR[$name]}" "${RPS[$name]}"
  done
  # shellcheck disable=SC2086
  {
    m_plain=$(median ${RPS[plain]}); m_sticky=$(median ${RPS[sticky]}); m_new=$(median ${RPS[new]})
    m_hap=$(median ${RPS[haproxy]}); m_hapnew=$(median ${RPS[haproxy_new]}); m_direct=$(median ${RPS[direct]})
    p_plain=$(median ${P99[plain]}); p_sticky=$(median ${P99[sticky]}); p_new=$(median ${P99[new]})
    p_hap=$(median ${P99[haproxy]})
  }
  echo
  echo "ratios (medians)                      value   goal"
  printf '  sticky/plain    req/s            %8s   >= 0.97\n' "$(ratio "$m_sticky" "$m_plain")"
  printf '  sticky/plain    p99              %8s   <= 1.10\n' "$(ratio "$p_sticky" "$p_plain")"
  printf '  new/plain       req/s            %8s   >= 0.90\n' "$(ratio "$m_new" "$m_plain")"
  printf '  new/plain       p99              %8s\n' "$(ratio "$p_new" "$p_plain")"
  printf '  gateway/haproxy req/s (sticky)   %8s\n' "$(ratio "$m_sticky" "$m_hap")"
  printf '  gateway/haproxy p99   (sticky)   %8s\n' "$(ratio "$p_sticky" "$p_hap")"
  printf '  new/haproxy_new req/s            %8s\n' "$(ratio "$m_new" "$m_hapnew")"
  printf '  plain/direct    req/s            %8s\n' "$(ratio "$m_plain" "$m_direct")"
  echo
  echo "scale: $SCALE_REQUESTS requested, ${scale_line#distinct-clients: } in ${scale_secs}s" \
       "($(awk -v r="${scale_responses:-0}" -v s="$scale_secs" 'BEGIN { printf "%.0f", (s > 0) ? r / s : 0 }') req/s incl. wrk's per-request Lua)"
  if (( ${scale_responses:-0} < SCALE_REQUESTS )); then
    echo "  WARNING: fewer responses than requested (SCALE_MAX_SECONDS=$SCALE_MAX_SECONDS reached?)"
  fi
  echo "heap used after GC: after warm-up ${heap_warm_kb} KB; after rounds ${heap_rounds_kb} KB;" \
       "after the distinct clients ${heap_scale_kb} KB (growth vs warm-up: $((heap_scale_kb - heap_warm_kb)) KB," \
       "vs rounds: $((heap_scale_kb - heap_rounds_kb)) KB)"
  echo "metaspace used: ${meta_warm_kb} KB -> ${meta_rounds_kb} KB -> ${meta_scale_kb} KB"
  echo "gateway counters (service sticky): $counters"
  echo
  echo "startup: ${started_line:-no 'Started' line found}; first 200 on /plain/ after ${first_200_ms} ms (JVM launch to response, pinned to 1 CPU)"
  echo "source: commit $GIT_NOTE; jar $JAR_NOTE"
  echo "jar: $(basename "$JAR") $jar_bytes bytes ($(awk -v b="$jar_bytes" 'BEGIN { printf "%.1f MiB", b / 1048576 }'))"
  echo "native / QUIC / incubator entries in the jar:"
  echo "${native_entries:-  none}"
  echo
  echo "raw wrk outputs: $RAW"
} | tee "$SUMMARY"
