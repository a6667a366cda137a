#!/bin/bash
# package.sh - the Debian package, built and installed as a user would.
# Not part of `make check` (a stage of .ci/run): it needs root, debhelper,
# lintian and a few minutes. As root, from anywhere in the checkout:
#
#     tests/package.sh
#
# 1. Builds both packages (debian/control) with `dpkg-buildpackage -us -uc
#    -b` from a clean copy of HEAD (git archive: what is not committed is
#    not in it).
# 2. Runs lintian on the .changes: any error (E:) fails, warnings are shown.
# 3. Installs the .debs into a throwaway root: this machine's / seen through
#    an overlay whose writable layer is a tmpfs of a private mount namespace
#    (as tests/e2e/deb_maint.sh does). There: pxinit --version, man pxinit
#    renders, completions and /etc/pxinit/pxinit.conf are in place, and
#    /usr/bin/systemctl is untouched; pxinit-systemctl refuses to install
#    beside systemd, and once systemd is gone it makes systemctl and
#    journalctl answer as pxinit; purging both leaves nothing behind.
# The host's files and dpkg database are not changed (checked at the end).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "package.sh: needs root (overlay mounts, dpkg)" >&2; exit 1; }
for t in dpkg-buildpackage dh lintian git unshare chroot; do
    command -v "$t" >/dev/null || {
        echo "package.sh: $t missing (contrib/install-deps.sh installs it)" >&2
        exit 1
    }
done

