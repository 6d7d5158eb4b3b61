#!/bin/sh
# Debian packages the test suite needs: Chromium for the browser tests.
# Installs only what is missing; needs root (CI and the development machines run as root).
set -eu
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
[ -z "$need" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "system-deps: missing Debian packages:$need; install them with: sudo apt-get install$need" >&2
    exit 1
fi
echo "system-deps: installing$need" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $need
