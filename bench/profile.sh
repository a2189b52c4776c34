#!/usr/bin/env bash
# Flame graphs of a running JVM (the gateway) with async-profiler, attached through jcmd: a CPU flame
# graph, then an allocation flame graph (bytes), each of SECONDS, as self-contained HTML files.
#
#   bash bench/profile.sh PID SECONDS OUTDIR     # OUTDIR/{cpu,alloc}.html and .collapsed, OUTDIR/profiler.log
#   bash bench/profile.sh --check                # finds (or extracts) the native library, starts nothing
#   bash bench/profile.sh --agentpath            # prints the library path, for -agentpath at JVM start
#
# Put load on the JVM meanwhile (bench/perf.sh does: ConstantRate at a fixed rate). The two recordings
# run one after the other (an async-profiler session has one event for HTML output): 2 x SECONDS.
# Knobs: PROFILE_EVENTS (cpu alloc), CPU_EVENT (cpu: perf_events, falling back to itimer when the
# kernel forbids them), CPU_INTERVAL (1ms), ALLOC_INTERVAL (512k bytes between samples), TITLE,
# ASYNC_PROFILER_LIB (a libasyncProfiler.so to use instead of the one in the Maven artifact).
#
# The library comes from the Maven artifact tools.profiler:async-profiler:4.1 (it ships the native
# library for linux-x64/arm64 inside the jar); fetch it once with
#   ./mvnw -B -q dependency:get -Dartifact=tools.profiler:async-profiler:4.1
# and this script extracts it into target/async-profiler/. Installs nothing else.
set -euo pipefail

BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
AP_VERSION=4.1
AP_JAR="${ASYNC_PROFILER_JAR:-${MAVEN_REPO:-$HOME/.m2/repository}/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar}"

die() { echo "profile.sh: $*" >&2; exit 1; }
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

library() { # prints the path of libasyncProfiler.so for this machine, extracting it once
  if [[ -n "${ASYNC_PROFILER_LIB:-}" ]]; then
    [[ -f "$ASYNC_PROFILER_LIB" ]] || die "ASYNC_PROFILER_LIB=$ASYNC_PROFILER_LIB does not exist"
    echo "$ASYNC_PROFILER_LIB"; return
  fi
  local arch
  case "$(uname -m)" in
    x86_64) arch=linux-x64 ;;
    aarch64) arch=linux-arm64 ;;
    *) die "no async-profiler library for $(uname -m) in the Maven artifact; set ASYNC_PROFILER_LIB" ;;
  esac
  local dir="$ROOT/target/async-profiler/$AP_VERSION"
  if [[ ! -f "$dir/$arch/libasyncProfiler.so" ]]; then
    [[ -f "$AP_JAR" ]] || die "missing $AP_JAR; fetch it: ./mvnw -B -q dependency:get -Dartifact=tools.profiler:async-profiler:$AP_VERSION"
    command -v unzip > /dev/null || die "unzip is needed to extract the library from $AP_JAR"
    mkdir -p "$dir"
    unzip -q -o "$AP_JAR" "$arch/libasyncProfiler.so" -d "$dir"
  fi
  echo "$dir/$arch/libasyncProfiler.so"
}

case "${1:-}" in
  -h | --help | "") sed -n '2,19p' "$0" | cut -c3-; exit 0 ;;
  --check) lib="$(library)"; echo "async-profiler $AP_VERSION: $lib"; command -v jcmd > /dev/null || die "jcmd not found"; exit 0 ;;
  --agentpath) library; exit 0 ;;
esac

(($# == 3)) || die "usage: profile.sh PID SECONDS OUTDIR (see --help)"
PID="$1" SECONDS_EACH="$2" OUTDIR="$3"
if ! [[ "$PID" =~ ^[0-9]+$ ]] || ! kill -0 "$PID" 2>/dev/null; then die "no process $PID"; fi
if ! [[ "$SECONDS_EACH" =~ ^[0-9]+$ ]] || ((SECONDS_EACH < 1)); then die "SECONDS must be a whole number >= 1"; fi
LIB="$(library)"
mkdir -p "$OUTDIR"
OUTDIR="$(cd "$OUTDIR" && pwd)"
# The target's own jcmd (a Java 25 gateway gets Java 25's jcmd), else the one on PATH.
JCMD="$(dirname "$(readlink -f "/proc/$PID/exe")")/jcmd"
[[ -x "$JCMD" ]] || JCMD="$(command -v jcmd)" || die "jcmd not found"
PROFILE_EVENTS="${PROFILE_EVENTS:-cpu alloc}"
CPU_EVENT="${CPU_EVENT:-cpu}"
CPU_INTERVAL="${CPU_INTERVAL:-1ms}"
ALLOC_INTERVAL="${ALLOC_INTERVAL:-512k}"
TITLE="${TITLE:-pid $PID}"
PLOG="$OUTDIR/profiler.log"

agent() { # ARGUMENTS LOGFILE for async-profiler, through jcmd's JVMTI.agent_load (what asprof does)
  local out
  # jcmd reads a bare a=b token as one of its own named arguments: the quotes keep it one string.
  out="$(timeout 60 "$JCMD" "$PID" JVMTI.agent_load "$LIB" "\"$1,log=$2\"" 2>&1)" || die "jcmd failed: $out"
  # jcmd prints the agent's return code; anything but 0 is an error (the reason is in profiler.log).
  if grep -q 'return code: [1-9]' <<< "$out"; then
    die "async-profiler refused '$1': $out $(cat "$2" 2>/dev/null)"
  fi
}

record() { # EVENT START_OPTIONS FILE TITLE
  local event="$1" options="$2" file="$3" title="$4"
  log "profiling $event of pid $PID for ${SECONDS_EACH}s -> $file"
  agent "start,event=$event,$options" "$PLOG"
  sleep "$SECONDS_EACH"
  # The same samples as text too (one line per stack with its weight), for tables and diffs.
  agent "dump,file=${file%.html}.collapsed" "$PLOG"
  # async-profiler arguments are comma-separated: the title keeps only safe characters.
  agent "stop,file=$file,title=${title//[^A-Za-z0-9._\/-]/_}" "$PLOG"
  [[ -s "$file" ]] || die "no $file written (see $PLOG)"
}

for event in $PROFILE_EVENTS; do
  case "$event" in
    cpu)
      cpu_event="$CPU_EVENT"
      # perf_events may be forbidden (containers, perf_event_paranoid): then sample on a timer instead.
      if [[ "$cpu_event" == cpu ]]; then
        rm -f "$OUTDIR/check.log"
        agent "check,event=cpu" "$OUTDIR/check.log"
        if ! grep -qx OK "$OUTDIR/check.log" 2>/dev/null; then
          log "perf_events unavailable here ($(head -1 "$OUTDIR/check.log" 2>/dev/null)), sampling CPU with itimer instead"
          cpu_event=itimer
        fi
        rm -f "$OUTDIR/check.log"
      fi
      record "$cpu_event" "interval=$CPU_INTERVAL" "$OUTDIR/cpu.html" "CPU ($cpu_event) $TITLE" ;;
    alloc)
      # total: the flame graph weighs frames by bytes allocated, not by sample count.
      record alloc "alloc=$ALLOC_INTERVAL,total" "$OUTDIR/alloc.html" "allocations (bytes) $TITLE" ;;
    *) die "unknown event '$event' in PROFILE_EVENTS (cpu, alloc)" ;;
  esac
done
log "flame graphs in $OUTDIR"
