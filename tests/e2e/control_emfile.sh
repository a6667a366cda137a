#!/bin/bash
# Out of descriptors, idle control clients give way. Under an RLIMIT_NOFILE
# of 64, 100 connections that never write take every descriptor pxinit has
# before the client cap (64) is reached, so accept() fails with EMFILE. The
# longest-idle client is evicted for each new one, as at the cap: `status`
# through the socket and `restart` keep answering within a second or two,
# not only once the idle clients time out (10 s).
. "${srcdir:-.}/tests/e2e/lib.sh"

HELPER=${CTL_CLIENT:-$(dirname "$PXINIT")/../tests/e2e/helpers/ctl_client}
[ -x "$HELPER" ] || fail "helper $HELPER not built (make check builds it)"
LIMIT=64
need_hard_nofile $LIMIT

unit web <<EOF
[Service]
ExecStart=/bin/sleep 1000
EOF
PX_LAUNCH="prlimit --nofile=$LIMIT:$LIMIT --" px_start
poll 5 "$PXINIT" -R "$RUN" status -q web || fail "web did not start"
grep -q "^Max open files *$LIMIT *$LIMIT " "/proc/$PX_INIT/limits" ||
    fail "pxinit's limit is not $LIMIT: $(grep 'open files' "/proc/$PX_INIT/limits")"

"$HELPER" hold "$RUN/control" 100 >"$T/hold.out" &
HOLD=$!
poll 10 file_has "$T/hold.out" ready || fail "could not open 100 connections"
# pxinit ran out of descriptors (not into the client cap) on them.
fds() { ls "/proc/$PX_INIT/fd" | wc -l; }
out_of_fds() { [ "$(fds)" -ge $((LIMIT - 1)) ]; }
poll 5 out_of_fds || fail "pxinit holds only $(fds) fds: the test is void"

# answers WHAT CMD...: CMD succeeds within 2 s.
answers() {
    local start el rc what=$1
    shift
    start=$(date +%s%N)
    timeout 5 "$@" >"$T/o" 2>"$T/e"
    rc=$?
    el=$(( ($(date +%s%N) - start) / 1000000 ))
    [ "$rc" = 0 ] || fail "$what exited $rc after ${el}ms: $(cat "$T/e")"
    [ "$el" -lt 2000 ] || fail "$what took ${el}ms"
    echo "# $what: ${el}ms"
}
for i in 1 2 3; do
    answers "status through the socket ($i)" env PXINIT_NO_BOARD=1 "$PXINIT" -R "$RUN" status web
done
answers "restart" "$PXINIT" -R "$RUN" restart web
answers "status through the socket" env PXINIT_NO_BOARD=1 "$PXINIT" -R "$RUN" status -q web
pass "out of descriptors, idle clients are evicted and requests answered"

kill "$HOLD"
wait "$HOLD" 2>/dev/null
kill -0 "$PX_INIT" || fail "pxinit died"
px_signal TERM
px_wait 30
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
