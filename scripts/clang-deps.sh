#!/usr/bin/env bash
# Installs clang 14 (Debian 12's), its sanitizer and libFuzzer runtimes (libclang-rt-14-dev) and
# the OpenMP runtime clang links against (libomp-dev), if missing. Used by sanitize.sh and fuzz.sh.
set -euo pipefail
packages=(clang libclang-rt-14-dev libomp-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "clang-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >&2
