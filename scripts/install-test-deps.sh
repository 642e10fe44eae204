#!/bin/bash
# Installs what the tests need from Debian's packages, where it is missing:
# Chromium (browser tests), OpenStack Swift with s3api and memcached (the real S3-compatible store),
# and for the cross-engine tests Firefox ESR, WebKitGTK's WebKitWebDriver (with MiniBrowser) and Xvfb
# (MiniBrowser needs a display). Playwright's own Firefox and WebKit cannot be downloaded here.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v swift-ring-builder >/dev/null || need+=(swift)
/usr/bin/python3 -c 'import swift' 2>/dev/null || need+=(python3-swift)
command -v memcached >/dev/null || need+=(memcached)
command -v curl >/dev/null || need+=(curl)
[ -x /usr/bin/firefox-esr ] || need+=(firefox-esr)
command -v WebKitWebDriver >/dev/null || need+=(webkit2gtk-driver)
command -v Xvfb >/dev/null || need+=(xvfb)
# CJK glyphs for the Chinese screenshots (without a CJK font Chromium draws boxes; the tests pass either way).
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -eq 0 ]; then echo "test dependencies: all present"; exit 0; fi
if ! command -v apt-get >/dev/null; then
  echo "test dependencies missing (${need[*]}) and apt-get is not available: install Chromium, OpenStack Swift (python3-swift, swift), memcached, Firefox ESR, WebKitGTK's WebKitWebDriver and Xvfb by other means" >&2
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
