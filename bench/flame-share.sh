#!/usr/bin/env bash
# Inclusive share of a flame graph taken by named parts of the code: for each PATTERN (an awk regular
# expression matched against the frames of a stack), the weight of the stacks that contain it, as a
# percentage of the whole. Reads async-profiler's collapsed output ("frame;frame;... weight" per line,
# written by bench/profile.sh next to each HTML flame graph; perf.sh keeps them in raw/).
#
#   bash bench/flame-share.sh raw/sticky-cpu.collapsed 'GatewayMetricsFilter' 'Observation' ...
#   bash bench/flame-share.sh FILE                 # the default list of Spring Cloud Gateway / Reactor parts
#
# Stacks are counted once per pattern even when the pattern occurs twice in them (recursion), so the
# shares of nested parts overlap and do not add up to 100 %.
set -euo pipefail
(($# >= 1)) || { sed -n '2,11p' "$0" | cut -c3-; exit 64; }
file="$1"
shift
[[ -f "$file" ]] || { echo "flame-share.sh: no file $file" >&2; exit 1; }
if (($# == 0)); then
  set -- 'FilteringWebHandler\.handle' 'AnnotationAwareOrderComparator|OrderComparator' \
    'RoutePredicateHandlerMapping' 'GatewayMetricsFilter' 'ServerHttpObservationFilter|ObservationRegistry|[Oo]bservation\.' \
    'micrometer' 'XForwardedHeadersFilter' 'ForwardedHeadersFilter' 'RemoveHopByHopHeadersFilter' \
    'HttpHeadersFilter\.filter' 'HttpClient\.option|HttpClientConfig\.<init>' 'FluxTimeout|MonoTimeout|timeout' \
    'ReactiveLoadBalancerClientFilter' 'NettyRoutingFilter' 'NettyWriteResponseFilter' 'dev/affinity|dev\.affinity' \
    'reactor/netty/http/server|reactor\.netty\.http\.server' 'reactor/netty/http/client|reactor\.netty\.http\.client' \
    'PooledConnectionProvider|reactor/netty/resources|reactor\.netty\.resources' 'epoll|EPoll|Epoll|writev|readv|sys_' \
    'GC|gc_|G1|Serial|Copy|Scavenge' 'C2Compiler|C1Compiler|CompileBroker' 'Interpreter|interpreter'
fi
awk -v patterns="$(printf '%s\n' "$@")" '
  BEGIN { n = split(patterns, pat, "\n") }
  {
    w = $NF; stack = $0; sub(/ [0-9]+$/, "", stack); total += w
    for (i = 1; i <= n; i++) if (stack ~ pat[i]) share[i] += w
  }
  END {
    printf "%-75s %8s\n", "part (stacks containing)", "share"
    for (i = 1; i <= n; i++) printf "%-75s %7.1f%%\n", pat[i], (total ? 100 * share[i] / total : 0)
    printf "%-75s %8d\n", "total weight (samples or bytes)", total
  }' "$file"
