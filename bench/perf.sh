#!/usr/bin/env bash
# Issue 13's figures in one command: unmodified Spring Cloud Gateway round-robin (`stock`, built from
# bench/stock-gateway) against our sticky hit (`sticky`), our new client (`new`) and our jar's route
# without affinity (`plain`), both JVMs on one pinned core, in interleaved rounds, per JVM config:
#   - saturation requests/s (wrk -t1 -c32, closed model), medians over PERF_ROUNDS (5) rounds;
#   - latency at a fixed offered rate of RATE_FRACTION (50 %) of stock's median maximum, with the
#     open-model ConstantRate tool (corrected for coordinated omission, one warm generator JVM);
#   - bytes allocated per request (JFR jdk.ThreadAllocationStatistics under wrk);
#   - optionally (PROFILE=1) CPU and allocation flame graphs of sticky and stock into docs/perf/<date>/.
#
#   bash bench/perf.sh --check            # tools, ports, jar, load generator and the plan; starts nothing
#   bash bench/perf.sh                    # Java on PATH, the JVM's default GC for one CPU
#   bash bench/perf.sh --matrix           # Java 17 and Temurin 25 x G1, Serial, Parallel (hours)
#   PERF_OBSERVABILITY=on bash bench/perf.sh   # only the Gateway's observability on in both (default: on, then off)
#   bash bench/perf.sh --quick            # smoke: every step for a second or two (a few minutes)
#
# Pins: both gateways and nginx on CPU 1 (BENCH_SERVER_CPU), wrk and ConstantRate on CPU 0 (BENCH_LOAD_CPU).
# Writes under target/bench/perf-<date>/ (and docs/perf/<date>/ with PROFILE=1). Installs nothing.
set -euo pipefail

BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"
# shellcheck source=bench/phases.sh
source "$BENCH/phases.sh"
# shellcheck source=bench/rounds.sh
source "$BENCH/rounds.sh"
# shellcheck source=bench/perf-servers.sh
source "$BENCH/perf-servers.sh"
# shellcheck source=bench/perf-rate.sh
source "$BENCH/perf-rate.sh"
# shellcheck source=bench/perf-steps.sh
source "$BENCH/perf-steps.sh"
# shellcheck source=bench/perf-report.sh
source "$BENCH/perf-report.sh"

CHECK_ONLY=0 QUICK=0 MATRIX=0
for arg in "$@"; do
  case "$arg" in
    -h | --help) sed -n '2,18p' "$0" | cut -c3-; echo "Knobs (environment variables): see bench/README.md."; exit 0 ;;
    --check) CHECK_ONLY=1 ;;
    --quick) QUICK=1 ;;
    --matrix) MATRIX=1 ;;
    *) die "unknown argument '$arg' (try --help)" ;;
  esac
done

# ---- knobs (environment, documented in bench/README.md); --quick and --matrix only change defaults -
if ((QUICK)); then
  : "${WARMUP_SECONDS:=3}" "${WARMUP_MAX_SECONDS:=3}" "${PERF_ROUNDS:=1}" "${SAT_DURATION:=2}" "${RATE_DURATION:=2}" "${PROFILE_SECONDS:=2}"
fi
if ((MATRIX)); then
  : "${PERF_JAVA_HOMES:=/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64}" "${PERF_GCS:=G1 Serial Parallel}"
fi
# On one CPU shared with its own compiler threads, a gateway JVM needs 2-3 minutes of load before its
# throughput stops rising (measured: ~1,200 req/s after 60 s, ~5,000 after 150 s).
WARMUP_SECONDS="${WARMUP_SECONDS:-320}"       # JIT warm-up per JVM: at least this long ...
WARMUP_MAX_SECONDS="${WARMUP_MAX_SECONDS:-480}" # ... and until req/s is stable, at most this long (stock needs 5-7 minutes)
PERF_ROUNDS="${PERF_ROUNDS:-5}"               # interleaved rounds; medians are reported
SAT_DURATION="${SAT_DURATION:-10}"            # seconds per scenario per round, saturation (wrk)
RATE_FRACTION="${RATE_FRACTION:-0.5}"         # fixed offered rate = this x stock's median req/s (saturation)
FIXED_RATE="${FIXED_RATE:-}"                  # or this rate (req/s) for every config, e.g. to compare JVMs
RATE_DURATION="${RATE_DURATION:-15}"          # measured seconds per scenario per round at the fixed rate
PERF_STEPS="${PERF_STEPS:-saturation rate alloc profile}" # what to measure after the warm-up (A/B runs: saturation)
PROFILE="${PROFILE:-0}"                       # 1: flame graphs of the sticky path per config
PROFILE_SECONDS="${PROFILE_SECONDS:-15}"      # per flame graph (CPU, then allocation)
PROFILE_SCENARIOS="${PROFILE_SCENARIOS:-sticky stock}"
SERVER_CPU="${BENCH_SERVER_CPU:-1}"
LOAD_CPU="${BENCH_LOAD_CPU:-0}"
OURS_EXTRA_OPTS="${OURS_EXTRA_OPTS:-}"        # JVM options for our gateway only (the summary says the flags differ)
BASE_GATEWAY_ARGS="${GATEWAY_ARGS:-}"         # extra Spring arguments, our gateway
BASE_STOCK_ARGS="${STOCK_ARGS:-}"             # extra Spring arguments, stock
PERF_JAVA_HOMES="${PERF_JAVA_HOMES:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
PERF_GCS="${PERF_GCS:-default}"               # default (the JVM's choice for one CPU: Serial), G1, Serial, Parallel
# The Gateway's observability (per-request observations, what tracing needs) on in both gateways,
# then off in both: each comparison at equal settings.
PERF_OBSERVABILITY="${PERF_OBSERVABILITY:-on off}"

