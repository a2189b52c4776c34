# Helpers of bench/perf.sh and bench/load.sh (sourced, not run): processes, HTTP checks, wrk runs and their numbers.
# Uses the driver's variables HOST, OUT, THREADS, CONNECTIONS, LOAD_CPU, GATEWAY_PID.
# shellcheck shell=bash

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

die() { echo "$*" >&2; exit 1; }

# ---- processes: stop exactly what this run started, by PID ----------------------------------------
STARTED_PIDS=()
WATCHDOG_PID=""

cleanup() {
  local status=$? pid alive
  trap - EXIT INT TERM
  if ((${#STARTED_PIDS[@]})); then
    log "stopping ${STARTED_PIDS[*]}"
    kill -TERM "${STARTED_PIDS[@]}" 2>/dev/null || true
    for _ in $(seq 1 50); do
      alive=0
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

forget_pid() { # PID: it has exited; never signal a reused PID later
  local kept=() pid
  for pid in "${STARTED_PIDS[@]}"; do [[ "$pid" == "$1" ]] || kept+=("$pid"); done
  STARTED_PIDS=("${kept[@]}")
}

start_watchdog() { # SECONDS: ends the whole run (SIGTERM to this shell) when it takes longer
  # The watchdog kills its own sleep when it is stopped, and holds none of the script's output pipes.
  (
    trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
    sleep "$1" & sleeper=$!
    wait "$sleeper"
    echo "$(basename "$0"): exceeded MAX_TOTAL_SECONDS=$1, aborting" >&2
    kill -TERM $$
  ) > /dev/null 2>> "$OUT/watchdog.log" &
  WATCHDOG_PID=$!
}

# ---- HTTP ------------------------------------------------------------------------------------------
port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

wait_200() { # URL SECONDS: waits until URL answers HTTP 200; prints nothing
  local url="$1" seconds="$2" deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)" == 200 ]] && return 0
    sleep 0.05
  done
  echo "no HTTP 200 from $url within ${seconds}s" >&2
  return 1
}

set_cookie_value() { # URL COOKIE_NAME -> value from Set-Cookie
  curl -s --max-time 5 -D - -o /dev/null "$1" | tr -d '\r' \
    | sed -n "s/^[Ss]et-[Cc]ookie: $2=\([^;]*\).*/\1/p" | head -1
}

# ---- wrk and its numbers ---------------------------------------------------------------------------
run_wrk() { # OUTFILE SECONDS URL COOKIE [LUA_SCRIPT [SCRIPT_ARGS...]]   (COOKIE may be empty)
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

to_ms() { # a wrk latency ("812.00us", "1.20ms", "2.01s") -> milliseconds
  awk -v v="$1" 'BEGIN { n = v; sub(/[a-z]+$/, "", n); u = v; sub(/^[0-9.]+/, "", u);
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1;
    printf "%.3f", n * f }'
}

parse_wrk() { # FILE -> "rps p50_ms p99_ms errors" (errors: non-2xx/3xx responses + socket errors)
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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.3f", a / b }'; }

within() { # A B TOLERANCE: succeeds when A is within TOLERANCE (relative) of B
  awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = (a - b) / (b > 0 ? b : 1); exit !(d <= t && d >= -t) }'
}

# ---- gateway heap after a full GC -----------------------------------------------------------------
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

# ---- the gateway jar -------------------------------------------------------------------------------
find_jar() { # the built fat jar, if any (the repackager's *.jar.original never matches)
  local jar
  for jar in "$ROOT"/target/affinity-gateway-*.jar; do
    if [[ -f "$jar" ]]; then echo "$jar"; return 0; fi
  done
  return 0
}
