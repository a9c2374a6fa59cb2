#!/usr/bin/env bash
# Runs every test: installs what the tests need when it is missing (kcat, PostgreSQL), then the suite.
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-test-deps.sh
# The PostgreSQL that scripts/start-postgres.sh started, for the storage tests (they fail without it).
export PIPELINE_TEST_POSTGRES="${PIPELINE_TEST_POSTGRES:-Host=127.0.0.1;Port=5432;Database=pipeline;Username=pipeline;Password=pipeline}"

log=$(mktemp)
status=0
dotnet test AkkaPipeline.sln --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?
# A new use case from docs/use-cases.md's template, in a copy of the tree, touching nothing else: builds, passes
# `pipeline try` and the tests that cover every use case. Its test counts join the closing line.
scripts/check-new-use-case.sh 2>&1 | tee -a "$log" || status=$?

# One closing line a human (or CI) can read: "N passed, N failed".
passed=$(awk '/^ +Passed: +[0-9]+$/ {n += $2} END {print n + 0}' "$log")
failed=$(awk '/^ +Failed: +[0-9]+$/ {n += $2} END {print n + 0}' "$log")
if [ "$failed" -gt 0 ]; then
  # Repeat each failure's name and message at the end, where a CI summary that keeps only the tail still shows them.
  echo "Failed tests:"
  awk '/^  Failed / {shown = 25} shown > 0 {print; shown--}' "$log"
fi
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$passed" -eq 0 ] && { echo "no test ran"; exit 1; }
exit "$status"