# ---- fixed by the method (--quick shortens the waits) ------------------------------------------------
WARMUP_CHUNK=10 WARMUP_TOLERANCE=0.05         # warm-up chunk seconds per scenario; "stable" is within 5 %
THREADS=1 CONNECTIONS=32                      # wrk, saturation
RATE_WARMUP=3 RATE_CONNECTIONS=32             # ConstantRate: its warm-up before each run, its connections
RATE_GEN_WARMUP=20                            # the generator JVM's own warm-up, on nginx, before its runs
ALLOC_SECONDS=10 ALLOC_SETTLE=20              # JFR window for bytes/request under wrk, after this much load
ALLOC_SCENARIOS="stock plain sticky new"
if ((QUICK)); then
  WARMUP_CHUNK=1 RATE_WARMUP=1 RATE_GEN_WARMUP=2 ALLOC_SECONDS=2 ALLOC_SETTLE=2 ALLOC_SCENARIOS=sticky
fi
PROFILE_DIR="$ROOT/docs/perf/$(date +%Y-%m-%d)"
((QUICK)) && PROFILE_DIR="$ROOT/target/bench/quick-flame-graphs" # a smoke run never replaces the published ones
STARTUP_TIMEOUT=180
GATEWAY_HEAP="-Xms512m -Xmx512m"
LOADGEN_JAVA=java
LOADGEN_OPTS="-Xms256m -Xmx256m -XX:+UseSerialGC -XX:ActiveProcessorCount=1"

HOST=127.0.0.1 GATEWAY_PORT=18080 MANAGEMENT_PORT=18081 STOCK_PORT=18180 STOCK_MANAGEMENT_PORT=18181
BACKEND_PORTS=(19001 19002 19003)
STICKY_COOKIE_NAME=KNOX_BACKEND-sticky
LOADGEN_CLASSES="$ROOT/target/jmh/test-classes"
LOADGEN_CLASS=dev.affinity.gateway.bench.ConstantRate
RATE_RULE="${FIXED_RATE:-$RATE_FRACTION x the median req/s of stock}"

for n in WARMUP_SECONDS WARMUP_MAX_SECONDS PERF_ROUNDS SAT_DURATION RATE_DURATION PROFILE_SECONDS; do
  [[ "${!n}" =~ ^[0-9]+$ ]] || die "$n must be a whole number, got '${!n}'"
done
[[ -z "$FIXED_RATE" || "$FIXED_RATE" =~ ^[0-9]+$ ]] || die "FIXED_RATE must be a whole number of req/s"
CONFIGS=()
for home in $PERF_JAVA_HOMES; do
  for gc in $PERF_GCS; do for obs in $PERF_OBSERVABILITY; do CONFIGS+=("$home|$gc|$obs"); done; done
done
PER_CONFIG_SECONDS=$(( STARTUP_TIMEOUT / 3 + WARMUP_MAX_SECONDS + PERF_ROUNDS * 4 * (SAT_DURATION + 1)
  + RATE_GEN_WARMUP + PERF_ROUNDS * 4 * (RATE_DURATION + RATE_WARMUP + 1) + $(wc -w <<< "$ALLOC_SCENARIOS") * (ALLOC_SETTLE + ALLOC_SECONDS + 10)
  + PROFILE * $(wc -w <<< "$PROFILE_SCENARIOS") * (2 * PROFILE_SECONDS + RATE_GEN_WARMUP + RATE_WARMUP + 20) ))
