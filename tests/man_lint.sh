#!/bin/bash
# Every man page, as built from doc/man/*.scd, is clean under
# `mandoc -T lint -W warning`: any message fails the test.
set -u
: "${PXINIT:?PXINIT must point at the built binary}"
: "${srcdir:?srcdir must be the source tree}"
B=$(cd "$(dirname "$PXINIT")/.." && pwd)
if ! command -v mandoc >/dev/null; then
    echo "SKIP: mandoc is not installed (contrib/install-deps.sh installs it)" >&2
    exit 77
fi
n=0 bad=0
for scd in "$srcdir"/doc/man/*.scd; do
    page=$(basename "$scd" .scd)
    # A VPATH build makes the page in the build tree; a tarball brings it
    # in the source tree.
    f="$B/doc/man/$page"
    [ -f "$f" ] || f="$srcdir/doc/man/$page"
    if [ ! -f "$f" ]; then
        echo "FAIL: $page was not built from $scd" >&2
        bad=1
        continue
    fi
    out=$(mandoc -T lint -W warning "$f" 2>&1)
    if [ -n "$out" ]; then
        echo "FAIL: mandoc -T lint -W warning $page:" >&2
        echo "$out" >&2
        bad=1
    fi
    n=$((n + 1))
done
[ "$n" -ge 5 ] || { echo "FAIL: only $n man pages found in $srcdir/doc/man" >&2; exit 1; }
[ "$bad" = 0 ] || exit 1
echo "ok: $n man pages lint clean"
