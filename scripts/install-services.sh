#!/usr/bin/env bash
# Installs the servers the test suite runs against, where they are missing:
# redis-server and redis-cli (Redis single node and Cluster) and memcached.
# Safe to run again: it does nothing when everything is already installed.
set -euo pipefail

packages=()
command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || packages+=(redis-server)
command -v memcached >/dev/null 2>&1 || packages+=(memcached)

# --- browser for the playground tests (chromium) goes here -------------------
# Debian's chromium, driven by playwright-core at /usr/bin/chromium. It is
# large, so it is installed only when that binary is missing.
[ -x /usr/bin/chromium ] || packages+=(chromium)
# ------------------------------------------------------------------------------

if [ "${#packages[@]}" -eq 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-services: missing ${packages[*]} and apt-get is not available; install them by hand" >&2
  exit 1
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "install-services: missing ${packages[*]}; run as root or install sudo" >&2
    exit 1
  fi
fi

# Deduplicate (redis-cli comes with the redis-server package).
mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)
echo "install-services: installing ${packages[*]}"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
