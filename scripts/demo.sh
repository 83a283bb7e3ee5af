#!/usr/bin/env bash
# On a fresh Debian 12 machine: install everything, build campusguard, check the example
# school's config, and replay a recorded evening in that school (Config/demo-incident.jsonl):
# the engine's events are printed as JSON Lines, one per decision.
#
#   scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product campusguard
bin=$(swift build -c release --show-bin-path)/campusguard
"$bin" check-config --config Config/campusguard.example.yaml
"$bin" replay --config Config/campusguard.example.yaml --input Config/demo-incident.jsonl \
    --until 2026-11-20T23:00:00+08:00
