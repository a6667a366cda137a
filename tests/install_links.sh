#!/bin/bash
# make install installs pxinit alone; systemctl and journalctl links to it
# come only by choice (configure --enable-systemctl-links, or
# make install-systemctl-links), never over another program's file without
# FORCE_SYSTEMCTL_LINKS=1; uninstall removes only links to pxinit. Into a
# scratch DESTDIR of the build tree this test runs in.
set -u
: "${PXINIT:?PXINIT must point at the built binary}"
B=$(cd "$(dirname "$PXINIT")/.." && pwd)
D=$(mktemp -d "${TMPDIR:-/tmp}/pxinit-install.XXXXXX")
trap 'rm -rf "$D"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }
mk() { ${MAKE:-make} -s -C "$B" DESTDIR="$D" "$@" >"$D.out" 2>&1; }
points_at_pxinit() { [ -L "$1" ] && [ "$(readlink "$1")" = pxinit ]; }

mk install-exec || fail "make install-exec: $(cat "$D.out")"
bin=$(dirname "$(find "$D" -name pxinit -type f | head -n 1)")
[ -x "$bin/pxinit" ] || fail "no pxinit installed"
if grep -q '^install-exec-hook: install-systemctl-links' "$B/Makefile"; then
    points_at_pxinit "$bin/systemctl" && points_at_pxinit "$bin/journalctl" ||
        fail "configured with --enable-systemctl-links, but make install made no links"
    pass "configure --enable-systemctl-links: make install links systemctl and journalctl"
    rm -f "$bin/systemctl" "$bin/journalctl"
else
    [ -e "$bin/systemctl" ] || [ -L "$bin/systemctl" ] || [ -e "$bin/journalctl" ] &&
        fail "make install installed systemctl or journalctl: $(ls -l "$bin")"
    pass "make install installs pxinit alone"
fi

mk install-systemctl-links || fail "make install-systemctl-links: $(cat "$D.out")"
points_at_pxinit "$bin/systemctl" && points_at_pxinit "$bin/journalctl" ||
    fail "install-systemctl-links: $(ls -l "$bin")"
mk install-systemctl-links || fail "install-systemctl-links twice: $(cat "$D.out")"
pass "make install-systemctl-links links systemctl and journalctl to pxinit in bindir"

rm -f "$bin/systemctl"
echo "another systemctl" >"$bin/systemctl"
mk install-systemctl-links && fail "install-systemctl-links replaced another systemctl"
[ "$(cat "$bin/systemctl")" = "another systemctl" ] || fail "another systemctl was changed"
grep -q FORCE_SYSTEMCTL_LINKS "$D.out" || fail "no word of FORCE_SYSTEMCTL_LINKS: $(cat "$D.out")"
mk install-systemctl-links FORCE_SYSTEMCTL_LINKS=1 || fail "FORCE_SYSTEMCTL_LINKS=1: $(cat "$D.out")"
points_at_pxinit "$bin/systemctl" || fail "FORCE_SYSTEMCTL_LINKS=1 did not replace it"
pass "another program's systemctl stays, unless FORCE_SYSTEMCTL_LINKS=1"

rm -f "$bin/journalctl"
ln -s /bin/true "$bin/journalctl"
mk uninstall || fail "make uninstall: $(cat "$D.out")"
[ -e "$bin/pxinit" ] || [ -L "$bin/systemctl" ] && fail "uninstall left pxinit or its link: $(ls -l "$bin")"
[ "$(readlink "$bin/journalctl")" = /bin/true ] || fail "uninstall removed another program's journalctl"
pass "make uninstall removes pxinit's links only"
rm -f "$D.out"
