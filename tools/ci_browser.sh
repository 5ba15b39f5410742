#!/usr/bin/env bash
# Installs what the console's browser tests (tests/console/) need on Debian or Ubuntu:
# the distribution's Chromium (apt) and the Playwright package (PyPI), which drives that system
# browser; no browser build is downloaded. Run as root or with sudo. Idempotent.
#   PYTHON=python3 bash tools/ci_browser.sh
set -euo pipefail
PYTHON="${PYTHON:-python3}"

find_chromium() {
  for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
  return 1
}

if ! find_chromium >/dev/null; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "ci_browser.sh: no Chromium and no apt-get; install Chromium and set CHROMIUM=/path/to/it" >&2
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
fi

# The tests also find Playwright in tox's environment through the "test" extra; this covers
# running them with $PYTHON directly.
"$PYTHON" -m pip install --quiet "playwright>=1.40"
echo "ci_browser.sh: chromium at $(find_chromium), playwright $("$PYTHON" -c 'import importlib.metadata as m; print(m.version("playwright"))')"
