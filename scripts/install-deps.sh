#!/usr/bin/env bash
# Installs the Debian 12 packages nnfit needs to build and test, if any are missing.
# Run as root (or with sudo). Nothing else is downloaded.
set -euo pipefail
# parallel (GNU parallel): the sharded gridsearch recipe in the README is tested with it.
# python3: the benchmark's smoke test (e2e.bench_smoke) prints its tables with bench/summarise.py.
# chromium, fonts-dejavu-core: e2e.report_html renders the HTML report in headless Chromium.
packages=(g++ make cmake libcli11-dev libfccp-dev libspdlog-dev libeigen3-dev libgtest-dev
          nlohmann-json3-dev libtomlplusplus-dev parallel python3 chromium fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all build dependencies are installed" >&2
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
