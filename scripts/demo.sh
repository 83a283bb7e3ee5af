#!/usr/bin/env bash
# On a fresh Debian 12 machine: install everything, build campusguard, and run the daemon on
# the example school with a local mosquitto broker and simulated MQTT and Modbus devices
# (scripts/simulate.py, scripts/simulate_modbus.py). Events are printed
# as JSON Lines on stdout, the log goes to stderr. Ctrl-C stops everything.
#
#   scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product campusguard
bin=$(swift build -c release --show-bin-path)/campusguard
"$bin" check-config --config Config/campusguard.example.yaml

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# The example config's brokers: the devices' on 127.0.0.1:1883, and the city platform's (the
# uplink) on 127.0.0.1:1884. Use brokers already there, or start them.
start_broker() {
    local port=$1 what=$2
    if (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null; then return; fi
    local state
    state=$(mktemp -d)
    chmod 777 "$state"
    printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\n' "$port" "$state" \
        > "$state/mosquitto.conf"
    mosquitto -c "$state/mosquitto.conf" 2>"$state/mosquitto.log" &
    pids+=($!)
    for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
    echo "demo: started mosquitto on 127.0.0.1:$port ($what)" >&2
}
start_broker 1883 "the devices' broker"
start_broker 1884 "the city platform's broker: mosquitto_sub -p 1884 -t 'campus/#' shows the uplink"

.venv/bin/python scripts/simulate_modbus.py --config Config/campusguard.example.yaml &
pids+=($!)
.venv/bin/python scripts/simulate.py --config Config/campusguard.example.yaml &
pids+=($!)
echo "demo: simulating the example school's MQTT and Modbus devices; the first alarm comes after about 20 s" >&2
# The store (readings, events, deliveries) goes to .demo/ here instead of /var/lib/campusguard.
mkdir -p .demo
"$bin" run --config Config/campusguard.example.yaml --storage .demo/campusguard.sqlite --events -
