#!/usr/bin/env bash
# Load benchmark of Affinity Gateway against stock Spring Cloud Gateway round-robin and HAProxy,
# over three small nginx backends, all on loopback (127.0.0.1) only. See bench/README.md.
#
#   bash bench/load.sh            # full run (~50 s warm-up, 3 x 6 x 15 s, 1M scale run)
#   bash bench/load.sh --check    # checks tools, ports and the jar, prints the plan, starts nothing
#   WARMUP_SECONDS=6 DURATION=2 ROUNDS=2 SCALE_REQUESTS=20000 bash bench/load.sh   # smoke run
#
# Installs nothing and writes nothing outside target/bench (bench/install.sh installs the tools).
# Pins: gateway, HAProxy and nginx on CPU 1 (BENCH_SERVER_CPU), wrk on CPU 0 (BENCH_LOAD_CPU).
# Everything it starts is stopped on exit, by PID; every step is bounded in time.
set -euo pipefail

BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"
# shellcheck source=bench/phases.sh
source "$BENCH/phases.sh"
# shellcheck source=bench/rounds.sh
source "$BENCH/rounds.sh"
# shellcheck source=bench/summary.sh
source "$BENCH/summary.sh"

case "${1:-}" in
  -h | --help) sed -n '2,11p' "$0" | cut -c3-; echo "Knobs (environment variables): see bench/README.md."; exit 0 ;;
  --check) CHECK_ONLY=1 ;;
  "") CHECK_ONLY=0 ;;
  *) die "unknown argument '$1' (try --help)" ;;
esac

# ---- knobs (environment) -------------------------------------------------------------------------
WARMUP_SECONDS="${WARMUP_SECONDS:-50}"          # minimum gateway JVM warm-up, alternating plain/sticky/new
WARMUP_MAX_SECONDS="${WARMUP_MAX_SECONDS:-180}" # warm-up goes on until throughput is stable, at most this long
DURATION="${DURATION:-15}"                      # seconds per scenario per round
ROUNDS="${ROUNDS:-3}"                           # interleaved rounds (medians are reported)
SCALE_REQUESTS="${SCALE_REQUESTS:-1000000}"     # cookieless requests with distinct client identities
GATEWAY_ARGS="${GATEWAY_ARGS:-}"                # extra Spring arguments, e.g. for an A/B of a setting
SERVER_CPU="${BENCH_SERVER_CPU:-1}"
LOAD_CPU="${BENCH_LOAD_CPU:-0}"
WARMUP_CHUNK=5 WARMUP_TOLERANCE=0.05            # "stable": each scenario within 5% of the previous cycle
THREADS=2 CONNECTIONS=64                        # wrk (HTTP/1.1 keep-alive)
SCALE_MAX_SECONDS=900 STARTUP_TIMEOUT=180       # upper bounds of the scale run and of the gateway's first 200
GATEWAY_JAVA_OPTS="-Xms512m -Xmx512m"

# Fixed in bench/gateway-bench.yml, bench/haproxy.cfg and bench/nginx.conf.
HOST=127.0.0.1 GATEWAY_PORT=18080 MANAGEMENT_PORT=18081 HAPROXY_PORT=18090
BACKEND_PORTS=(19001 19002 19003)
STICKY_COOKIE_NAME=KNOX_BACKEND-sticky

for n in WARMUP_SECONDS WARMUP_MAX_SECONDS DURATION ROUNDS SCALE_REQUESTS; do
  [[ "${!n}" =~ ^[0-9]+$ ]] || die "$n must be a whole number, got '${!n}'"
done
(( DURATION >= 1 && ROUNDS >= 1 )) || die "need DURATION>=1, ROUNDS>=1"
SCENARIO_COUNT=6
MAX_TOTAL_SECONDS="${MAX_TOTAL_SECONDS:-$(( 900 + WARMUP_MAX_SECONDS + WARMUP_SECONDS + ROUNDS * SCENARIO_COUNT * (DURATION + 15) + SCALE_MAX_SECONDS + STARTUP_TIMEOUT ))}"

# ---- preflight: tools (bench/install.sh installs them), free ports, config files ------------------
problems=()
for tool in wrk nginx haproxy jq java jcmd jstat curl taskset timeout unzip; do
  command -v "$tool" > /dev/null || problems+=("required tool not found: $tool (install: bash bench/install.sh)")
done
for port in "$GATEWAY_PORT" "$MANAGEMENT_PORT" "$HAPROXY_PORT" "${BACKEND_PORTS[@]}"; do
  if port_in_use "$port"; then problems+=("port $HOST:$port is already in use; stop whatever holds it first"); fi
done
for file in nginx.conf haproxy.cfg gateway-bench.yml distinct-clients.lua; do
  [[ -f "$BENCH/$file" ]] || problems+=("missing bench/$file")
done
if ((CHECK_ONLY)); then
  jar="${GATEWAY_JAR:-$(find_jar)}"
  echo "jar: ${jar:-none yet (a run builds it)}"
  echo "plan: warm-up ${WARMUP_SECONDS}-${WARMUP_MAX_SECONDS}s in ${WARMUP_CHUNK}s chunks; $ROUNDS rounds x $SCENARIO_COUNT scenarios x ${DURATION}s;" \
       "scale run of $SCALE_REQUESTS requests (<= ${SCALE_MAX_SECONDS}s); wrk -t$THREADS -c$CONNECTIONS on CPU $LOAD_CPU," \
       "servers on CPU $SERVER_CPU; bounded by ${MAX_TOTAL_SECONDS}s; output in target/bench/run-<date>/"
fi
if ((${#problems[@]})); then printf '%s\n' "${problems[@]}" >&2; exit 1; fi
if ((CHECK_ONLY)); then echo "ready: tools present, ports free on $HOST"; exit 0; fi

RUN_ID="$(date +%Y%m%d-%H%M%S)"
OUT="$ROOT/target/bench/run-$RUN_ID"
RAW="$OUT/raw"
mkdir -p "$RAW"
ln -sfn "run-$RUN_ID" "$ROOT/target/bench/latest"
trap cleanup EXIT
trap 'log "interrupted (or MAX_TOTAL_SECONDS reached, see watchdog.log)"; exit 130' INT TERM
start_watchdog "$MAX_TOTAL_SECONDS"

# ---- servers, then one valid cookie from each proxy ------------------------------------------------
start_backends
start_haproxy
resolve_jar
start_gateway
take_cookies

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
  [[ "$url" == "http://$HOST:"* ]] || die "refusing non-loopback target $url"
done

# ---- measurements: heap after GC between the phases ------------------------------------------------
declare -A HEAP_KB=() META_KB=()
snapshot() { # LABEL KEY
  local used meta
  read -r used meta <<< "$(heap_snapshot "$1" || true)"
  HEAP_KB[$2]=${used:-0} META_KB[$2]=${meta:-0}
}
warm_up "${SCENARIOS[@]:1:3}" # plain, sticky, new
snapshot after-warmup warm
log "heap after warm-up + GC: ${HEAP_KB[warm]} KB (metaspace ${META_KB[warm]} KB)"
rounds "$ROUNDS" "wrk_round - - $DURATION" "${SCENARIOS[@]}"
snapshot after-rounds rounds
scale_run
snapshot after-scale scale
read_counters
inspect_jar
write_summary | tee "$OUT/summary.txt"
