#!/usr/bin/env bash
# Installs what campusguard needs on a fresh Debian 12 machine, and nothing twice.
#
#   scripts/setup.sh
#
# Debian packages: the C libraries campusguard links (libmosquitto, libmodbus, libsqlite3)
# with pkg-config, the mosquitto broker the demo and the tests run, and chromium, the
# headless browser the web page's test drives (scripts/web_browser.py), with a Chinese font
# for its screenshots. The Swift 6
# toolchain itself is not a Debian package: install it from swift.org first (the script
# checks for it and says so).
set -euo pipefail

packages=(
    pkg-config
    libmosquitto-dev
    libmodbus-dev
    libsqlite3-dev
    mosquitto
    mosquitto-clients
    python3
    python3-venv
    openssl
    socat
    # curl: the API's HTTPS test checks the certificate as a real client does
    curl
    # systemd-analyze: the tests check the shipped unit with verify and security
    systemd
    chromium
    fonts-noto-cjk
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if ((${#missing[@]} > 0)); then
    echo "setup: installing ${missing[*]}"
    sudo=""
    if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # The package starts a broker on port 1883; the demo and the tests start their own.
    if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
        $sudo systemctl disable --now mosquitto >/dev/null 2>&1 || true
    fi
else
    echo "setup: Debian packages already installed"
fi

if ! command -v swift >/dev/null; then
    echo "setup: the Swift 6 toolchain is missing: install it from https://www.swift.org/install/linux/ and put it on PATH" >&2
    exit 1
fi
version=$(swift --version 2>&1 | sed -n 's/.*Swift version \([0-9]*\)\..*/\1/p' | head -n 1)
if [[ -z "$version" || "$version" -lt 6 ]]; then
    echo "setup: campusguard needs Swift 6 or later; found: $(swift --version 2>&1 | head -n 1)" >&2
    exit 1
fi
echo "setup: $(swift --version 2>&1 | head -n 1)"

# The Python tools (device simulator, test peers) in a project-local virtual environment.
cd "$(dirname "$0")/.."
if [[ ! -x .venv/bin/python ]]; then
    python3 -m venv .venv
fi
if ! .venv/bin/python -m pip install --quiet --disable-pip-version-check -r scripts/requirements.txt; then
    echo "setup: cannot install the Python tools of scripts/requirements.txt (is PyPI reachable?)" >&2
    exit 1
fi
echo "setup: Python tools in .venv"
