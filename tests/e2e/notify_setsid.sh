#!/bin/bash
# NotifyAccess=all: a process of the unit that called setsid() is still the
# unit's, while its parent lives (a descendant) and after it was orphaned
# (this run's $INVOCATION_ID); a process that has neither is not.
. "${srcdir:-.}/tests/e2e/lib.sh"
chmod 755 "$T"
cp "${HELPERS:?}/pxtest-notify" "$T/notify"

# -c: the datagram comes from a forked child of the setsid'd process.
unit child <<EOF2
[Service]
Type=notify
NotifyAccess=all
TimeoutStartSec=15
ExecStart=/bin/sh -c 'setsid $T/notify -c -x 0 READY=1 & exec sleep 1000'
EOF2
# The setsid'd shell exits at once: the sender is an orphan in a session
# whose leader is gone.
script orphan.sh <<'EOF2'
setsid sh -c "$1 sh -c 'sleep 0.2; exec \"$T/notify\" -c -x 0 READY=1' &"
exec sleep 1000
EOF2
unit orphan <<EOF2
[Service]
Type=notify
NotifyAccess=all
TimeoutStartSec=15
ExecStart=$T/orphan.sh env
EOF2
unit stranger <<EOF2
[Service]
Type=notify
NotifyAccess=all
TimeoutStartSec=2
ExecStart=$T/orphan.sh 'env -u INVOCATION_ID'
EOF2

px_start
poll 20 log_has 'child: state (active|failed)' || fail "child never settled"
log_has 'child: state active \(running\)' || fail "READY=1 from a setsid'd process whose parent is the main process refused"
pass "NotifyAccess=all: a setsid'd process below the main process is heard"
poll 20 log_has 'orphan: state (active|failed)' || fail "orphan never settled"
log_has 'orphan: state active \(running\)' || fail "READY=1 from an orphaned setsid'd process with the run's \$INVOCATION_ID refused"
pass "NotifyAccess=all: an orphaned setsid'd process of the run is heard"
poll 10 log_has 'stranger: state (active|failed)' || fail "stranger never settled"
log_has 'stranger: state failed \(result: timeout\)' || fail "READY=1 taken from a process with no tie to the unit"
pass "a process in a session of its own without the run's \$INVOCATION_ID is not the unit's"

px_signal TERM
px_wait 15
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
