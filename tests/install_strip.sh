#!/bin/bash
# make install strips pxinit (as make install-strip does), unless configure
# --disable-install-strip, which a Debian build passes so that dh_strip
# keeps the symbols for the -dbgsym package. Into a scratch DESTDIR.
set -u
: "${PXINIT:?PXINIT must point at the built binary}"
B=$(cd "$(dirname "$PXINIT")/.." && pwd)
D=$(mktemp -d "${TMPDIR:-/tmp}/pxinit-strip.XXXXXX")
trap 'rm -rf "$D" "$D.out"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }
mk() { ${MAKE:-make} -s -C "$B" DESTDIR="$D" "$@" >"$D.out" 2>&1; }
# A symbol table: readelf lists a .symtab section.
has_symtab() { readelf -S "$1" | grep -q '\.symtab'; }

command -v readelf >/dev/null || { echo "SKIP: no readelf" >&2; exit 77; }
has_symtab "$PXINIT" || fail "the built $PXINIT has no symbol table: nothing to compare with"

mk install-exec || fail "make install-exec: $(cat "$D.out")"
bin=$(find "$D" -name pxinit -type f | head -n 1)
[ -x "$bin" ] || fail "no pxinit installed"
if grep -q '^install-exec-hook:.*install-strip-pxinit' "$B/Makefile"; then
    has_symtab "$bin" && fail "make install left the symbols in $bin"
    "$bin" --version >/dev/null || fail "the stripped pxinit does not run"
    pass "make install strips pxinit ($(stat -c %s "$bin") bytes)"
else
    has_symtab "$bin" || fail "configured with --disable-install-strip, but make install stripped $bin"
    pass "configure --disable-install-strip: make install keeps the symbols"
fi
rm -rf "${D:?}"/*

mk install-strip || fail "make install-strip: $(cat "$D.out")"
bin=$(find "$D" -name pxinit -type f | head -n 1)
[ -x "$bin" ] && ! has_symtab "$bin" || fail "make install-strip did not strip $bin"
pass "make install-strip strips pxinit"
