#!/usr/bin/env bash
# Installs campusguard as a systemd service: the binary, the device profiles, the docs, the
# example config (only if there is none yet), the unit and its user.
#
#   sudo scripts/install.sh                      # build a release, install under /usr/local
#   scripts/install.sh --binary PATH             # install this binary instead of building
#   DESTDIR=/tmp/stage PREFIX=/opt/campusguard scripts/install.sh   # stage for a package
#
# Variables (defaults shown):
#   DESTDIR=            a staging root prefixed to every path; when set, nothing is done to the
#                       running system (no user is created, systemd is not reloaded)
#   PREFIX=/usr/local   bin/campusguard, share/campusguard/profiles, share/doc/campusguard,
#                       lib/sysusers.d/campusguard.conf
#   SYSCONFDIR=/etc     SYSCONFDIR/campusguard: the config, tokens file and credentials
#   UNITDIR=/etc/systemd/system
set -euo pipefail
cd "$(dirname "$0")/.."

DESTDIR="${DESTDIR:-}"
PREFIX="${PREFIX:-/usr/local}"
SYSCONFDIR="${SYSCONFDIR:-/etc}"
UNITDIR="${UNITDIR:-/etc/systemd/system}"
binary=""

while [[ $# -gt 0 ]]; do
    case "$1" in
        --binary) binary="$2"; shift 2 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

if [[ -z "$binary" ]]; then
    echo "install: building a release (swift build -c release)"
    swift build -c release --product campusguard
    binary=".build/release/campusguard"
fi
[[ -x "$binary" ]] || { echo "install.sh: $binary is not an executable" >&2; exit 1; }

bindir="$DESTDIR$PREFIX/bin"
sharedir="$DESTDIR$PREFIX/share/campusguard"
docdir="$DESTDIR$PREFIX/share/doc/campusguard"
sysusersdir="$DESTDIR$PREFIX/lib/sysusers.d"
confdir="$DESTDIR$SYSCONFDIR/campusguard"
unitdir="$DESTDIR$UNITDIR"

install -d "$bindir" "$sharedir/profiles" "$docdir" "$sysusersdir" "$unitdir"
install -m 0755 "$binary" "$bindir/campusguard"
# The binary finds them at ../share/campusguard/profiles from its own directory.
install -m 0644 DeviceProfiles/*.yaml "$sharedir/profiles/"
install -m 0644 Config/campusguard.example.yaml "$sharedir/campusguard.example.yaml"
install -m 0644 README.md docs/*.md "$docdir/"
install -m 0644 systemd/campusguard.sysusers "$sysusersdir/campusguard.conf"

# The config is the site's own: an existing one is never replaced.
install -d -m 0755 "$confdir"
install -d -m 0700 "$confdir/credentials"
if [[ -e "$confdir/campusguard.yaml" ]]; then
    echo "install: keeping $confdir/campusguard.yaml (the new example is $sharedir/campusguard.example.yaml)"
else
    install -m 0640 Config/campusguard.example.yaml "$confdir/campusguard.yaml"
fi
# Not empty: `campusguard token add` makes an empty or missing file 0600, which the daemon's
# group could not read.
if [[ ! -e "$confdir/tokens" ]]; then
    printf '# API tokens: NAME ROLE SHA256HEX, added by: campusguard token add NAME --role ROLE --config FILE\n' \
        > "$confdir/tokens"
    chmod 0640 "$confdir/tokens"
fi

sed -e "s#/usr/local/bin/campusguard#$PREFIX/bin/campusguard#g" \
    -e "s#/usr/local/share/doc/campusguard#$PREFIX/share/doc/campusguard#g" \
    -e "s#/etc/campusguard#$SYSCONFDIR/campusguard#g" \
    systemd/campusguard.service > "$unitdir/campusguard.service"
chmod 0644 "$unitdir/campusguard.service"

echo "install: campusguard installed under ${DESTDIR:-/}"
if [[ -n "$DESTDIR" ]]; then
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "install: not root: create the user (systemd-sysusers) and reload systemd yourself" >&2
    exit 0
fi
systemd-sysusers "$sysusersdir/campusguard.conf"
# The daemon reads the config and the tokens file as its group; root alone writes them.
chgrp campusguard "$confdir/campusguard.yaml" "$confdir/tokens"
if [[ -d /run/systemd/system ]]; then
    systemctl daemon-reload
fi
cat <<EOT
Next:
  edit $confdir/campusguard.yaml, then: campusguard check-config --config $confdir/campusguard.yaml
  secrets go in $confdir/credentials/ (see $docdir/systemd.md)
  systemctl enable --now campusguard
EOT
