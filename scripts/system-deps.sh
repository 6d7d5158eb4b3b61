#!/bin/sh
# Debian packages the test suite needs: Chromium for the browser tests, PostgreSQL with PostGIS for the
# shared scenario store (the tests start a throwaway cluster on 127.0.0.1).
# Installs only what is missing; needs root (CI and the development machines run as root).
set -eu
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$need postgresql"
ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || need="$need postgresql-15-postgis-3"
[ -z "$need" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "system-deps: missing Debian packages:$need; install them with: sudo apt-get install$need" >&2
    exit 1
fi
echo "system-deps: installing$need" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $need
