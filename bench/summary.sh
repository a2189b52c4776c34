# The summary of bench/load.sh (sourced, not run): `write_summary` prints the table that load.sh
# saves as target/bench/run-<date>/summary.txt. Reads what phases.sh and rounds.sh record.
# shellcheck shell=bash

write_summary() {
  local s name m_plain m_sticky m_new m_hap m_hapnew m_direct p_plain p_sticky p_new p_hap
  echo "Affinity Gateway load benchmark  (run $RUN_ID)"
  echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -r);" \
       "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "java: $(java -version 2>&1 | head -1); wrk $(wrk -v 2>&1 | head -1 | awk '{ print $2 }');" \
       "nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'); haproxy $(haproxy -v 2>&1 | head -1 | awk '{ print $3 }')"
  echo "pinning: gateway/haproxy/nginx on CPU $SERVER_CPU, wrk on CPU $LOAD_CPU; gateway JVM: $GATEWAY_JAVA_OPTS${GATEWAY_ARGS:+; gateway args: $GATEWAY_ARGS}"
  echo "warm-up: ${WARM_ELAPSED}s, $( ((WARM_STABLE)) && echo "throughput stable within $WARMUP_TOLERANCE" || echo "NOT stable within $WARMUP_TOLERANCE when WARMUP_MAX_SECONDS was reached"); req/s per chunk:"
  printf '%s' "$WARM_TRACE"
  echo "method: ${WARM_ELAPSED}s warm-up, then $ROUNDS interleaved rounds x ${#SCENARIOS[@]} scenarios x ${DURATION}s;" \
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
  echo "scale: $SCALE_REQUESTS requested, ${SCALE_LINE#distinct-clients: } in ${SCALE_SECS}s" \
       "($(awk -v r="${SCALE_RESPONSES:-0}" -v s="$SCALE_SECS" 'BEGIN { printf "%.0f", (s > 0) ? r / s : 0 }') req/s incl. wrk's per-request Lua)"
  if (( ${SCALE_RESPONSES:-0} < SCALE_REQUESTS )); then
    echo "  WARNING: fewer responses than requested (SCALE_MAX_SECONDS=$SCALE_MAX_SECONDS reached?)"
  fi
  echo "heap used after GC: after warm-up ${HEAP_KB[warm]} KB; after rounds ${HEAP_KB[rounds]} KB;" \
       "after the distinct clients ${HEAP_KB[scale]} KB (growth vs warm-up: $((HEAP_KB[scale] - HEAP_KB[warm])) KB," \
       "vs rounds: $((HEAP_KB[scale] - HEAP_KB[rounds])) KB)"
  echo "metaspace used: ${META_KB[warm]} KB -> ${META_KB[rounds]} KB -> ${META_KB[scale]} KB"
  echo "gateway counters (service sticky): $COUNTERS"
  echo
  echo "startup: ${STARTED_LINE:-no 'Started' line found}; first 200 on /plain/ after ${FIRST_200_MS} ms (JVM launch to response, pinned to 1 CPU)"
  echo "source: commit $GIT_NOTE; jar $JAR_NOTE"
  echo "jar: $(basename "$JAR") $JAR_BYTES bytes ($(awk -v b="$JAR_BYTES" 'BEGIN { printf "%.1f MiB", b / 1048576 }'))"
  echo "native / QUIC / incubator entries in the jar:"
  echo "${NATIVE_ENTRIES:-  none}"
  echo
  echo "raw wrk outputs: $RAW"
}
