#!/usr/bin/env bash
# Runs the fleet-scale benchmark (not part of the test run): ./scripts/bench.sh all [options]
# Installs what a fresh Debian machine lacks (PostgreSQL server binaries, wrk, perf) when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql postgresql-contrib)
command -v pgbench >/dev/null || ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1 || missing+=(postgresql-contrib)
command -v wrk >/dev/null || missing+=(wrk)
# perf samples the app's CPU with --trace.
command -v perf >/dev/null || missing+=(linux-perf)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing: ${missing[*]}. Install it (sudo apt-get install -y ${missing[*]}) and run again." >&2
    exit 1
  fi
fi

exec dotnet run -c Release --project bench/LicenseConsole.Bench -- "${@:-all}"
