#!/usr/bin/env bash
# Where a request's CPU goes, from the CPU profiles bench/perf.sh takes (PROFILE=1): every scenario's
# profile runs at the same offered rate for the same time, so its samples compare as CPU per request.
#
#   bash bench/profile-split.sh CONFIG_DIR     # CONFIG_DIR/raw/<scenario>-cpu.collapsed, e.g.
#   bash bench/profile-split.sh target/bench/latest-perf/java17-default-observability-on
#
# Per scenario: samples (JIT compiler threads left out) and their ratio to stock's; the share spent in
# the kernel (frames async-profiler marks _[k]: socket reads and writes, epoll, scheduling) and in user
# space, each also as a ratio to stock's; and "own", the samples whose innermost dev.affinity frame
# calls no Reactor Netty or Netty frame below it: the product's code and the library code it runs
# itself (header filters, observations), not the network I/O it hands to Netty.
set -euo pipefail

dir="${1:?usage: profile-split.sh CONFIG_DIR}"
shopt -s nullglob
files=("$dir"/raw/*-cpu.collapsed)
((${#files[@]})) || { echo "profile-split.sh: no $dir/raw/*-cpu.collapsed (run perf.sh with PROFILE=1)" >&2; exit 1; }

split() { # FILE -> "total kernel user own"
  awk '
    {
      n = $NF; stack = substr($0, 1, length($0) - length(n) - 1)
      if (stack ~ /Compile(r|Broker)/) next
      total += n
      k = split(stack, f, ";")
      if (f[k] ~ /_\[k\]$/) kernel += n
      last = 0
      for (i = 1; i <= k; i++) if (f[i] ~ /^dev\/affinity\//) last = i
      if (last > 0 && f[k] !~ /_\[k\]$/) {
        netty = 0
        for (i = last + 1; i <= k; i++) if (f[i] ~ /^(io\/netty|reactor\/netty)\//) { netty = 1; break }
        if (!netty) own += n
      }
    }
    END { printf "%d %d %d %d\n", total, kernel, total - kernel, own }' "$1"
}

declare -A T K U O
for f in "${files[@]}"; do
  name="$(basename "$f" -cpu.collapsed)"
  read -r "T[$name]" "K[$name]" "U[$name]" "O[$name]" < <(split "$f")
done
ratio() { [[ -n "${2:-}" && "$2" != 0 ]] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }' || echo -; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", b ? 100 * a / b : 0 }'; }

printf '%-8s %8s %9s | %7s %9s | %7s %9s | %6s\n' scenario samples "/stock" kernel "/stock" user "/stock" own
for name in stock plain sticky new $(printf '%s\n' "${!T[@]}" | grep -vxE 'stock|plain|sticky|new' | sort); do
  [[ -n "${T[$name]:-}" ]] || continue
  printf '%-8s %8d %9s | %7s %9s | %7s %9s | %6s\n' "$name" "${T[$name]}" "$(ratio "${T[$name]}" "${T[stock]:-}")" \
    "$(pct "${K[$name]}" "${T[$name]}")" "$(ratio "${K[$name]}" "${K[stock]:-}")" \
    "$(pct "${U[$name]}" "${T[$name]}")" "$(ratio "${U[$name]}" "${U[stock]:-}")" "$(pct "${O[$name]}" "${T[$name]}")"
done
