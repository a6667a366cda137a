#!/bin/sh
# fresh_debian.sh - the README's test command on a fresh Debian 12 minbase
# tree (no systemd, no build tools), with the checkout at /root/project
# (/root is 0700 there), as a new user's machine has it. Not part of
# `make check`: it needs debootstrap and Debian's package registry, about
# 400 MB and 15 minutes. As root:
#
#     tests/fresh_debian.sh [DIR]     # DIR: where the tree is made (default /var/tmp/pxinit-fresh)
#
# The tree is made once and reused (delete DIR for a new one); the checkout in
# it is a new clone of this repository's HEAD each run. The tree becomes the
# root of a private mount namespace with pivot_root (not chroot: the e2e
# tests' nsenter -m resolves paths from the namespace's root).
set -eu
DIR=${1:-/var/tmp/pxinit-fresh}
SRC=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -x "$DIR/root/bin/sh" ]; then
    command -v debootstrap >/dev/null || {
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
    }
    mkdir -p "$DIR"
    debootstrap --variant=minbase bookworm "$DIR/root" http://deb.debian.org/debian
fi
rm -rf "$DIR/root/root/project"
git clone -q "$SRC" "$DIR/root/root/project"
exec unshare --mount --propagation private sh -c '
    F=$1
    mount --bind "$F" "$F" && mount -t proc proc "$F/proc" &&
        mount --rbind /sys "$F/sys" && mount --rbind /dev "$F/dev" &&
        mount -t tmpfs tmp "$F/tmp" && cp /etc/resolv.conf "$F/etc/resolv.conf" &&
        mkdir -p "$F/.oldroot" && cd "$F" && pivot_root . .oldroot && umount -l /.oldroot &&
        exec /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
            sh -c "cd /root/project && ./contrib/install-deps.sh && ./autogen.sh && ./configure && make -j2 check"
' sh "$DIR/root"