MAX_TOTAL_SECONDS="${MAX_TOTAL_SECONDS:-$(( 600 + ${#CONFIGS[@]} * (PER_CONFIG_SECONDS + STARTUP_TIMEOUT) ))}"

# ---- preflight --------------------------------------------------------------------------------------
problems=()
for tool in wrk nginx jq curl taskset timeout "$LOADGEN_JAVA"; do
  command -v "$tool" > /dev/null || problems+=("required tool not found: $tool (install: bash bench/install.sh)")
done
for c in "${CONFIGS[@]}"; do
  home="${c%%|*}" gc="${c#*|}" gc="${gc%|*}"
  for tool in java jcmd jfr; do [[ -x "$home/bin/$tool" ]] || problems+=("$home/bin/$tool not found (PERF_JAVA_HOMES)"); done
  gc_flag "$gc" > /dev/null || problems+=("unknown GC '$gc' in PERF_GCS (default, G1, Serial, Parallel)")
done
for port in "$GATEWAY_PORT" "$MANAGEMENT_PORT" "$STOCK_PORT" "$STOCK_MANAGEMENT_PORT" "${BACKEND_PORTS[@]}"; do
  if port_in_use "$port"; then problems+=("port $HOST:$port is already in use; stop whatever holds it first"); fi
done
for file in nginx.conf gateway-bench.yml stock-gateway.yml stock-gateway/pom.xml alloc.jfc; do [[ -f "$BENCH/$file" ]] || problems+=("missing bench/$file"); done
if ((PROFILE)); then bash "$BENCH/profile.sh" --check > /dev/null || problems+=("PROFILE=1 but async-profiler is not available (bash bench/profile.sh --check)"); fi
if ((CHECK_ONLY)); then
  echo "jar: $(find_jar || true)${GATEWAY_JAR:+ (GATEWAY_JAR=$GATEWAY_JAR)}"
  echo "load generator: $( [[ -f "$LOADGEN_CLASSES/${LOADGEN_CLASS//.//}.class" ]] && echo "$LOADGEN_CLASSES" || echo "not built yet (a run builds it: ./mvnw -Pjmh ... package)")"
  echo "configs (${#CONFIGS[@]}):"
  for c in "${CONFIGS[@]}"; do echo "  $(config_name "${c%|*}")-observability-${c##*|}: $(config_java_opts "${c%|*}")"; done
  echo "stock gateway jar: $(find "$BENCH/stock-gateway/target" -maxdepth 1 -name 'stock-gateway-*.jar' 2>/dev/null | head -1 || true)" \
       "(built from bench/stock-gateway when missing)"
  echo "plan per config: warm-up ${WARMUP_SECONDS}-${WARMUP_MAX_SECONDS}s (${WARMUP_CHUNK}s chunks);" \
       "$PERF_ROUNDS rounds x stock/plain/sticky/new x ${SAT_DURATION}s wrk -t$THREADS -c$CONNECTIONS;" \
       "$PERF_ROUNDS rounds x 4 x (${RATE_WARMUP}+${RATE_DURATION})s ConstantRate at a fixed rate ($RATE_RULE), $RATE_CONNECTIONS connections;" \
       "bytes/request of '$ALLOC_SCENARIOS' (JFR under wrk, ${ALLOC_SECONDS}s each);" \
       "flame graphs: $( ((PROFILE)) && echo "$PROFILE_SCENARIOS, ${PROFILE_SECONDS}s each, into $PROFILE_DIR/<config>/<scenario>/" || echo "no (PROFILE=1)")"
  echo "about ${PER_CONFIG_SECONDS}s per config; bounded by ${MAX_TOTAL_SECONDS}s; CPUs: servers $SERVER_CPU, load $LOAD_CPU"
fi
if ((${#problems[@]})); then printf '%s\n' "${problems[@]}" >&2; exit 1; fi
if ((CHECK_ONLY)); then echo "ready: tools present, ports free on $HOST"; exit 0; fi

RUN_ID="$(date +%Y%m%d-%H%M%S)"
RUN_DIR="$ROOT/target/bench/perf-$RUN_ID"
OUT="$RUN_DIR"
mkdir -p "$RUN_DIR"
ln -sfn "perf-$RUN_ID" "$ROOT/target/bench/latest-perf"
trap cleanup EXIT
trap 'log "interrupted (or MAX_TOTAL_SECONDS reached, see watchdog.log)"; exit 130' INT TERM
start_watchdog "$MAX_TOTAL_SECONDS"

start_backends
resolve_jar
resolve_stock_jar
ensure_loadgen
for c in "${CONFIGS[@]}"; do measure_config "$c"; done
write_perf_summary | tee "$RUN_DIR/summary.txt"
