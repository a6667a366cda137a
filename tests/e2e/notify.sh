#!/bin/bash
# Type=notify: a unit is active only after READY=1, units ordered after it
# wait for that; TimeoutStartSec= fails a unit that never becomes ready;
# NotifyAccess= decides who may speak; WatchdogSec= kills a silent unit;
# MAINPID= hands the main process over; STATUS= is kept.
. "${srcdir:-.}/tests/e2e/lib.sh"
N=$(user_helper pxtest-notify)
chmod 755 "$T"   # User=nobody must reach \$RUN/notify, as it reaches /run/pxinit

script after.sh <<'EOF2'
if [ -e "$T/db.ready" ]; then echo yes; else echo no; fi > "$T/after.saw"
exec sleep 1000
EOF2
unit db <<EOF2
[Service]
Type=notify
ExecStart=/bin/sh -c 'sleep 0.5; touch $T/db.ready; exec $N "STATUS=accepting connections" READY=1'
EOF2
# The shape of a packaged notify daemon: User=, RuntimeDirectory=, a
# config check in ExecStartPre=, readiness from the daemon itself.
unit pkgd <<EOF2
[Service]
Type=notify
User=nobody
RuntimeDirectory=pkgd
ExecStartPre=/bin/test -x $N
ExecStart=$N READY=1 STATUS=serving
EOF2
unit app <<EOF2
[Unit]
After=db.service
[Service]
ExecStart=$T/after.sh
EOF2
unit never <<EOF2
[Service]
Type=notify
TimeoutStartSec=1
ExecStart=$N STATUS=thinking
EOF2
unit childsays <<EOF2
[Service]
Type=notify
TimeoutStartSec=1
ExecStart=$N -c READY=1
EOF2
unit childall <<EOF2
[Service]
Type=notify
NotifyAccess=all
ExecStart=$N -c READY=1
EOF2
unit silent <<EOF2
[Service]
Type=notify
WatchdogSec=1
ExecStart=$N READY=1
EOF2
unit pinger <<EOF2
[Service]
Type=notify
WatchdogSec=1
ExecStart=$N -w 200 READY=1
EOF2
unit handover <<EOF2
[Service]
Type=notify
ExecStart=$N -m READY=1
EOF2

px_start
poll 10 test -s "$T/after.saw" || fail "app never started"
[ "$(cat "$T/after.saw")" = yes ] || fail "app started before db sent READY=1"
log_has 'db: state active \(running\)' || fail "db not active"
pass "After= a notify unit waits for READY=1"

poll 10 log_has 'pkgd: state active \(running\)' || fail "notify daemon with User= and RuntimeDirectory= not ready"
pass "a packaged-shape notify daemon (User=nobody, RuntimeDirectory=) becomes ready"

poll 10 log_has 'never: state failed \(result: timeout\)' || fail "never-ready unit did not fail with timeout"
pass "TimeoutStartSec= fails a unit that never sends READY=1"

poll 10 log_has 'childsays: state failed \(result: timeout\)' || fail "NotifyAccess=main accepted a child's READY=1"
log_has 'childall: state active \(running\)' || fail "NotifyAccess=all refused a child's READY=1"
pass "NotifyAccess= main vs all"

poll 10 log_has 'silent: watchdog timeout' || fail "watchdog did not fire for a silent unit"
poll 10 log_has 'silent: state failed \(result: watchdog\)' || fail "silent not failed with result watchdog"
log_has 'pinger: watchdog timeout' && fail "watchdog fired although the unit pinged"
log_has 'pinger: state active \(running\)' || fail "pinger not active"
pass "WatchdogSec= kills a silent unit, not a pinging one"

# The watchdog checks above took over a second: handover's first process,
# which exits right after sending MAINPID=, is long gone by now.
poll 5 log_has 'handover: main pid is now' || fail "MAINPID= not taken"
log_has 'handover: state active \(running\)' || fail "handover not active"
log_has 'handover: state (inactive|failed|deactivating)' && fail "handover stopped after its first process exited"
pass "MAINPID= hands the main process over"

px_signal TERM
px_wait 15
[ "$PX_RC" = 0 ] || fail "exit code $PX_RC"
log_has 'handover: state inactive' || fail "handover not stopped at shutdown"
