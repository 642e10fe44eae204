#!/bin/bash
# Installs what the tests need from Debian's packages, where it is missing:
# Chromium (browser tests), OpenStack Swift with s3api and memcached (the real S3-compatible store).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v swift-ring-builder >/dev/null || need+=(swift)
/usr/bin/python3 -c 'import swift' 2>/dev/null || need+=(python3-swift)
command -v memcached >/dev/null || need+=(memcached)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -eq 0 ]; then echo "test dependencies: all present"; exit 0; fi
if ! command -v apt-get >/dev/null; then
  echo "test dependencies missing (${need[*]}) and apt-get is not available: install Chromium, OpenStack Swift (python3-swift, swift) and memcached by other means" >&2
  exit 3
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "installing ${need[*]} needs root: run this script as root" >&2; exit 3; }
  SUDO=sudo
fi
echo "installing: ${need[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
