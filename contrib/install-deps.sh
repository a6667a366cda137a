#!/bin/sh
# Installs what building and testing pxinit needs, from Debian's packages.
set -e
# clang and libclang-rt-14-dev (libFuzzer's runtime, only recommended by
# clang) build the fuzz harnesses: make fuzz, make fuzz-smoke. clang-format
# checks the formatting (tests/format.sh).
pkgs="build-essential autoconf automake pkg-config libev-dev libinih-dev check util-linux procps python3
      clang libclang-rt-14-dev clang-format"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
