#!/usr/bin/env bash
# The project's checks, as CI runs them: format lint, a warnings-as-errors build, the tests.
#
#   scripts/check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

echo "check: swift format lint"
swift format lint --strict --recursive Package.swift Sources Tests

echo "check: build (warnings are errors)"
swift build --build-tests -Xswiftc -warnings-as-errors

echo "check: tests"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
swift test --skip-build -Xswiftc -warnings-as-errors 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# The suite is Swift Testing; XCTest's own "Executed 0 tests" line comes first. Close with the
# plain count, so that a reader of the log (or CI) sees how many ran.
count=$(sed -n 's/.*Test run with \([0-9][0-9]*\) tests.* passed.*/\1/p' "$log" | tail -n 1)
if [[ $status -eq 0 && -n "$count" ]]; then
    echo "$count passed, 0 failed"
fi
exit "$status"
