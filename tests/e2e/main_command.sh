#!/bin/bash
# The main command: its exit status becomes pxinit's (128+N for signal N,
# 127 not found, 126 not executable), -e remaps, signals are forwarded.
. "${srcdir:-.}/tests/e2e/lib.sh"

run_main() {
    unshare --pid --fork --mount-proc "$PXINIT" -R "$RUN" --no-units "$@" \
        >"$T/out" 2>"$T/log" </dev/null
}

run_main -- sh -c 'exit 3'
[ $? = 3 ] || fail "exit 3 not passed through"
run_main -- sh -c 'kill -TERM $$'
[ $? = 143 ] || fail "death by SIGTERM not 143"
run_main -- /nonexistent/command
rc=$?
[ $rc = 127 ] || fail "missing command exit $rc, want 127"
grep -q "nonexistent/command.*No such file" "$T/log" || fail "no clear message for a missing command"
run_main -- /etc/hostname
[ $? = 126 ] || fail "non-executable command not 126"
run_main -e 3 -- sh -c 'exit 3'
[ $? = 0 ] || fail "--remap-exit 3 did not give 0"
run_main -- true
[ $? = 0 ] || fail "true not 0"
pass "exit codes"

# Forwarding: pxinit gets USR1, the main's trap exits 42.
px_start --no-units -- sh -c 'trap "exit 42" USR1; echo ready > '"$T"'/ready; while :; do sleep 0.05; done'
poll 5 test -s "$T/ready" || fail "main did not start"
px_signal USR1
px_wait 5
[ "$PX_RC" = 42 ] || fail "forwarded USR1: exit $PX_RC, want 42"
pass "signals forwarded to the main command"

# --rewrite: TERM becomes USR2.
px_start --no-units -r TERM:USR2 -- sh -c 'trap "exit 7" USR2; echo ready > '"$T"'/ready2; while :; do sleep 0.05; done'
poll 5 test -s "$T/ready2" || fail "main did not start"
px_signal TERM
px_wait 5
[ "$PX_RC" = 7 ] || fail "rewritten TERM:USR2: exit $PX_RC, want 7"
pass "--rewrite"

# Units start before the main and stop after it.
unit side <<EOF2
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c 'echo side-up >> $T/seq'
ExecStop=/bin/sh -c 'echo side-down >> $T/seq'
EOF2
unshare --pid --fork --mount-proc "$PXINIT" -R "$RUN" -u "$UNITS" -- \
    sh -c "echo main >> $T/seq; exit 5" >"$T/out" 2>"$T/log" </dev/null
rc=$?
[ $rc = 5 ] || fail "exit $rc with units, want 5"
[ "$(tr '\n' ' ' < "$T/seq")" = "side-up main side-down " ] || fail "sequence: $(cat "$T/seq")"
pass "units around the main command"

# A main ignoring SIGTERM is SIGKILLed after --grace.
start=$(date +%s%N)
px_start --no-units --grace 1 -- sh -c 'trap "" TERM; echo ready > '"$T"'/ready3; while :; do sleep 0.05; done'
poll 5 test -s "$T/ready3" || fail "main did not start"
px_signal TERM
px_wait 10
[ "$PX_RC" = 137 ] || fail "SIGKILLed main: exit $PX_RC, want 137"
pass "main ignoring SIGTERM killed after the grace period"
