# The one round loop of bench/perf.sh and bench/load.sh (sourced, not run): interleaved rounds over
# scenarios, the JIT warm-up built on it, and the wrk round both scripts record.
# A scenario is "name|url|cookie" (cookie: the Cookie header value, empty for none).
# Uses bench/lib.sh (run_wrk, parse_wrk, within, log) and the driver's RAW, WARMUP_* variables.
# shellcheck shell=bash
# shellcheck disable=SC2034 # the upper-case results are read by the summaries

one_round() { # ROUND "COMMAND [ARGS]" SCENARIO...: runs COMMAND ARGS ROUND NAME URL COOKIE for each scenario in turn
  local round="$1" command="$2" s name url cookie
  shift 2
  for s in "$@"; do
    IFS='|' read -r name url cookie <<< "$s"
    # COMMAND is a function name and arguments without spaces: word splitting is intended.
    # shellcheck disable=SC2086
    $command "$round" "$name" "$url" "$cookie"
  done
}

rounds() { # COUNT "COMMAND [ARGS]" SCENARIO...: COUNT interleaved rounds of one_round
  local count="$1" round
  shift
  for round in $(seq 1 "$count"); do one_round "$round" "$@"; done
}

# wrk for SECONDS on one scenario, into RAW/<PREFIX>round<N>-<name>.txt; appends to RPS, P50, P99
# (space-separated lists, one value per round) and adds to ERR, each under the key KEY<name>.
declare -A RPS=() P50=() P99=() ERR=()
wrk_round() { # PREFIX KEY SECONDS ROUND NAME URL COOKIE   (PREFIX and KEY may be "-" for none)
  local prefix="${1#-}" key="${2#-}" secs="$3" round="$4" name="$5" url="$6" cookie="$7" file rps p50 p99 errors
  file="$RAW/${prefix}round$round-$name.txt"
  log "${key}round $round: $name (${secs}s)"
  run_wrk "$file" "$secs" "$url" "$cookie"
  read -r rps p50 p99 errors <<< "$(parse_wrk "$file")"
  RPS["$key$name"]+="$rps " P50["$key$name"]+="$p50 " P99["$key$name"]+="$p99 "
  ERR["$key$name"]=$(( ${ERR["$key$name"]:-0} + errors ))
}

# Cycles of one WARMUP_CHUNK-second wrk run per scenario: at least WARMUP_SECONDS, then until every
# scenario's throughput is within WARMUP_TOLERANCE of the previous cycle (the JIT has settled), at most
# WARMUP_MAX_SECONDS. On one contended CPU, C2 can need minutes of load.
warm_up() { # SCENARIO...: sets WARM_ELAPSED, WARM_STABLE, WARM_TRACE
  log "warming up: ${WARMUP_SECONDS}-${WARMUP_MAX_SECONDS}s in ${WARMUP_CHUNK}s chunks, one per scenario in turn"
  local cycle=0 stable line
  local -A previous=()
  WARM_ELAPSED=0 WARM_STABLE=0 WARM_TRACE=""
  while :; do
    cycle=$((cycle + 1)) stable=1 line=""
    one_round "$cycle" warm_chunk "$@"
    WARM_TRACE+="  cycle $cycle:$line"$'\n'
    WARM_ELAPSED=$((WARM_ELAPSED + $# * WARMUP_CHUNK))
    log "warm-up cycle $cycle (${WARM_ELAPSED}s):$line req/s"
    WARM_STABLE=$stable
    if ((WARM_ELAPSED >= WARMUP_SECONDS && stable)) || ((WARM_ELAPSED >= WARMUP_MAX_SECONDS)); then break; fi
  done
}

warm_chunk() { # CYCLE NAME URL COOKIE: one chunk; updates warm_up's stable, line and previous
  local file="$RAW/warmup-$1-$2.txt" rps
  run_wrk "$file" "$WARMUP_CHUNK" "$3" "$4"
  read -r rps _ <<< "$(parse_wrk "$file")"
  line+=" $2 $(printf '%.0f' "$rps")"
  if [[ -z "${previous[$2]:-}" ]] || ! within "$rps" "${previous[$2]}" "$WARMUP_TOLERANCE"; then stable=0; fi
  previous[$2]=$rps
}
