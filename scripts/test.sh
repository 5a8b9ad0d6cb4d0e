#!/usr/bin/env bash
# Sets up and runs every test: installs ffmpeg, fonts, MariaDB and Chromium when missing, starts a
# private MariaDB on loopback, builds the solution and runs all test projects.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Storage").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

scripts/install-deps.sh --test
TCCG_TEST_MYSQL="$(scripts/mariadb.sh start)"
export TCCG_TEST_MYSQL
# The MariaDB half of the storage suite must run, not skip: a missing server fails the run.
export TCCG_REQUIRE_MYSQL=1

dotnet build Tccg.slnx -c Release --nologo -v q -clp:ErrorsOnly

log="$(mktemp)"
set +e
dotnet test Tccg.slnx -c Release --no-build --nologo -v q --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line for the whole run: "N passed, N failed".
awk '
  /^ *Passed: *[0-9]+ *$/  { p += $2 }
  /^ *Failed: *[0-9]+ *$/  { f += $2 }
  /^ *Skipped: *[0-9]+ *$/ { s += $2 }
  END { printf "%d passed, %d failed, %d skipped\n", p, f, s; if (p == 0) exit 3 }
' "$log" || { echo "no tests ran" >&2; status=1; }
rm -f "$log"
exit "$status"
