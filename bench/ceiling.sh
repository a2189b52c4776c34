#!/usr/bin/env bash
# How fast could a gateway on this stack be? Saturation requests/s, on one pinned core, in one
# interleaved run, of:
#   stock    unmodified Spring Cloud Gateway, lb:// round-robin (bench/stock-gateway)
#   sticky   our sticky hit (the jar in target/, bench/gateway-bench.yml)
#   sticky-scg  the same through Spring Cloud Gateway's routing filter (affinity.routing.direct=false),
#            in its own JVM: what direct routing buys (on request)
#   sticky-b our sticky hit again in its own JVM, from STICKY_B_JAR (default: the same jar) with
#            STICKY_B_OPTS (JVM options) and STICKY_B_ARGS (application arguments): a same-run A/B of a
#            commit or a setting against "sticky" (on request)
#   bare     Reactor Netty's HttpServer handing each request to its HttpClient: no Spring at all
#   webflux  a Spring WebFlux application whose first web filter forwards with Reactor Netty
#   gateway  the same, plus what Spring Cloud Gateway's routing filter does: its header filters, its
#            HttpClient bean and a 30 s timeout (and, on request, each alone: client, headers, timeout)
# bare, webflux and the rest are bench/ceiling-proxies: forwarding only, none of a gateway's other work
# (routes, retries, error answers). Each JVM runs one of them only, so no JIT profile is shared.
#
#   bash bench/ceiling.sh            # about 20 minutes; summary in target/bench/ceiling-<time>/summary.txt
#   bash bench/ceiling.sh --quick    # a smoke run of the script itself (seconds; numbers mean nothing)
#
# Knobs: CEILING_TARGETS (default "stock sticky bare webflux gateway"; also sticky-scg, sticky-b, client,
# headers, timeout),
# WARMUP_ROUNDS (4) x WARMUP_CHUNK (40 s) of interleaved warm-up per JVM, PERF_ROUNDS (5) x SAT_DURATION
# (15 s) measured, THREADS (1), CONNECTIONS (32), GATEWAY_HEAP, GATEWAY_EXTRA_OPTS; pins as bench/perf.sh.
set -euo pipefail

BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
source "$BENCH/lib.sh"
source "$BENCH/phases.sh"
source "$BENCH/perf-steps.sh"

QUICK=0
for arg in "$@"; do
  case "$arg" in
    -h | --help) sed -n '2,24p' "$0" | cut -c3-; exit 0 ;;
    --quick) QUICK=1 ;;
    *) die "unknown argument '$arg' (try --help)" ;;
  esac
done
if ((QUICK)); then : "${WARMUP_ROUNDS:=1}" "${WARMUP_CHUNK:=2}" "${PERF_ROUNDS:=1}" "${SAT_DURATION:=2}"; fi
CEILING_TARGETS="${CEILING_TARGETS:-stock sticky bare webflux gateway}"
WARMUP_ROUNDS="${WARMUP_ROUNDS:-4}" WARMUP_CHUNK="${WARMUP_CHUNK:-40}"
PERF_ROUNDS="${PERF_ROUNDS:-5}" SAT_DURATION="${SAT_DURATION:-15}"
THREADS="${THREADS:-1}" CONNECTIONS="${CONNECTIONS:-32}" STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-180}"
SERVER_CPU="${BENCH_SERVER_CPU:-1}" LOAD_CPU="${BENCH_LOAD_CPU:-0}"
GATEWAY_HEAP="${GATEWAY_HEAP:--Xms512m -Xmx512m}" GATEWAY_EXTRA_OPTS="${GATEWAY_EXTRA_OPTS:-}" GATEWAY_ARGS=""
GATEWAY_JAVA="$(command -v java)"
GATEWAY_JAVA_OPTS="$(config_java_opts "$(dirname "$(dirname "$(readlink -f "$GATEWAY_JAVA")")")|default")"
HOST=127.0.0.1 GATEWAY_PORT=18080 STOCK_PORT=18180
# the ceiling proxies: port (management port + 1) and the Gateway work each adds
SCG_PATH_PORT=18470 # sticky-scg: our jar again, without direct routing
B_PORT=18490        # sticky-b: our jar (or STICKY_B_JAR) again, with STICKY_B_OPTS / STICKY_B_ARGS
COPIED_JARS=()
declare -A CEILING_PORT=([bare]=18410 [webflux]=18420 [client]=18430 [headers]=18440 [timeout]=18450 [gateway]=18460)
declare -A CEILING_WORK=([webflux]="" [client]="--ceiling.gateway-client=true" [headers]="--ceiling.gateway-headers=true"
  [timeout]="--ceiling.timeout=true" [gateway]="--ceiling.gateway-client=true --ceiling.gateway-headers=true --ceiling.timeout=true")
