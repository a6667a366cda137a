#!/bin/sh
# Installs what building and testing pxinit needs, from Debian's packages.
set -e
# clang and libclang-rt-14-dev (libFuzzer's runtime, only recommended by
# clang) build the fuzz harnesses: make fuzz, make fuzz-smoke. clang-format
# checks the formatting (tests/format.sh). iproute2's ss reads a listening
# socket's backlog (tests/e2e/socket_options.sh).
pkgs="build-essential autoconf automake pkg-config libev-dev libinih-dev check util-linux procps python3
      iproute2 clang libclang-rt-14-dev clang-format"
# dpkg-deb and init-system-helpers' deb-systemd-helper/-invoke: a .deb's maintainer scripts under pxinit (tests/e2e/deb_maint.sh).
pkgs="$pkgs dpkg init-system-helpers"
# The libraries systemd-analyze needs, for the calendar oracle (below).
pkgs="$pkgs libacl1 libapparmor1 libaudit1 libblkid1 libcap2 libcrypt1 libgcrypt20 libip4tc2
      libkmod2 liblz4-1 liblzma5 libmount1 libpam0g libseccomp2 libselinux1 libssl3 libzstd1"
# podman with runc (crun refuses cgroup v1 hybrid hosts) and a static busybox:
# tests/container/ runs pxinit as PID 1 of real containers, in images built
# FROM scratch from these (no registry, no network). uidmap: podman wants it.
pkgs="$pkgs podman runc busybox-static uidmap"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# tests/calendar_oracle.sh holds `pxinit calendar` against systemd-analyze:
# Debian's systemd and libsystemd-shared packages, unpacked under
# ORACLE_DIR, not installed (pxinit may be this machine's init). Once.
ORACLE_DIR=${PXINIT_ORACLE_DIR:-/var/cache/pxinit-oracle/systemd}
if [ ! -x "$ORACLE_DIR/usr/bin/systemd-analyze" ]; then
    S=""
    [ "$(id -u)" = 0 ] || S=sudo
    dl=$(mktemp -d)
    chmod 755 "$dl"
    (cd "$dl" && { apt-get download -qq -o APT::Sandbox::User=root systemd libsystemd-shared 2>/dev/null ||
        { $S apt-get update -qq && apt-get download -qq -o APT::Sandbox::User=root systemd libsystemd-shared; }; })
    $S rm -rf "$ORACLE_DIR.new"
    $S mkdir -p "$ORACLE_DIR.new"
    for deb in "$dl"/*.deb; do
        $S dpkg -x "$deb" "$ORACLE_DIR.new"
    done
    $S rm -rf "$ORACLE_DIR"
    $S mv "$ORACLE_DIR.new" "$ORACLE_DIR"
    rm -rf "$dl"
fi
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
