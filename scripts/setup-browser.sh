#!/usr/bin/env bash
# The browser the preview's screenshot and journey tests drive: Debian's chromium headless
# shell (no browser download is possible here; scripts/preview/browser.ts launches it) and
# CJK fonts. Installed once, when apt can; run by `npm install` (postinstall) and by .ci/run.
set -euo pipefail
if command -v chromium-headless-shell >/dev/null && fc-list 2>/dev/null | grep -qi "noto.*cjk"; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "setup-browser: install Debian's chromium-headless-shell and fonts-noto-cjk (sudo apt-get install chromium-headless-shell fonts-noto-cjk) for the preview tests" >&2
  exit 0
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell fonts-noto-cjk >/dev/null
