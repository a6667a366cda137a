#!/bin/bash
# More units than descriptors: under a hard and soft RLIMIT_NOFILE of 128,
# 150 units cannot all run. Those that get no descriptor fail to start with
# an error naming them and the errno; pxinit keeps room for itself, so it
# still answers control requests, and a unit stopped makes room for a failed
# one to start.
. "${srcdir:-.}/tests/e2e/lib.sh"

LIMIT=128
N=150
idle_units $N

need_hard_nofile $LIMIT
ulimit -n $LIMIT
px_start

up() { grep -cE '^i[0-9]+: i[0-9]+ up$' "$T/out"; }
# Without a descriptor a unit fails at its output pipes or, the plain way
# (a fork that needs its own report pipe), at its spawn: each once, named.
failed() {
    grep -oE 'i[0-9]+: (cannot set up output capture|cannot start [^ ]+ i[0-9]+): Too many open files' \
        "$T/log" | cut -d: -f1 | sort -u | wc -l
}
settled() { [ $(($(up) + $(failed))) -ge $N ]; }
poll 30 settled || fail "$(up) units up, $(failed) failed with EMFILE, of $N"
[ "$(failed)" -gt 0 ] || fail "all $N units ran under $LIMIT fds: the test is void"
# One descriptor per running unit (pipe-reopen), two the plain way.
min_up=60
trick_off pipe-reopen && min_up=30
[ "$(up)" -ge $min_up ] || fail "only $(up) units up under $LIMIT fds"
pass "$(up) units up, $(failed) failed to start with EMFILE, each named in the log"

# pxinit itself still has descriptors: control requests are served.
victim=$(grep -m1 -oE '^i[0-9]+: i[0-9]+ up$' "$T/out" | cut -d: -f1)
loser=$(grep -m1 -oE 'i[0-9]+: cannot set up output capture' "$T/log" | cut -d: -f1)
timeout 10 "$PXINIT" -R "$RUN" stop "$victim" || fail "stop $victim failed"
"$PXINIT" -R "$RUN" status "$loser" >/dev/null 2>&1 && fail "$loser is active after failing"
if trick_off pipe-reopen; then
    # The plain way keeps a stopped unit's pipe (an orphan may still write):
    # its stop frees no descriptor.
    pass "$victim stopped over the socket (pipe-reopen off: no room made)"
else
    timeout 10 "$PXINIT" -R "$RUN" start "$loser" || fail "start $loser failed after $victim made room"
    poll 10 file_has "$T/out" "^$loser: $loser up$" || fail "$loser did not print"
    pass "$victim stopped over the socket, then $loser started in the room it left"
fi

px_signal TERM
px_wait 30
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
