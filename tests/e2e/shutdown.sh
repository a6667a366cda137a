#!/bin/bash
# Shutdown stops units in reverse start order, gives every process left
# (even one that escaped with setsid) the stop signal and time to finish,
# and exits 0 only when nothing is left.
. "${srcdir:-.}/tests/e2e/lib.sh"

# Type=oneshot: its start job ends when the command did, so the order of
# the lines in $T/order is the start order.
unit db <<EOF2
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c 'echo start-db >> $T/order'
ExecStop=/bin/sh -c 'echo stop-db >> $T/order'
EOF2

unit app <<EOF2
[Unit]
After=db.service network.target
[Service]
ExecStart=/bin/sh -c 'echo start-app >> $T/order; exec sleep 1000'
ExecStop=/bin/sh -c 'echo stop-app >> $T/order'
EOF2

# Escapes its unit with setsid; finishes a slow TERM handler.
script escaped.sh <<'EOF2'
trap 'sleep 0.5; echo graceful > "$T/escaped.done"; exit 0' TERM
echo $$ > "$T/escaped.pid"
while :; do sleep 0.05; done
EOF2
unit escaper <<EOF2
[Service]
ExecStart=/bin/sh -c 'setsid $T/escaped.sh & exec sleep 1000'
EOF2

px_start --grace 5
poll 5 test -s "$T/escaped.pid" || fail "escaper did not start"
poll 5 file_has "$T/order" start-app || fail "app did not start"
[ "$(head -n 2 "$T/order" | tr '\n' ' ')" = "start-db start-app " ] || fail "start order: $(cat "$T/order")"
pass "After= orders the start"

px_signal TERM
px_wait 15
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
[ "$(grep stop "$T/order" | tr '\n' ' ')" = "stop-app stop-db " ] || fail "stop order: $(cat "$T/order")"
pass "units stop in reverse order"
file_has "$T/escaped.done" graceful || fail "escaped process was not given time to finish its TERM handler"
pass "escaped process got SIGTERM and its grace period"

# SIGINT also shuts down; a process ignoring TERM is SIGKILLed after --grace.
rm -f "$UNITS"/*.service
script hold.sh <<'EOF2'
trap '' TERM
echo ready > "$T/hold.ready"
while :; do sleep 0.05; done
EOF2
unit hold <<EOF2
[Service]
ExecStart=/bin/sh -c 'setsid $T/hold.sh & exec sleep 1000'
EOF2
px_start --grace 1
poll 5 test -s "$T/hold.ready" || fail "hold did not start"
px_signal INT
px_wait 10
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC after SIGINT"
log_has 'sending SIGKILL' || fail "no SIGKILL for a process that ignored SIGTERM"
pass "SIGINT shuts down; stragglers SIGKILLed after --grace"
