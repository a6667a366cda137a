#!/bin/bash
# The stripped static binary stays under LIMIT bytes (bench/results/
# issue20-size.txt: what makes it big and what each step saved). The one
# place the limit is kept. Only the default static, non-sanitizer build is
# measured: a dynamic or sanitizer build is another binary.
set -u
: "${PXINIT:?PXINIT must point at the built binary}"
# The goal is 1,000,000 bytes; a static glibc 2.36 alone is 683 KB
# stripped (an empty main), and pxinit is at 1,302,088 (issue20-size.txt
# says what is left). The limit keeps what was won: lower it with the size.
LIMIT=1350000

[ "${STATIC_BINARY_BUILT:-}" = yes ] || {
    echo "SKIP: not the static binary (configure --disable-static-binary): its size is not the static one's" >&2
    exit 77
}
[ "${SANITIZERS_BUILT:-no}" = yes ] && { echo "SKIP: a sanitizer build" >&2; exit 77; }
T=$(mktemp "${TMPDIR:-/tmp}/pxinit-size.XXXXXX")
trap 'rm -f "$T"' EXIT
${STRIP:-strip} -o "$T" "$PXINIT" || { echo "FAIL: ${STRIP:-strip} $PXINIT" >&2; exit 1; }
n=$(stat -c %s "$T")
if [ "$n" -ge "$LIMIT" ]; then
    echo "FAIL: the stripped static pxinit is $n bytes, the limit $LIMIT (bench/results/issue20-size.txt)" >&2
    exit 1
fi
echo "ok: the stripped static pxinit is $n bytes (< $LIMIT)"
