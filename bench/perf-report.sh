# The summary of bench/perf.sh (sourced, not run): `write_perf_summary` prints what perf.sh saves as
# target/bench/perf-<date>/summary.txt. Reads what perf-steps.sh and rounds.sh record.
# shellcheck shell=bash

declare -A CONFIG_OPTS=() CONFIG_JAVA=() CONFIG_WARM=() CONFIG_WARM_TRACE=() CONFIG_RATE=()
CONFIG_ORDER=()

write_perf_summary() {
  local config name m_stock m_plain m_sticky m_new p_stock p_sticky p_new
  echo "Affinity Gateway benchmark (bench/perf.sh)  (run $RUN_ID)$( ((QUICK)) && echo '  QUICK SMOKE RUN: the figures mean nothing')"
  echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -r);" \
       "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "wrk $(wrk -v 2>&1 | head -1 | awk '{ print $2 }'); nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'); load generator:" \
       "$("$LOADGEN_JAVA" -version 2>&1 | head -1) $LOADGEN_OPTS"
  echo "pinning: both gateways and nginx on CPU $SERVER_CPU, wrk and ConstantRate on CPU $LOAD_CPU; source: commit $GIT_NOTE; jar $JAR_NOTE"
  echo "Spring args: ours ${BASE_GATEWAY_ARGS:-none}, stock ${BASE_STOCK_ARGS:-none} (plus observability per config); JVM options ${OURS_EXTRA_OPTS:-none}$([[ -n "${OURS_EXTRA_OPTS:-}" ]] && echo ' (NOT the same JVM flags as stock)')"
  echo "method: per config, warm-up ${WARMUP_SECONDS}-${WARMUP_MAX_SECONDS}s, then $PERF_ROUNDS interleaved rounds of" \
       "stock/plain/sticky/new: saturation with wrk -t$THREADS -c$CONNECTIONS for ${SAT_DURATION}s; then $PERF_ROUNDS interleaved rounds at a fixed" \
       "offered rate ($RATE_RULE) with ConstantRate ($RATE_CONNECTIONS connections, one JVM warmed ${RATE_GEN_WARMUP}s on nginx," \
       "${RATE_WARMUP}s + ${RATE_DURATION}s per run, latency from the intended start); medians over rounds; bytes/request from JFR" \
       "jdk.ThreadAllocationStatistics under wrk"
  echo "stock = unmodified Spring Cloud Gateway (bench/stock-gateway, lb:// round-robin, defaults); plain = our jar, route without affinity"
  for config in "${CONFIG_ORDER[@]}"; do
    echo
    echo "== $config: ${CONFIG_JAVA[$config]}; ${CONFIG_OPTS[$config]}; warm-up ${CONFIG_WARM[$config]}; fixed rate ${CONFIG_RATE[$config]} req/s"
    printf '%-7s %9s %6s  %-34s | %8s %8s %9s %8s %8s %6s %7s | %7s\n' scenario "sat req/s" errors "per round" \
      "p50 ms" "p99 ms" "p99.9 ms" "max ms" achieved errors "lag ms" "B/req"
    for name in stock plain sticky new; do
      # shellcheck disable=SC2086
      printf '%-7s %9.0f %6d  %-34s | %8.3f %8.3f %9.3f %8.3f %8.1f %6d %7.1f | %7s\n' "$name" \
        "$(median ${RPS["$config:$name"]})" "${ERR["$config:$name"]:-0}" \
        "$(printf '%.0f ' ${RPS["$config:$name"]})" \
        "$(median ${FIX_P50["$config:$name"]:-})" "$(median ${FIX_P99["$config:$name"]:-})" \
        "$(median ${FIX_P999["$config:$name"]:-})" "$(median ${FIX_MAX["$config:$name"]:-})" \
        "$(median ${FIX_ACH["$config:$name"]:-})" "${FIX_ERR["$config:$name"]:-0}" "$(median ${FIX_LAG["$config:$name"]:-})" \
        "${ALLOC_BPR["$config:$name"]:--}"
    done
    # shellcheck disable=SC2086
    {
      m_stock=$(median ${RPS["$config:stock"]:-}); m_plain=$(median ${RPS["$config:plain"]:-})
      m_sticky=$(median ${RPS["$config:sticky"]:-}); m_new=$(median ${RPS["$config:new"]:-})
      p_stock=$(median ${FIX_P99["$config:stock"]:-}); p_sticky=$(median ${FIX_P99["$config:sticky"]:-}); p_new=$(median ${FIX_P99["$config:new"]:-})
    }
    echo "ratios (medians, this config)          value   goal (issue 21)"
    printf '  sticky/stock req/s (saturation)   %8s   >= 1.5 (moonshot 2.0)\n' "$(ratio "$m_sticky" "$m_stock")"
    printf '  new/stock    req/s (saturation)   %8s   >= 1.4\n' "$(ratio "$m_new" "$m_stock")"
    printf '  plain/stock  req/s (saturation)   %8s\n' "$(ratio "$m_plain" "$m_stock")"
    printf '  sticky/stock p99 at fixed rate    %8s   <= 1.0\n' "$(ratio "$p_sticky" "$p_stock")"
    printf '  new/stock    p99 at fixed rate    %8s\n' "$(ratio "$p_new" "$p_stock")"
    if ((PROFILE)) && compgen -G "$RUN_DIR/$config/raw/*-cpu.collapsed" > /dev/null; then
      echo "CPU per request (profiles at the fixed rate; bench/profile-split.sh):"
      bash "$BENCH/profile-split.sh" "$RUN_DIR/$config" | sed 's/^/  /'
    fi
    echo "warm-up trace (req/s per ${WARMUP_CHUNK}s chunk):"
    printf '%s' "${CONFIG_WARM_TRACE[$config]}"
  done
  if ((${#CONFIG_ORDER[@]} > 1)); then
    echo
    echo "== across configs (each config's own medians; p99 at that config's fixed rate)"
    printf '%-18s %10s %10s %10s %8s %11s %11s %10s %8s\n' config "stock r/s" "sticky r/s" "new r/s" sticky/st "stock p99" "sticky p99" "fixed rate" "B/req"
    for config in "${CONFIG_ORDER[@]}"; do
      # shellcheck disable=SC2086
      printf '%-18s %10.0f %10.0f %10.0f %8s %11.3f %11.3f %10s %8s\n' "$config" "$(median ${RPS["$config:stock"]:-})" \
        "$(median ${RPS["$config:sticky"]:-})" "$(median ${RPS["$config:new"]:-})" \
        "$(ratio "$(median ${RPS["$config:sticky"]:-})" "$(median ${RPS["$config:stock"]:-})")" \
        "$(median ${FIX_P99["$config:stock"]:-})" "$(median ${FIX_P99["$config:sticky"]:-})" "${CONFIG_RATE[$config]}" "${ALLOC_BPR["$config:sticky"]:--}"
    done
  fi
  echo
  echo "raw outputs (wrk, ConstantRate, .hgrm, JFR, gateway logs): $RUN_DIR/<config>/"
  echo "lag ms: the generator's worst send delay (its own health; well under the p99 or the p99 is the generator's)"
  echo "B/req: JFR per-thread allocated bytes / requests served under wrk (bench/README.md)"
  if ((PROFILE)); then echo "flame graphs: $PROFILE_DIR/<config>/<scenario>/{cpu,alloc}.html (text form: raw/<scenario>-{cpu,alloc}.collapsed)"; fi
}
