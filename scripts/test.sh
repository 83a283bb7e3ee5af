#!/usr/bin/env bash
# On a fresh Debian 12 machine: install everything, then run every check and test.
#
#   scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/check.sh
