#!/usr/bin/env bash
# Runs the whole test suite: unit tests, integration tests on PostgreSQL and SQLite, and browser tests.
# Installs what a fresh Debian machine lacks (PostgreSQL server binaries, Chromium) when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { [ "$(id -u)" = 0 ]; }

apt_install() {
  if as_root && command -v apt-get >/dev/null; then
    echo "== installing: $*"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  else
    echo "Missing: $*. Install it (sudo apt-get install -y $*) and run again." >&2
    exit 1
  fi
}

# The integration tests start a throwaway PostgreSQL cluster from the server binaries, unless
# LICENSECONSOLE_TEST_POSTGRES names a server to use instead.
if [ -z "${LICENSECONSOLE_TEST_POSTGRES:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt_install postgresql
fi

# The browser tests drive Debian's Chromium (Playwright downloads no browser here); the CJK font renders the
# console's Chinese pages.
if [ ! -x /usr/bin/chromium ]; then
  apt_install chromium fonts-noto-cjk
fi

echo "== restoring tools and packages"
dotnet tool restore >/dev/null
dotnet restore LicenseConsole.sln

echo "== building (warnings are errors)"
dotnet build LicenseConsole.sln -c Release --no-restore

echo "== testing"
# A failed browser test prints the app's recent log after its error, so the failures are listed again at the end,
# from the test results, where the last lines of the output show them.
# The projects run one after the other: run side by side on a two-core machine, the integration tests' load on
# PostgreSQL starves the browser and the app it drives past the browser tests' timeouts.
results="$(mktemp -d)"
status=0
for project in tests/LicenseConsole.UnitTests tests/LicenseConsole.IntegrationTests tests/LicenseConsole.BrowserTests; do
  dotnet test "$project" -c Release --no-build --logger trx --results-directory "$results" "$@" || status=$?
done
if [ "$status" -ne 0 ]; then
  echo "== failed tests"
  for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    awk '
      /<UnitTestResult / && /outcome="Failed"/ {
        match($0, /testName="[^"]*"/); print "FAILED " substr($0, RSTART + 10, RLENGTH - 11); want = 1; next
      }
      want && /<Message>/ { sub(/.*<Message>/, ""); shown = 0; inside = 1 }
      inside {
        last = sub(/<\/Message>.*/, "")
        if (shown++ < 6) print "    " $0
        if (last) { inside = 0; want = 0 }
      }
      # Failures outside a test (a class fixture that failed to clean up) fail the run too: the run infos say what.
      /<RunInfo / && /outcome="(Error|Failed)"/ { print "RUN ERROR"; run = 1; next }
      run && /<Text>/ { sub(/.*<Text>/, ""); shown = 0; text = 1 }
      text {
        last = sub(/<\/Text>.*/, "")
        if (shown++ < 12) print "    " $0
        if (last) { text = 0; run = 0 }
      }' "$trx"
  done
fi
rm -rf "$results"
exit "$status"
