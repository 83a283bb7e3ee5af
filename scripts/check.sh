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
swift test --skip-build -Xswiftc -warnings-as-errors