BACKEND_PORTS=(19001 19002 19003)
STICKY_COOKIE_NAME=KNOX_BACKEND-sticky
CEILING_DIR="$BENCH/ceiling-proxies"

for n in WARMUP_ROUNDS WARMUP_CHUNK PERF_ROUNDS SAT_DURATION THREADS CONNECTIONS STARTUP_TIMEOUT; do
  [[ "${!n}" =~ ^[0-9]+$ ]] || die "$n must be a whole number, got '${!n}'"
done
for t in $CEILING_TARGETS; do [[ " stock sticky sticky-scg sticky-b ${!CEILING_PORT[*]} " == *" $t "* ]] || die "unknown target '$t'"; done
for tool in wrk nginx curl taskset timeout java; do command -v "$tool" > /dev/null || die "required tool not found: $tool"; done
for port in "$GATEWAY_PORT" "$STOCK_PORT" "$SCG_PATH_PORT" "$B_PORT" "${CEILING_PORT[@]}" "${BACKEND_PORTS[@]}"; do
  if port_in_use "$port"; then die "port $HOST:$port is already in use; stop whatever holds it first"; fi
done

resolve_ceiling_jar() { # CEILING_JAR: bench/ceiling-proxies, built when missing or older than its sources
  CEILING_JAR="$(bench_project_jar "$CEILING_DIR" ceiling-proxies "the ceiling proxies")"
  [[ -f "$CEILING_JAR" ]] || die "no ceiling proxies jar"
}

start_jvm() { # NAME JAR READY_URL ARGS...: one more JVM on the server CPU, same options as the gateways
  local name="$1" jar="$2" url="$3"
  shift 3
  log "starting '$name' (CPU $SERVER_CPU), ready at $url"
  # shellcheck disable=SC2086 # GATEWAY_JAVA_OPTS is a word list
  start "$OUT/$name.log" "$GATEWAY_JAVA" $GATEWAY_JAVA_OPTS -jar "$jar" "$@"
  if ! wait_200 "$url" "$STARTUP_TIMEOUT"; then tail -50 "$OUT/$name.log" >&2; exit 1; fi
}

start_ceiling() { start_jvm "$1" "$CEILING_JAR" "http://$HOST:$2/" "${@:3}"; } # NAME PORT ARGS...: a ceiling proxy

start_sticky_copy() { # NAME SOURCE_JAR PORT ARGS...: our gateway once more, from a private copy of SOURCE_JAR
  local name="$1" source="$2" port="$3" copy
  shift 3
  copy="$OUT/$name-$(basename "$source")"
  cp "$source" "$copy"
  COPIED_JARS+=("$copy")
  start_jvm "$name" "$copy" "http://$HOST:$port/plain/" \
    --spring.config.additional-location="file:$BENCH/gateway-bench.yml" --server.port="$port" \
    --management.server.port=$((port + 1)) "$@"
  [[ -n "${STICKY_COOKIE:-}" ]] || GATEWAY_PORT=$port take_sticky_cookie
}

target_url() { # NAME -> "url|cookie"
  case "$1" in
    stock) echo "http://$HOST:$STOCK_PORT/stock/|" ;;
    sticky) echo "http://$HOST:$GATEWAY_PORT/sticky/|$STICKY_COOKIE_NAME=$STICKY_COOKIE" ;;
    sticky-scg) echo "http://$HOST:$SCG_PATH_PORT/sticky/|$STICKY_COOKIE_NAME=$STICKY_COOKIE" ;;
    sticky-b) echo "http://$HOST:$B_PORT/sticky/|$STICKY_COOKIE_NAME=$STICKY_COOKIE" ;;
    *) echo "http://$HOST:${CEILING_PORT[$1]}/|" ;;
  esac
}