W=$(mktemp -d /var/tmp/pxinit-package.XXXXXX)
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# --- 1. build from a clean copy ---------------------------------------
git -C "$SRC" archive --format=tar --prefix=pxinit/ HEAD | tar -x -C "$W"
start=$(date +%s)
(cd "$W/pxinit" && DEB_BUILD_OPTIONS="parallel=${JOBS:-2} ${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -us -uc -b) \
    >"$W/build.log" 2>&1 || { tail -n 60 "$W/build.log"; fail "dpkg-buildpackage"; }
pass "dpkg-buildpackage -us -uc -b from git archive HEAD ($(($(date +%s) - start)) s)"
changes=$(ls "$W"/pxinit_*.changes)
deb=$(ls "$W"/pxinit_*.deb)
debctl=$(ls "$W"/pxinit-systemctl_*.deb)
ls "$W"/*.deb

# --- 2. lintian ----------------------------------------------------------
set +e
lintian --tag-display-limit 0 --display-info "$changes" >"$W/lintian.log" 2>&1
set -e
cat "$W/lintian.log"
! grep -q '^E: ' "$W/lintian.log" || fail "lintian found errors"
pass "lintian: no errors ($(grep -c '^W: ' "$W/lintian.log" || true) warnings)"

# The package's files, as checked below.
files=$(dpkg-deb -c "$deb")
echo "$files" | grep -q ' \./usr/bin/pxinit$' || fail "no /usr/bin/pxinit in $deb"
! echo "$files" | grep -E '/(systemctl|journalctl)$' ||
    fail "pxinit ships systemctl or journalctl: that is pxinit-systemctl's"

# --- 3. install into a throwaway root ----------------------------------
host_sum() { sha256sum /var/lib/dpkg/status; ls -l /usr/bin/systemctl /usr/bin/journalctl 2>&1; }
before=$(host_sum)
mkdir -p "$W/pkg"
cat >"$W/pkg/inside.sh" <<'EOF'
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
# man-db's trigger rebuilds its whole index on every dpkg run here (a
# minute of the stage); man finds the pages by path without it.
rm -f /var/lib/man-db/auto-update
sc_before=$(ls -l /usr/bin/systemctl 2>&1; sha256sum /usr/bin/systemctl 2>&1 || true)

dpkg -i /pkg/pxinit.deb >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; fail "dpkg -i pxinit"; }
pass "dpkg -i pxinit"
v=$(pxinit --version) || fail "pxinit --version"
case "$v" in *pxinit*) pass "pxinit --version: $v" ;; *) fail "pxinit --version said: $v" ;; esac

# man pxinit renders (man-db and groff), without warnings.
page=$(MANWIDTH=80 MANPAGER=cat man --warnings pxinit 2>/tmp/man.err) || fail "man pxinit: $(cat /tmp/man.err)"
[ ! -s /tmp/man.err ] || fail "man pxinit warns: $(cat /tmp/man.err)"
echo "$page" | grep -q '^NAME' && echo "$page" | grep -q 'pxinit' || fail "man pxinit shows: $page"
pass "man pxinit renders ($(echo "$page" | wc -l) lines)"
for p in pxinit.conf.5 pxinit.unit.5; do
    [ -e "/usr/share/man/man5/$p.gz" ] || fail "no man page $p"
done
pass "man pages pxinit.conf(5) and pxinit.unit(5) installed"

for f in /usr/share/bash-completion/completions/pxinit.bash /usr/share/zsh/vendor-completions/_pxinit \
    /usr/share/fish/vendor_completions.d/pxinit.fish; do
    [ -s "$f" ] || fail "no completion $f"
done
pass "bash, zsh and fish completions installed"
[ -s /etc/pxinit/pxinit.conf ] || fail "no /etc/pxinit/pxinit.conf"
dpkg-query -W -f='${Conffiles}\n' pxinit | grep -q ' /etc/pxinit/pxinit.conf ' ||
    fail "/etc/pxinit/pxinit.conf is not a conffile"
[ -s /usr/share/doc/pxinit/examples/pxinit.conf ] || fail "no example pxinit.conf under /usr/share/doc/pxinit/examples"
[ -d /etc/pxinit/units ] || fail "no /etc/pxinit/units"
pass "/etc/pxinit/pxinit.conf (conffile), /etc/pxinit/units and the examples in place"

sc_after=$(ls -l /usr/bin/systemctl 2>&1; sha256sum /usr/bin/systemctl 2>&1 || true)
[ "$sc_before" = "$sc_after" ] || fail "installing pxinit changed /usr/bin/systemctl: $sc_after"
pass "/usr/bin/systemctl untouched by pxinit"

# pxinit-systemctl: refused beside systemd (Conflicts), then in its place.
if dpkg-query -W -f='${Status}' systemd 2>/dev/null | grep -q 'install ok installed'; then
    dpkg -i /pkg/pxinit-systemctl.deb >/tmp/dpkg.log 2>&1 &&
        fail "pxinit-systemctl installed beside systemd"
    grep -q 'conflicts with systemd' /tmp/dpkg.log || fail "pxinit-systemctl refused for another reason: $(cat /tmp/dpkg.log)"
    [ "$sc_before" = "$(ls -l /usr/bin/systemctl 2>&1; sha256sum /usr/bin/systemctl 2>&1 || true)" ] ||
        fail "the refused pxinit-systemctl changed /usr/bin/systemctl"
    pass "pxinit-systemctl refused while systemd is installed, systemctl untouched"
    # What a container without systemd has. /run is a tmpfs: no
    # /run/systemd/system, so systemd's prerm lets it go.
    dpkg --purge --force-depends systemd >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; fail "dpkg --purge systemd"; }
fi
dpkg -i /pkg/pxinit-systemctl.deb >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; fail "dpkg -i pxinit-systemctl"; }
[ "$(readlink /usr/bin/systemctl)" = pxinit ] && [ "$(readlink /usr/bin/journalctl)" = pxinit ] ||
    fail "pxinit-systemctl: $(ls -l /usr/bin/systemctl /usr/bin/journalctl 2>&1)"
systemctl --version | grep -q pxinit || fail "systemctl --version: $(systemctl --version 2>&1)"
[ -s /usr/share/bash-completion/completions/systemctl.bash ] || fail "no systemctl bash completion"
pass "pxinit-systemctl: systemctl and journalctl are pxinit"

dpkg --purge pxinit-systemctl pxinit >/tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; fail "dpkg --purge"; }
for f in /usr/bin/pxinit /usr/bin/systemctl /usr/bin/journalctl /etc/pxinit \
    /usr/share/bash-completion/completions/pxinit.bash /usr/share/man/man8/pxinit.8.gz; do
    [ ! -e "$f" ] && [ ! -L "$f" ] || fail "$f left after purge"
done
pass "dpkg --purge pxinit-systemctl pxinit leaves nothing"
EOF
cp "$deb" "$W/pkg/pxinit.deb"
cp "$debctl" "$W/pkg/pxinit-systemctl.deb"
# The throwaway root: an overlay of / whose upper layer is a tmpfs, in a
# mount namespace of its own (gone with it); /run and /tmp fresh tmpfs.
unshare --mount --propagation private bash -c '
    set -e
    W=$1 O=$1/ov R=$1/ov/root
    mkdir -p "$O"
    mount -t tmpfs pxinit-package "$O"
    mkdir -p "$O/upper" "$O/work" "$R"
    mount -t overlay pxinit-package -o "lowerdir=/,upperdir=$O/upper,workdir=$O/work" "$R"
    mount -t proc proc "$R/proc"
    mount --rbind /dev "$R/dev"
    mount -t tmpfs pxinit-package "$R/run"
    mount -t tmpfs pxinit-package "$R/tmp"
    mkdir -p "$R/pkg"
    mount --bind "$W/pkg" "$R/pkg"
    exec chroot "$R" /bin/bash /pkg/inside.sh
' sh "$W" 2>&1 || fail "inside the throwaway root"
[ "$before" = "$(host_sum)" ] || fail "the host's dpkg database or systemctl changed"
pass "the host's dpkg database and /usr/bin/systemctl unchanged"
