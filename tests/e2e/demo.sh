#!/bin/bash
# demo.sh - `make demo` as a user runs it (contrib/demo/run.sh: pxinit as PID
# 1 of its own PID and network namespaces on units/, contrib/demo/tour.sh as
# the main command), and what its output must show: the web service answered
# curl through its socket, a restart gave it a new pid, crashy failed at its
# start limit, no line carries its unit's name twice, and everything ended
# with exit 0.
. "$(dirname "$0")/lib.sh"
: "${srcdir:?srcdir must point at the source tree}"
for tool in curl python3 ip; do
    command -v "$tool" >/dev/null || { echo "$tool missing: contrib/install-deps.sh installs it"; exit 77; }
done

OUT=$T/demo.out
rc=0
timeout 60 sh "$srcdir/contrib/demo/run.sh" "$PXINIT" >"$OUT" 2>&1 || rc=$?
show() { echo "--- demo output:" >&2; cat "$OUT" >&2; }
check() { grep -Eq "$1" "$OUT" || { show; fail "$2"; }; }

[ "$rc" = 0 ] || { show; fail "the demo exited $rc, want 0"; }
pass "the demo exited 0"

for h in "pxinit status" "curl" "pxinit restart web" "crashy" "done"; do
    check "^=== $h" "no heading '=== $h'"
done
check '^web\.socket +active .* listening$' "pxinit status did not list web.socket listening"
pass "pxinit status shown, web.socket listening"

check '^hello from web\.service, pid [0-9]+$' "curl got no answer from web.service"
[ "$(grep -c '^hello from web\.service, pid' "$OUT")" = 2 ] || { show; fail "want two answers to curl"; }
pass "curl answered through web.socket, before and after the restart"

line=$(grep "^web's main pid: " "$OUT") || { show; fail "no pid line"; }
read -r before after <<<"$(sed -E 's/.*: ([0-9]+) before the restart, ([0-9]+) after/\1 \2/' <<<"$line")"
[ -n "$before" ] && [ -n "$after" ] && [ "$before" != "$after" ] || { show; fail "restart gave no new pid: $line"; }
a1=$(grep '^hello from web\.service, pid' "$OUT" | sed -n '1s/.*pid //p')
a2=$(grep '^hello from web\.service, pid' "$OUT" | sed -n '2s/.*pid //p')
[ "$a1" = "$before" ] && [ "$a2" = "$after" ] || { show; fail "answers came from pids $a1, $a2, not $before, $after"; }
pass "pxinit restart web: pid $before, then $after, each answering curl"

check '^crashy +failed ' "pxinit status crashy did not show failed"
check 'Active: failed \(Result: start-limit-hit\)' "systemctl status crashy did not show start-limit-hit"
pass "crashy failed with start-limit-hit"

# pxinit prefixes a service's lines with its name: a unit printing its own
# name too gives "web: web: ...".
if grep -Eq '^([a-z.]+): \1:' "$OUT"; then
    show
    fail "a line carries its unit's name twice"
fi
check '^web: serving HTTP' "web.service's own output is not prefixed web:"
pass "no doubled prefix"
