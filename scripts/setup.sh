#!/usr/bin/env bash
# Installs what Pairscope's tests need on a fresh Debian machine: npm dependencies (npm ci) and, when no
# browser is configured, Debian's Chromium. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${PAIRSCOPE_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian chromium for the end-to-end tests"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: no /usr/bin/chromium and no apt-get; Playwright's own browser will be used if installed" >&2
  fi
fi

npm ci --no-audit --no-fund
