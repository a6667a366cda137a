#!/bin/bash
# Graceful end of the entrypoint: when the main exits, or pxinit is told to
# stop, everything left (the main's background child, a setsid-escaped
# orphan) gets SIGTERM and time to finish its handler; pxinit exits only when
# all are gone, with the main's status; stragglers get SIGKILL after --grace.
. "${srcdir:-.}/tests/e2e/lib.sh"

# A leftover that traps TERM, takes a while, then writes what it finished.
script leftover.sh <<'EOF2'
trap 'sleep 0.3; echo "graceful $1" > "$T/$1.done"; exit 0' TERM
echo $$ > "$T/$1.pid"
while :; do sleep 0.02; done
EOF2
# main.sh MODE NAME CODE: starts a leftover (same group, or escaped with
# setsid), waits until it runs, then exits CODE (or waits for TERM).
script main.sh <<'EOF2'
case "$1" in
    group) "$T/leftover.sh" "$2" & ;;
    setsid) setsid "$T/leftover.sh" "$2" & ;;
esac
while [ ! -s "$T/$2.pid" ]; do sleep 0.01; done
[ "$3" = wait ] || exit "$3"
trap 'exit 0' TERM
echo ready > "$T/$2.ready"
while :; do sleep 0.02; done
EOF2

for mode in group setsid; do
    px_start --no-units -- "$T/main.sh" "$mode" "exit-$mode" 3
    px_wait 15
    [ "$PX_RC" = 3 ] || fail "$mode: exit $PX_RC, want the main's 3"
    file_has "$T/exit-$mode.done" graceful || fail "$mode leftover did not finish its TERM handler"
    pass "main exited: its $mode leftover got SIGTERM and finished its handler first"

    px_start --no-units -- "$T/main.sh" "$mode" "stop-$mode" wait
    poll 5 test -s "$T/stop-$mode.ready" || fail "$mode main did not start"
    px_signal TERM
    px_wait 15
    [ "$PX_RC" = 0 ] || fail "told to stop ($mode): exit $PX_RC, want 0"
    file_has "$T/stop-$mode.done" graceful || fail "$mode leftover did not finish after SIGTERM to pxinit"
    pass "pxinit told to stop: the $mode leftover finished its handler first"
done

# A leftover ignoring TERM is SIGKILLed after --grace; the status is the main's.
script stubborn.sh <<'EOF2'
trap '' TERM
echo $$ > "$T/stubborn.pid"
while :; do sleep 0.02; done
EOF2
px_start --no-units --grace 1 -- sh -c "setsid $T/stubborn.sh & while [ ! -s $T/stubborn.pid ]; do sleep 0.01; done; exit 4"
px_wait 15
[ "$PX_RC" = 4 ] || fail "stubborn: exit $PX_RC, want 4"
log_has 'sending SIGKILL' || fail "no SIGKILL for the leftover ignoring TERM"
pass "a leftover ignoring SIGTERM is SIGKILLed after --grace"

# As a subreaper (not PID 1) the same: the escaped orphan is waited for.
"$PXINIT" -R "$RUN" --no-units -- "$T/main.sh" setsid sub 5 >"$T/out" 2>"$T/log" </dev/null
rc=$?
[ $rc = 5 ] || fail "subreaper: exit $rc, want 5"
file_has "$T/sub.done" graceful || fail "subreaper: escaped orphan did not finish its handler"
pass "as a subreaper: the escaped orphan finished its handler before pxinit exited"
