#!/bin/bash
# A unit starts in its own session and process group, re-parented to PID 1,
# with a clean signal mask, default dispositions and only fds 0, 1, 2.
. "${srcdir:-.}/tests/e2e/lib.sh"

script web.sh <<'EOF2'
echo $$ > "$T/web.pid"
exec sleep 1000
EOF2
unit web <<EOF2
[Unit]
Description=test web server
[Service]
ExecStart=$T/web.sh
EOF2

px_start
poll 5 test -s "$T/web.pid" || fail "web did not start"
poll 5 log_has 'web: state active \(running\)' || fail "no active state logged"

pid=$(cat "$T/web.pid")            # pid inside the namespace
status=$(in_ns cat /proc/$pid/status) || fail "cannot read status of $pid"
stat=$(in_ns cat /proc/$pid/stat)
set -- ${stat##*) }
ppid=$2 pgrp=$3 sid=$4
[ "$ppid" = 1 ] || fail "service parent is $ppid, want 1 (pxinit)"
[ "$pgrp" = "$pid" ] || fail "service pgid $pgrp != pid $pid"
pxsid=$(in_ns cat /proc/1/stat); set -- ${pxsid##*) }
[ "$sid" != "$4" ] && [ "$sid" != 0 ] || fail "service shares pxinit's session ($sid)"
[ "$(in_ns ps -o pid= -s "$sid" | wc -l)" = 1 ] || fail "service's session $sid has other members"
echo "$status" | grep -q '^SigBlk:[[:space:]]*0*$' || fail "blocked signals: $(echo "$status" | grep SigBlk)"
echo "$status" | grep -q '^SigIgn:[[:space:]]*0*$' || fail "ignored signals: $(echo "$status" | grep SigIgn)"
fds=$(in_ns ls /proc/$pid/fd | sort -n | tr '\n' ' ')
[ "$fds" = "0 1 2 " ] || fail "service has fds: $fds"
pass "service in own session, clean mask, fds 0-2"

px_signal TERM
px_wait 10
[ "$PX_RC" = 0 ] || fail "pxinit exited $PX_RC after SIGTERM, want 0"
log_has 'web: state inactive' || fail "web not stopped on shutdown"
pass "shutdown exits 0"
