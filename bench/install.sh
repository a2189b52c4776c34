#!/usr/bin/env bash
# Installs what bench/perf.sh and bench/load.sh need, on Debian/Ubuntu, when you choose to run them (they
# install nothing themselves and change no system file). Needs root (or sudo).
#
#   bash bench/install.sh          # installs the missing ones among: wrk nginx-light haproxy jq unzip curl
#   bash bench/install.sh --check  # only lists what is missing
#
# Note: Debian's nginx and haproxy packages start their system services when installed (nginx then
# listens on port 80). load.sh starts its own instances on 127.0.0.1 and does not need them; stop
# them if you do not want them (e.g. `systemctl disable --now nginx haproxy`).
# java 17+ (with jcmd and jstat, i.e. a JDK) and util-linux's taskset are expected to be present.
set -euo pipefail

declare -A package=([wrk]=wrk [nginx]=nginx-light [haproxy]=haproxy [jq]=jq [unzip]=unzip [curl]=curl)
missing=()
for tool in "${!package[@]}"; do
  command -v "$tool" > /dev/null || missing+=("${package[$tool]}")
done
for tool in java jcmd jstat taskset timeout; do
  command -v "$tool" > /dev/null || echo "also needed, not installed by this script: $tool" >&2
done
if ((${#missing[@]} == 0)); then
  echo "bench prerequisites present"
  exit 0
fi
echo "missing packages: ${missing[*]}"
[[ "${1:-}" == --check ]] && exit 1
sudo=()
((EUID == 0)) || sudo=(sudo)
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
