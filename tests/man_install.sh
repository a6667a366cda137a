#!/bin/bash
# make install puts the man pages where man finds them: into a scratch
# DESTDIR, then `man -M DIR -w PAGE` and `MANPATH=DIR man PAGE`.
set -u
: "${PXINIT:?PXINIT must point at the built binary}"
: "${srcdir:?srcdir must be the source tree}"
B=$(cd "$(dirname "$PXINIT")/.." && pwd)
if ! command -v man >/dev/null; then
    echo "SKIP: man is not installed (contrib/install-deps.sh installs man-db)" >&2
    exit 77
fi
D=$(mktemp -d "${TMPDIR:-/tmp}/pxinit-man.XXXXXX")
trap 'rm -rf "$D" "$D.out"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

${MAKE:-make} -s -C "$B" DESTDIR="$D" install-man >"$D.out" 2>&1 || fail "make install-man: $(cat "$D.out")"
p8=$(find "$D" -name pxinit.8 -type f | head -n 1)
[ -n "$p8" ] || fail "no pxinit.8 under DESTDIR: $(find "$D" -type f)"
M=$(dirname "$(dirname "$p8")")
# man-db needs no index (mandb) to find a page by its file name.
for page in 8:pxinit 5:pxinit.conf 5:pxinit.unit 1:pxinit-systemctl 1:pxinit-journalctl; do
    sec=${page%%:*} name=${page#*:}
    w=$(man -M "$M" -w "$name" 2>&1) || fail "man -M $M -w $name: $w"
    [ "$w" = "$M/man$sec/$name.$sec" ] || fail "man -w $name gave '$w', not $M/man$sec/$name.$sec"
done
pass "make install puts the five pages where man -M finds them"

# The page renders: its NAME line, through man and the MANPATH variable.
out=$(MANPATH="$M" MANPAGER=cat MANWIDTH=80 man pxinit 2>&1) || fail "MANPATH=$M man pxinit: $out"
grep -q "pxinit - " <<<"$out" || fail "man pxinit shows no NAME line: $(head -n 5 <<<"$out")"
out=$(MANPATH="$M" MANPAGER=cat MANWIDTH=80 man 5 pxinit.unit 2>&1) || fail "man 5 pxinit.unit: $out"
grep -q "ExecStart=" <<<"$out" || fail "man 5 pxinit.unit does not show ExecStart="
pass "MANPATH=DIR man pxinit renders the page"

${MAKE:-make} -s -C "$B" DESTDIR="$D" uninstall-man >"$D.out" 2>&1 || fail "make uninstall-man: $(cat "$D.out")"
[ -z "$(find "$D" -type f)" ] || fail "uninstall-man left: $(find "$D" -type f)"
pass "make uninstall removes them"