RUN_DIR="$ROOT/target/bench/ceiling-$(date +%Y%m%d-%H%M%S)"
OUT="$RUN_DIR" CONFIG_DIR="$RUN_DIR"
mkdir -p "$RUN_DIR/raw"
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM
targets=($CEILING_TARGETS)
start_watchdog $(( 900 + ${#targets[@]} * (STARTUP_TIMEOUT + (WARMUP_ROUNDS * WARMUP_CHUNK + PERF_ROUNDS * SAT_DURATION) * 2) ))

start_backends
resolve_jar
resolve_stock_jar
resolve_ceiling_jar
for t in "${targets[@]}"; do
  case "$t" in
    stock) start_stock ;;
    sticky) start_gateway; take_sticky_cookie ;;
    sticky-scg) start_sticky_copy sticky-scg "$SOURCE_JAR" "$SCG_PATH_PORT" --affinity.routing.direct=false ;;
    # shellcheck disable=SC2086 # STICKY_B_OPTS and STICKY_B_ARGS are word lists
    sticky-b) GATEWAY_JAVA_OPTS="$GATEWAY_JAVA_OPTS ${STICKY_B_OPTS:-}" \
      start_sticky_copy sticky-b "${STICKY_B_JAR:-$SOURCE_JAR}" "$B_PORT" ${STICKY_B_ARGS:-} ;;
    bare) start_ceiling bare "${CEILING_PORT[bare]}" bare "${CEILING_PORT[bare]}" ;;
    # shellcheck disable=SC2086 # CEILING_WORK is a word list
    *) start_ceiling "$t" "${CEILING_PORT[$t]}" --server.port="${CEILING_PORT[$t]}" \
      --management.server.port=$(( ${CEILING_PORT[$t]} + 1 )) --logging.level.root=WARN ${CEILING_WORK[$t]} ;;
  esac
done

interleaved_round() { # NAME SECONDS: wrk on every target in turn; sets ROUND_RPS, ROUND_ERRORS (by target), ROUND_LINE
  local t url cookie file
  ROUND_LINE="$1:"
  for t in "${targets[@]}"; do
    IFS='|' read -r url cookie <<< "$(target_url "$t")"
    file="$RUN_DIR/raw/${1// /-}-$t.txt"
    run_wrk "$file" "$2" "$url" "$cookie"
    read -r "ROUND_RPS[$t]" _ _ "ROUND_ERRORS[$t]" <<< "$(parse_wrk "$file")"
    ROUND_LINE+=" $t ${ROUND_RPS[$t]}"
  done
  log "$ROUND_LINE"
}

declare -A RPS=() ERRORS=() ROUND_RPS=() ROUND_ERRORS=()
WARM_TRACE=""
for w in $(seq 1 "$WARMUP_ROUNDS"); do
  interleaved_round "warm-up $w" "$WARMUP_CHUNK"
  WARM_TRACE+="  $ROUND_LINE"$'\n'
done
for r in $(seq 1 "$PERF_ROUNDS"); do
  interleaved_round "round $r" "$SAT_DURATION"
  for t in "${targets[@]}"; do
    RPS[$t]+="${ROUND_RPS[$t]} " ERRORS[$t]=$(( ${ERRORS[$t]:-0} + ${ROUND_ERRORS[$t]} ))
  done
done

{
  echo "bench/ceiling.sh $(date '+%Y-%m-%d %H:%M'), git $GIT_NOTE, jar $JAR_NOTE"
  echo "$(nproc) CPUs; servers on CPU $SERVER_CPU, wrk -t$THREADS -c$CONNECTIONS on CPU $LOAD_CPU; JVM: $("$GATEWAY_JAVA" -version 2>&1 | head -1) $GATEWAY_JAVA_OPTS"
  echo "warm-up: $WARMUP_ROUNDS interleaved rounds x ${WARMUP_CHUNK}s per JVM (req/s):"
  printf '%s' "$WARM_TRACE"
  echo "measured: $PERF_ROUNDS interleaved rounds x ${SAT_DURATION}s; req/s per round, median, median / stock's median"
  stock_median="$( [[ -n "${RPS[stock]:-}" ]] && median ${RPS[stock]} || echo 0)"
  for t in "${targets[@]}"; do
    m="$(median ${RPS[$t]})"
    printf '  %-8s %-48s median %9.1f  x stock %s  errors %d\n' "$t" "${RPS[$t]}" "$m" "$(ratio "$m" "$stock_median")" "${ERRORS[$t]}"
  done
} | tee "$RUN_DIR/summary.txt"
rm -f "${STOCK_JAR:-}" "${COPIED_JARS[@]}"
