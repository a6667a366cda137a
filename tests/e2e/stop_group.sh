#!/bin/bash
# Stopping a unit signals its whole process group: grandchildren too.
# A service ignoring SIGTERM is SIGKILLed after TimeoutStopSec.
. "${srcdir:-.}/tests/e2e/lib.sh"

# Main exits at once, leaving a grandchild in its group: systemd cleans the
# rest of the unit up when the main process ends, so must we.
script leaver.sh <<'EOF2'
sleep 1000 &
echo $! > "$T/grandchild.pid"
exit 0
EOF2
unit leaver <<EOF2
[Service]
ExecStart=$T/leaver.sh
EOF2

# Grandchild that reports the signal it got.
script family.sh <<'EOF2'
sh -c 'trap "echo TERM >> $T/family.sig; exit 0" TERM; echo ready > $T/family.ready; while :; do sleep 0.05; done' &
wait
EOF2
unit family <<EOF2
[Service]
ExecStart=$T/family.sh
TimeoutStopSec=10
EOF2

# Ignores SIGTERM in its whole group.
script stubborn.sh <<'EOF2'
trap "" TERM
echo $$ > "$T/stubborn.pid"
while :; do sleep 0.05; done
EOF2
unit stubborn <<EOF2
[Service]
ExecStart=$T/stubborn.sh
TimeoutStopSec=1
EOF2

px_start
poll 5 test -s "$T/grandchild.pid" || fail "leaver did not start"
gc=$(cat "$T/grandchild.pid")
poll 5 log_has 'leaver: state inactive' || fail "leaver did not end"
in_ns kill -0 "$gc" 2>/dev/null && fail "grandchild $gc of leaver still alive after its main exited"
pass "group of an exited main is cleaned up"

poll 5 test -s "$T/family.ready" || fail "family did not start"
poll 5 test -s "$T/stubborn.pid" || fail "stubborn did not start"
start=$(date +%s%N)
px_signal TERM
px_wait 15
end=$(date +%s%N)
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
file_has "$T/family.sig" TERM || fail "grandchild did not get SIGTERM through its group"
pass "stop signals the grandchild through the group"
log_has 'stubborn: stop timed out, sending SIGKILL' || fail "stubborn not SIGKILLed after timeout"
elapsed=$(( (end - start) / 1000000 ))
[ "$elapsed" -ge 900 ] || fail "shutdown took ${elapsed}ms: TimeoutStopSec=1 not waited"
[ "$elapsed" -lt 8000 ] || fail "shutdown took ${elapsed}ms: SIGKILL not sent after TimeoutStopSec"
pass "SIGTERM-ignoring unit SIGKILLed after TimeoutStopSec (${elapsed}ms)"
